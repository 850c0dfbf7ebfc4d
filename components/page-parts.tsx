/** Small pieces shared by the extension's pages. */
import type { Objective } from '../lib/contract';
import { HEALTH_TEXT, percent, STATUS_TEXT } from '../lib/labels';
import type { Problem } from '../lib/messages';
import { ProblemError } from './queries';

export function ProblemNotice({ error }: { error: unknown }) {
  if (!error) return null;
  const problem: Problem | null = error instanceof ProblemError ? error.problem : null;
  return (
    <div className="notice notice-bad" role="alert">
      <p style={{ margin: 0 }}>{problem?.message ?? String((error as Error).message ?? error)}</p>
      {problem?.issues && problem.issues.length > 1 && (
        <ul>
          {problem.issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path}: {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ProgressBar({ value, label }: { value: number | null; label: string }) {
  if (value === null) return <span className="muted">No key results</span>;
  return (
    <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center', minWidth: 120 }}>
      <span
        className="bar"
        style={{ flex: 1 }}
        role="progressbar"
        aria-label={label}
        aria-valuenow={Math.round(value * 100)}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div style={{ width: percent(value) }} />
      </span>
      {percent(value)}
    </span>
  );
}

export function HealthChip({ objective }: { objective: Pick<Objective, 'status' | 'health'> }) {
  if (objective.status !== 'active') return <span className="chip">{STATUS_TEXT[objective.status]}</span>;
  if (!objective.health) return <span className="chip">Active</span>;
  const tone = { on_track: 'good', at_risk: 'warn', off_track: 'bad' }[objective.health];
  return <span className={`chip chip-${tone}`}>{HEALTH_TEXT[objective.health]}</span>;
}
