/**
 * The goals page: objectives and key results of a period in one place, for their owners and
 * admins. Create and edit them, post status updates, see the work linked to each, and import or
 * export the whole set.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { objectiveTree } from '../../lib/extension/objective-tree';
import { apiQuery, useSend } from '../shared/background';
import { ProblemView } from '../shared/ProblemView';
import { HealthChip, ProgressBar } from '../shared/parts';
import { ConnectionSettings } from './ConnectionSettings';
import { ImportExport } from './ImportExport';
import { ObjectiveDetail } from './ObjectiveDetail';
import { ObjectiveForm } from './ObjectiveForm';
import { ScopeSettings } from './ScopeSettings';

export function GoalsPage() {
  const send = useSend();
  const periodSelectId = useId();
  const periods = useQuery(apiQuery(send, 'periods'));
  const [periodChoice, setPeriodChoice] = useState<string | null>(null);
  const today = new Date().toISOString().slice(0, 10);
  const currentPeriod = periods.data?.periods.find((p) => p.startsOn <= today && today <= p.endsOn);
  const periodId = periodChoice ?? currentPeriod?.id ?? periods.data?.periods[0]?.id ?? null;
  const objectives = useQuery({
    ...apiQuery(send, 'objectives', { period: periodId ?? undefined }),
    enabled: !!periodId,
  });
  // goals.html#objective=<id> opens at that objective (the sidebar's Goal row links here).
  const [selected, setSelected] = useState<string | null>(() =>
    new URLSearchParams(window.location.hash.slice(1)).get('objective'),
  );
  const [editing, setEditing] = useState<'new' | 'selected' | null>(null);
  /** Where focus goes when a form closes: the objective shown, or the New objective button. */
  const [backFromForm, setBackFromForm] = useState(false);
  const newButton = useRef<HTMLButtonElement>(null);
  const closeForm = (selectedAfter: string | null) => {
    setEditing(null);
    setBackFromForm(true);
    if (selectedAfter) setSelected(selectedAfter);
    else if (!selected) requestAnimationFrame(() => newButton.current?.focus());
  };
  const list = objectives.data?.objectives ?? [];
  const selectedObjective = list.find((o) => o.id === selected) ?? null;
  const period = periods.data?.periods.find((p) => p.id === periodId);

  return (
    <main className="page">
      <header className="page-header">
        <h1>Goals</h1>
        <div className="field">
          <label htmlFor={periodSelectId}>Period</label>
          <select
            id={periodSelectId}
            value={periodId ?? ''}
            onChange={(e) => {
              setPeriodChoice(e.target.value);
              setSelected(null);
            }}
          >
            {periods.data?.periods.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.id === currentPeriod?.id ? ' (current)' : ''}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="primary"
          ref={newButton}
          onClick={() => setEditing('new')}
          disabled={!periodId}
        >
          New objective
        </button>
        <a href="/review.html">Alignment review</a>
      </header>
      <ProblemView problem={periods.error ?? objectives.error} />
      {periods.data?.periods.length === 0 && (
        <p className="notice">No period exists yet: import a file that names one, or create one with the CLI.</p>
      )}
      <div className="goals-layout">
        <section aria-label="Objectives">
          <h2>
            {period?.name ?? ''} objectives ({list.length})
          </h2>
          {objectives.isPending && periodId && <p className="muted">Loading…</p>}
          {objectives.data && list.length === 0 && <p className="muted">No objective in this period yet.</p>}
          {objectiveTree(list).map(({ objective, depth }) => (
            <button
              type="button"
              key={objective.id}
              className={`objective-row${depth > 0 ? ' child' : ''}`}
              aria-current={objective.id === selected}
              onClick={() => {
                setSelected(objective.id);
                setEditing(null);
                setBackFromForm(false);
              }}
            >
              <div className="title-text">{objective.title}</div>
              <div className="objective-row-meta">
                <HealthChip objective={objective} />
                <span>{objective.team?.name ?? 'Company-wide'}</span>
                <span>{objective.owner?.name ?? 'No owner'}</span>
                <span>Priority {objective.priorityWeight}</span>
                <ProgressBar value={objective.progress} label={`Progress of ${objective.title}`} />
              </div>
            </button>
          ))}
        </section>
        <div>
          {editing === 'new' && periodId && (
            <ObjectiveForm
              objective={null}
              periodId={periodId}
              periodObjectives={list}
              onDone={(saved) => closeForm(saved?.id ?? null)}
            />
          )}
          {editing === 'selected' && selectedObjective && periodId && (
            <ObjectiveForm
              objective={selectedObjective}
              periodId={periodId}
              periodObjectives={list}
              onDone={() => closeForm(null)}
            />
          )}
          {!editing && selectedObjective && (
            <ObjectiveDetail
              key={selectedObjective.id}
              objective={selectedObjective}
              onEdit={() => setEditing('selected')}
              focusEdit={backFromForm}
            />
          )}
          {!editing && !selectedObjective && (
            <p className="muted">Choose an objective to see its key results, status updates and linked work.</p>
          )}
        </div>
      </div>
      <ImportExport periodName={period?.name} />
      <ScopeSettings />
      <ConnectionSettings />
    </main>
  );
}
