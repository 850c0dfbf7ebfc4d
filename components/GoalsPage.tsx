/**
 * The goals page: objectives and key results of a period in one place, for their owners and
 * admins. Create and edit them, post status updates, see the work linked to each, and import or
 * export the whole set.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { KeyResult, Objective, ObjectiveStatus, UpdateStatus } from '../lib/contract';
import { STATUS_TEXT, UPDATE_STATUS_TEXT } from '../lib/labels';
import { objectiveTree } from '../lib/objective-tree';
import { ImportExport } from './ImportExport';
import { apiKeys, apiQuery, callApi } from './page-api';
import { choicesOf, HealthChip, NamedSelect, ProblemNotice, ProgressBar } from './page-parts';

/** Invalidates everything read from the API about objectives after a change. */
function useObjectivesChanged() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: apiKeys.of('objectives') });
    void queryClient.invalidateQueries({ queryKey: apiKeys.of('statusUpdates') });
    void queryClient.invalidateQueries({ queryKey: apiKeys.of('links') });
  };
}

interface FormValues {
  title: string;
  description: string;
  periodId: string;
  ownerId: string;
  teamId: string;
  parentId: string;
  priorityWeight: string;
  status: ObjectiveStatus;
  updateCadenceDays: string;
}

function ObjectiveForm({
  objective,
  periodId,
  periodObjectives,
  onDone,
}: {
  objective: Objective | null;
  periodId: string;
  periodObjectives: Objective[];
  onDone: (saved: Objective | null) => void;
}) {
  const id = useId();
  const users = useQuery(apiQuery('users'));
  const teams = useQuery(apiQuery('teams'));
  const periods = useQuery(apiQuery('periods'));
  const changed = useObjectivesChanged();
  const [values, setValues] = useState<FormValues>({
    title: objective?.title ?? '',
    description: objective?.description ?? '',
    periodId: objective?.period.id ?? periodId,
    ownerId: objective?.owner?.id ?? '',
    teamId: objective?.team?.id ?? '',
    parentId: objective?.parentId ?? '',
    priorityWeight: String(objective?.priorityWeight ?? 1),
    status: objective?.status ?? 'active',
    updateCadenceDays: String(objective?.updateCadenceDays ?? 14),
  });
  // Opening the form moves focus into it; the button that opened it is gone.
  const titleInput = useRef<HTMLInputElement>(null);
  useEffect(() => titleInput.current?.focus(), []);
  const setField = (field: keyof FormValues) => (value: string) => setValues({ ...values, [field]: value });
  const set = (field: keyof FormValues) => (e: { target: { value: string } }) => setField(field)(e.target.value);
  const save = useMutation({
    mutationFn: () => {
      const fields = {
        title: values.title,
        description: values.description,
        periodId: values.periodId,
        ownerId: values.ownerId || null,
        teamId: values.teamId || null,
        parentId: values.parentId || null,
        priorityWeight: Number(values.priorityWeight),
        status: values.status,
        updateCadenceDays: Number(values.updateCadenceDays),
      };
      return objective
        ? callApi('updateObjective', { id: objective.id, patch: fields })
        : callApi('createObjective', fields);
    },
    onSuccess: (saved) => {
      changed();
      onDone(saved);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const parents = periodObjectives.filter((o) => o.id !== objective?.id && o.period.id === values.periodId);
  return (
    <form onSubmit={submit} aria-label={objective ? 'Edit objective' : 'New objective'} className="card">
      <h2 style={{ marginTop: 0 }}>{objective ? 'Edit objective' : 'New objective'}</h2>
      <div className="form-grid">
        <div className="field wide">
          <label htmlFor={`${id}-title`}>Title</label>
          <input
            id={`${id}-title`}
            ref={titleInput}
            required
            maxLength={500}
            value={values.title}
            onChange={set('title')}
          />
        </div>
        <div className="field wide">
          <label htmlFor={`${id}-description`}>Description</label>
          <textarea
            id={`${id}-description`}
            rows={2}
            maxLength={10_000}
            value={values.description}
            onChange={set('description')}
          />
        </div>
        <NamedSelect
          id={`${id}-period`}
          label="Period"
          value={values.periodId}
          onChange={setField('periodId')}
          choices={periods.data?.periods}
        />
        <NamedSelect
          id={`${id}-owner`}
          label="Owner"
          value={values.ownerId}
          onChange={setField('ownerId')}
          choices={users.data?.users}
          empty={{ label: 'No owner' }}
        />
        <NamedSelect
          id={`${id}-team`}
          label="Team"
          value={values.teamId}
          onChange={setField('teamId')}
          choices={teams.data?.teams}
          empty={{ label: 'Company-wide' }}
        />
        <NamedSelect
          id={`${id}-parent`}
          label="Parent objective"
          value={values.parentId}
          onChange={setField('parentId')}
          choices={parents.map((o) => ({ id: o.id, name: o.title }))}
          empty={{ label: 'None' }}
        />
        <div className="field">
          <label htmlFor={`${id}-priority`}>Priority weight</label>
          <input
            id={`${id}-priority`}
            type="number"
            min="0.01"
            step="any"
            required
            value={values.priorityWeight}
            onChange={set('priorityWeight')}
          />
        </div>
        <NamedSelect
          id={`${id}-status`}
          label="Status"
          value={values.status}
          onChange={setField('status')}
          choices={choicesOf(STATUS_TEXT)}
        />
        <div className="field">
          <label htmlFor={`${id}-cadence`}>Status update every (days)</label>
          <input
            id={`${id}-cadence`}
            type="number"
            min="1"
            max="366"
            required
            value={values.updateCadenceDays}
            onChange={set('updateCadenceDays')}
          />
        </div>
      </div>
      <ProblemNotice error={save.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {objective ? 'Save changes' : 'Create objective'}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function KeyResultRow({ keyResult }: { keyResult: KeyResult }) {
  // What the person is typing; the API's value shows whenever nothing is being typed.
  const [draft, setDraft] = useState<string | null>(null);
  const current = draft ?? String(keyResult.currentValue);
  const changed = useObjectivesChanged();
  const save = useMutation({
    mutationFn: () => callApi('updateKeyResult', { id: keyResult.id, patch: { currentValue: Number(current) } }),
    onSuccess: () => {
      setDraft(null);
      changed();
    },
  });
  return (
    <tr>
      <td className="title-text">{keyResult.title}</td>
      <td className="number">
        {keyResult.startValue} → {keyResult.targetValue} {keyResult.unit}
      </td>
      <td>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
          style={{ display: 'flex', gap: 4 }}
        >
          <input
            type="number"
            step="any"
            required
            value={current}
            onChange={(e) => setDraft(e.target.value)}
            aria-label={`Current value of ${keyResult.title}`}
            style={{ width: 90 }}
          />
          <button type="submit" disabled={save.isPending || current === String(keyResult.currentValue)}>
            Save
          </button>
        </form>
        <ProblemNotice error={save.error} />
      </td>
      <td>
        <ProgressBar value={keyResult.progress} label={`Progress of ${keyResult.title}`} />
      </td>
    </tr>
  );
}

function NewKeyResult({ objectiveId }: { objectiveId: string }) {
  const id = useId();
  const empty = { title: '', startValue: '0', targetValue: '', unit: '' };
  const [values, setValues] = useState(empty);
  const changed = useObjectivesChanged();
  const add = useMutation({
    mutationFn: () =>
      callApi('createKeyResult', {
        objectiveId,
        keyResult: {
          title: values.title,
          startValue: Number(values.startValue),
          targetValue: Number(values.targetValue),
          unit: values.unit,
        },
      }),
    onSuccess: () => {
      setValues(empty);
      changed();
    },
  });
  const set = (field: keyof typeof empty) => (e: { target: { value: string } }) =>
    setValues({ ...values, [field]: e.target.value });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
      aria-label="Add a key result"
    >
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-t`}>New key result</label>
          <input id={`${id}-t`} required maxLength={500} value={values.title} onChange={set('title')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-s`}>Start</label>
          <input id={`${id}-s`} type="number" step="any" value={values.startValue} onChange={set('startValue')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-g`}>Target</label>
          <input
            id={`${id}-g`}
            type="number"
            step="any"
            required
            value={values.targetValue}
            onChange={set('targetValue')}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-u`}>Unit</label>
          <input id={`${id}-u`} maxLength={40} value={values.unit} onChange={set('unit')} />
        </div>
      </div>
      <ProblemNotice error={add.error} />
      <div className="actions">
        <button type="submit" disabled={add.isPending}>
          Add key result
        </button>
      </div>
    </form>
  );
}

function StatusUpdates({ objective }: { objective: Objective }) {
  const id = useId();
  const updates = useQuery(apiQuery('statusUpdates', { objectiveId: objective.id }));
  const [status, setStatus] = useState<UpdateStatus>(objective.health ?? 'on_track');
  const [note, setNote] = useState('');
  const changed = useObjectivesChanged();
  const post = useMutation({
    mutationFn: () => callApi('postStatusUpdate', { objectiveId: objective.id, update: { status, note } }),
    onSuccess: () => {
      setNote('');
      changed();
    },
  });
  return (
    <>
      <h3>Status updates</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          post.mutate();
        }}
        aria-label="Post a status update"
      >
        <div className="form-grid">
          <NamedSelect
            id={`${id}-s`}
            label="Status"
            value={status}
            onChange={(value) => setStatus(value as UpdateStatus)}
            choices={choicesOf(UPDATE_STATUS_TEXT)}
          />
          <div className="field wide">
            <label htmlFor={`${id}-n`}>Note</label>
            <textarea id={`${id}-n`} rows={2} maxLength={5000} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
        </div>
        <ProblemNotice error={post.error} />
        <div className="actions">
          <button type="submit" disabled={post.isPending}>
            Post update
          </button>
        </div>
      </form>
      <ProblemNotice error={updates.error} />
      {updates.data && updates.data.updates.length === 0 && <p className="muted">No status update yet.</p>}
      <ul className="plain" aria-label="Past status updates">
        {updates.data?.updates.map((u) => (
          <li key={u.id}>
            <strong>{UPDATE_STATUS_TEXT[u.status]}</strong>{' '}
            <span className="muted">
              {new Date(u.createdAt).toLocaleDateString()} · {u.author?.name ?? 'someone'}
            </span>
            {u.note && <div className="title-text">{u.note}</div>}
          </li>
        ))}
      </ul>
    </>
  );
}

function LinkedWork({ objectiveId }: { objectiveId: string }) {
  const links = useQuery(apiQuery('links', { objectiveId, state: 'live' }));
  return (
    <>
      <h3>Linked work{links.data ? ` (${links.data.links.length})` : ''}</h3>
      <ProblemNotice error={links.error} />
      {links.data?.links.length === 0 && <p className="muted">No ticket is linked to this objective.</p>}
      <ul className="plain" aria-label="Linked tickets">
        {links.data?.links.map((link) => (
          <li key={link.id}>
            <span className="ref">{link.ref}</span>{' '}
            <span className="muted">
              linked {new Date(link.createdAt).toLocaleDateString()}
              {link.createdBy ? ` by ${link.createdBy.name}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

function ObjectiveDetail({
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

export function GoalsPage() {
  const periodSelectId = useId();
  const periods = useQuery(apiQuery('periods'));
  const [periodChoice, setPeriodChoice] = useState<string | null>(null);
  const today = new Date().toISOString().slice(0, 10);
  const currentPeriod = periods.data?.periods.find((p) => p.startsOn <= today && today <= p.endsOn);
  const periodId = periodChoice ?? currentPeriod?.id ?? periods.data?.periods[0]?.id ?? null;
  const objectives = useQuery({ ...apiQuery('objectives', { period: periodId ?? undefined }), enabled: !!periodId });
  const [selected, setSelected] = useState<string | null>(null);
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
      <ProblemNotice error={periods.error ?? objectives.error} />
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
    </main>
  );
}
