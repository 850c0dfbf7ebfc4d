/** An objective's key results: move their current value, add one. */
import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { KeyResult } from '../../lib/shared/contract';
import { callApi, useSend } from '../shared/background';
import { ProblemView } from '../shared/ProblemView';
import { ProgressBar } from '../shared/parts';
import { useObjectivesChanged } from './ObjectiveForm';

export function KeyResultRow({ keyResult }: { keyResult: KeyResult }) {
  const send = useSend();
  // What the person is typing; the API's value shows whenever nothing is being typed.
  const [draft, setDraft] = useState<string | null>(null);
  const current = draft ?? String(keyResult.currentValue);
  const changed = useObjectivesChanged();
  const save = useMutation({
    mutationFn: () => callApi(send, 'updateKeyResult', { id: keyResult.id, patch: { currentValue: Number(current) } }),
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
        <ProblemView problem={save.error} />
      </td>
      <td>
        <ProgressBar value={keyResult.progress} label={`Progress of ${keyResult.title}`} />
      </td>
    </tr>
  );
}

export function NewKeyResult({ objectiveId }: { objectiveId: string }) {
  const send = useSend();
  const id = useId();
  const empty = { title: '', startValue: '0', targetValue: '', unit: '' };
  const [values, setValues] = useState(empty);
  const changed = useObjectivesChanged();
  const add = useMutation({
    mutationFn: () =>
      callApi(send, 'createKeyResult', {
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
      <ProblemView problem={add.error} />
      <div className="actions">
        <button type="submit" disabled={add.isPending}>
          Add key result
        </button>
      </div>
    </form>
  );
}
