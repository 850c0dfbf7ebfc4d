/**
 * The one renderer of problems, wherever they happen (sidebar, popup, pages): what went wrong in
 * words, the fields the API named, and the one action that fixes it.
 */
import type { Problem } from '../../lib/extension/messages';
import { ProblemError, useSend } from './background';

interface ProblemViewProps {
  /** A Problem, or an error thrown by a query or mutation. */
  problem: Problem | unknown;
  /** What the screen would show when it works, e.g. "which goal this ticket serves". */
  subject?: string;
  /** Retrying is offered for problems that may pass. */
  onRetry?: () => void;
  /** The sidebar lives in a host's page: its options button says whose options. */
  inHostPage?: boolean;
  className?: string;
}

const isProblem = (value: unknown): value is Problem =>
  typeof value === 'object' && value !== null && 'kind' in value && 'message' in value;

export function problemOf(error: unknown): Problem | null {
  if (!error) return null;
  if (error instanceof ProblemError) return error.problem;
  if (isProblem(error)) return error;
  return { kind: 'refused', message: String((error as Error).message ?? error) };
}

/** Why the API refused, in the words a person needs: the one field's problem, without its path. */
export function problemText(problem: Problem): string {
  return problem.issues?.length === 1 ? (problem.issues[0]?.message ?? problem.message) : problem.message;
}

/** The same for an error a query or mutation threw, in a sentence of its own. */
export const reasonOf = (error: unknown): string => {
  const problem = problemOf(error);
  return problem ? problemText(problem) : '';
};

export function ProblemView({ problem: given, subject, onRetry, inHostPage, className }: ProblemViewProps) {
  const send = useSend();
  const problem = problemOf(given);
  if (!problem) return null;
  const openOptions = () => void send({ type: 'options:open' });
  const optionsLabel = inHostPage ? 'Open Throughline options' : 'Open the options';
  const box = (tone: 'warn' | 'bad', body: React.ReactNode, action: React.ReactNode) => (
    <div className={className ?? `notice notice-${tone}`} role="alert">
      {body}
      {action}
    </div>
  );
  switch (problem.kind) {
    case 'signed_out':
    case 'no_permission':
      return box(
        'warn',
        <>
          <p>Connect Throughline to your team’s goals API{subject ? ` to see ${subject}` : ''}.</p>
          {problem.kind === 'no_permission' || inHostPage ? <p className="state-detail">{problem.message}</p> : null}
        </>,
        <button type="button" className="primary" onClick={openOptions}>
          {optionsLabel}
        </button>,
      );
    case 'revoked':
      return box(
        'warn',
        <p>The goals API refused your token: it may have been revoked. Paste a new one in the options.</p>,
        <button type="button" className="primary" onClick={openOptions}>
          Paste a new token
        </button>,
      );
    case 'extension_updated':
      return box(
        'warn',
        <p>Throughline was updated. Reload this page to continue.</p>,
        <button type="button" className="primary" onClick={() => window.location.reload()}>
          Reload page
        </button>,
      );
    default:
      return box(
        'bad',
        <>
          {problem.kind === 'unreachable' ? (
            <>
              <p>Can’t reach the goals API.</p>
              <p className="state-detail">Offline: {problem.message}</p>
            </>
          ) : (
            <p>{problemText(problem)}</p>
          )}
          {problem.issues && problem.issues.length > 1 && (
            <ul>
              {problem.issues.map((issue) => (
                <li key={`${issue.path}:${issue.message}`}>
                  {issue.path}: {issue.message}
                </li>
              ))}
            </ul>
          )}
        </>,
        onRetry && (
          <button type="button" className={problem.kind === 'unreachable' ? 'primary' : undefined} onClick={onRetry}>
            Try again
          </button>
        ),
      );
  }
}
