/**
 * The ticket's goal where the host shows the ticket's own fields: the objective's name (opening it
 * on the goals page), the verdict's colour, and how the ticket serves it. The full panel opens from
 * here. Outside the workspace's scope it says so quietly.
 */
import { useQuery } from '@tanstack/react-query';
import { ageText, throughText } from '../../lib/extension/labels';
import type { ProblemKind } from '../../lib/extension/reply';
import { ask, ticketViewQuery, useSend } from '../shared/background';
import { problemOf } from '../shared/ProblemView';

/** Why the goal is not known, in a few words; the panel says the rest and offers the fix. */
const PROBLEM_TEXT: Record<ProblemKind, string> = {
  signed_out: 'Throughline is not connected to your goals API.',
  no_permission: 'Throughline is not connected to your goals API.',
  unreachable: 'Can’t reach the goals API.',
  revoked: 'The goals API refused your token.',
  refused: 'The goals API refused the request.',
  invalid: 'Not known: Throughline asked wrongly.',
  extension_updated: 'Throughline was updated: reload this page.',
};

export function GoalRow({ ticketRef, open, onOpen }: { ticketRef: string; open: boolean; onOpen: () => void }) {
  const send = useSend();
  const view = useQuery(ticketViewQuery(send, ticketRef));
  const details = (
    <button
      type="button"
      className="goal-more"
      onClick={onOpen}
      aria-expanded={open}
      aria-label="Open the Throughline panel for this ticket (Alt+Shift+G)"
    >
      {open ? 'Open' : 'Details'}
    </button>
  );
  if (view.isPending) {
    return (
      <div className="goal-row" data-verdict="loading">
        <span className="goal-label">Goal</span>
        <span className="goal-how">Loading…</span>
      </div>
    );
  }
  if (!view.data) {
    const problem = problemOf(view.error);
    return (
      <div className="goal-row" data-verdict="unknown">
        <span className="goal-label">Goal</span>
        <span className="goal-how">{problem ? PROBLEM_TEXT[problem.kind] : 'Not known now.'}</span>
        {details}
      </div>
    );
  }
  const { context } = view.data;
  if (!context.inScope) {
    // Not the company's work: one quiet line, and for an admin the way to track it (in the panel).
    return (
      <div className="goal-row" data-verdict="outside">
        <span className="goal-how">Not your workspace’s work.</span>
        {context.canDeclareScope && (
          <button type="button" className="goal-link" onClick={onOpen} aria-expanded={open}>
            Track it…
          </button>
        )}
      </div>
    );
  }
  const serving = context.links.filter((l) => l.stale === null);
  const first = serving[0];
  return (
    <div className="goal-row" data-verdict={context.verdict}>
      <span className="goal-label">Goal</span>
      <span className="goal-dot" aria-hidden="true" />
      {first ? (
        <>
          <button
            type="button"
            className="goal-name"
            onClick={() => void ask(send, { type: 'goals:open', objectiveId: first.objective.id })}
            aria-label={`${first.objective.title}: open it on the goals page`}
          >
            {first.objective.title}
          </button>
          {serving.length > 1 && <span className="goal-how">and {serving.length - 1} more</span>}
          <span className="goal-how">
            {first.inheritedFrom ? `through ${throughText(first.inheritedFrom)}` : 'linked directly'}
          </span>
        </>
      ) : (
        <span className="goal-none">{context.verdict === 'stale' ? 'Its goal is stale.' : 'Serves no goal.'}</span>
      )}
      {view.data.asOf !== undefined && (
        <span className="goal-how">(offline: as known {ageText(view.data.asOf, Date.now())})</span>
      )}
      {first ? (
        details
      ) : (
        <button type="button" className="goal-link" onClick={onOpen} aria-expanded={open}>
          Link it…
        </button>
      )}
    </div>
  );
}
