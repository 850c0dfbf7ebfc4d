/** The form that creates or edits an objective: owner, team, priority, parent, status, cadence. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { STATUS_TEXT } from '../../lib/extension/labels';
import type { Objective, ObjectiveStatus } from '../../lib/shared/contract';
import { apiKeys, apiQuery, callApi, useSend } from '../shared/background';
import { ProblemView } from '../shared/ProblemView';
import { choicesOf, NamedSelect } from '../shared/parts';

/** Invalidates everything read from the API about objectives after a change. */
export function useObjectivesChanged() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: apiKeys.of('objectives') });
    void queryClient.invalidateQueries({ queryKey: apiKeys.of('statusUpdates') });
    void queryClient.invalidateQueries({ queryKey: apiKeys.of('links') });
  };
}

export interface FormValues {
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

export function ObjectiveForm({
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
  const send = useSend();
  const id = useId();
  const users = useQuery(apiQuery(send, 'users'));
  const teams = useQuery(apiQuery(send, 'teams'));
  const periods = useQuery(apiQuery(send, 'periods'));
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
        ? callApi(send, 'updateObjective', { id: objective.id, patch: fields })
        : callApi(send, 'createObjective', fields);
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
      <ProblemView problem={save.error} />
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
