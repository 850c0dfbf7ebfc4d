/** One objective of the tree, opened: its key results, status updates and linked work. */
import { useEffect, useRef } from 'react';
import type { Objective } from '../../lib/shared/contract';
import { HealthChip, ProgressBar } from '../shared/parts';
import { KeyResultRow, NewKeyResult } from './KeyResults';
import { LinkedWork } from './LinkedWork';
import { StatusUpdates } from './StatusUpdates';

export function ObjectiveDetail({
  objective,
  onEdit,
  focusEdit,
}: {
  objective: Objective;
  onEdit: () => void;
  /** Back from its form: focus returns to the Edit button. */
  focusEdit: boolean;
}) {
  const editButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusEdit) editButton.current?.focus();
  }, [focusEdit]);
  return (
    <section className="card" aria-label={`Objective: ${objective.title}`}>
      <div style={{ display: 'flex', gap: 8, alignItems: 'start' }}>
        <h2 style={{ margin: 0, flex: 1 }} className="title-text">
          {objective.title}
        </h2>
        <button type="button" onClick={onEdit} ref={editButton}>
          Edit
        </button>
      </div>
      {objective.description && <p className="title-text">{objective.description}</p>}
      <p className="objective-row-meta">
        <HealthChip objective={objective} />
        <span>Owner: {objective.owner?.name ?? 'none'}</span>
        <span>Team: {objective.team?.name ?? 'company-wide'}</span>
        <span>Priority: {objective.priorityWeight}</span>
        <span>{objective.period.name}</span>
        <span>
          Last update: {objective.lastUpdateAt ? new Date(objective.lastUpdateAt).toLocaleDateString() : 'never'}
        </span>
      </p>
      <ProgressBar value={objective.progress} label="Progress" />
      <h3>Key results</h3>
      {objective.keyResults.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Key result</th>
              <th className="number">Start → target</th>
              <th>Current</th>
              <th>Progress</th>
            </tr>
          </thead>
          <tbody>
            {objective.keyResults.map((kr) => (
              <KeyResultRow key={kr.id} keyResult={kr} />
            ))}
          </tbody>
        </table>
      )}
      <NewKeyResult objectiveId={objective.id} />
      <StatusUpdates key={objective.id} objective={objective} />
      <LinkedWork objectiveId={objective.id} />
    </section>
  );
}
