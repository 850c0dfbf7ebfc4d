/** An objective's status updates: post one with a note, read the history. */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { UPDATE_STATUS_TEXT } from '../../lib/extension/labels';
import type { Objective, UpdateStatus } from '../../lib/shared/contract';
import { apiQuery, callApi, useSend } from '../shared/background';
import { ProblemView } from '../shared/ProblemView';
import { choicesOf, NamedSelect } from '../shared/parts';
import { useObjectivesChanged } from './ObjectiveForm';

export function StatusUpdates({ objective }: { objective: Objective }) {
  const send = useSend();
  const id = useId();
  const updates = useQuery(apiQuery(send, 'statusUpdates', { objectiveId: objective.id }));
  const [status, setStatus] = useState<UpdateStatus>(objective.health ?? 'on_track');
  const [note, setNote] = useState('');
  const changed = useObjectivesChanged();
  const post = useMutation({
    mutationFn: () => callApi(send, 'postStatusUpdate', { objectiveId: objective.id, update: { status, note } }),
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
        <ProblemView problem={post.error} />
        <div className="actions">
          <button type="submit" disabled={post.isPending}>
            Post update
          </button>
        </div>
      </form>
      <ProblemView problem={updates.error} />
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
