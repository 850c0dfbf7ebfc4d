/** Records the review as held, with its notes and decisions (or none). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { DECISION_KIND_TEXT } from '../../lib/extension/labels';
import type { Review } from '../../lib/shared/contract';
import { apiKeys, apiQuery, callApi, useSend } from '../shared/background';
import { ProblemView } from '../shared/ProblemView';
import { choicesOf, NamedSelect } from '../shared/parts';

export type DecisionKind = keyof typeof DECISION_KIND_TEXT;
export interface DecisionDraft {
  key: number;
  kind: DecisionKind;
  summary: string;
  ownerId: string;
  dueOn: string;
}

export function RecordReview({ review, teamId }: { review: Review; teamId: string | null }) {
  const send = useSend();
  const id = useId();
  const users = useQuery(apiQuery(send, 'users'));
  const queryClient = useQueryClient();
  const [notes, setNotes] = useState('');
  const [drafts, setDrafts] = useState<DecisionDraft[]>([]);
  const [nextKey, setNextKey] = useState(1);
  const record = useMutation({
    mutationFn: () =>
      callApi(send, 'holdReview', {
        teamId,
        periodId: review.period.id,
        notes,
        decisions: drafts.map((d) => ({
          kind: d.kind,
          summary: d.summary,
          ownerId: d.ownerId || null,
          dueOn: d.dueOn || null,
        })),
      }),
    onSuccess: () => {
      setNotes('');
      setDrafts([]);
      void queryClient.invalidateQueries({ queryKey: apiKeys.of('heldReviews') });
      void queryClient.invalidateQueries({ queryKey: apiKeys.of('review') });
    },
  });
  const update = (key: number, patch: Partial<DecisionDraft>) =>
    setDrafts(drafts.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  const add = () => {
    setDrafts([...drafts, { key: nextKey, kind: 'shift_effort', summary: '', ownerId: '', dueOn: '' }]);
    setNextKey(nextKey + 1);
  };
  return (
    <section aria-label="Record this review" className="card">
      <h2 style={{ marginTop: 0 }}>Record this review</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          record.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-notes`}>Notes</label>
          <textarea
            id={`${id}-notes`}
            rows={2}
            maxLength={10_000}
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
          />
        </div>
        <h3>Decisions</h3>
        {drafts.length === 0 && (
          <p className="muted">No decision yet. A review that decides nothing is recorded too.</p>
        )}
        {drafts.map((d, n) => (
          <fieldset key={d.key} className="decision-row" style={{ border: 0, padding: 0, margin: '0 0 8px' }}>
            <legend className="muted" style={{ gridColumn: '1 / -1', padding: 0 }}>
              Decision {n + 1}
            </legend>
            <NamedSelect
              id={`${id}-${d.key}-kind`}
              label="Kind"
              value={d.kind}
              onChange={(value) => update(d.key, { kind: value as DecisionKind })}
              choices={choicesOf(DECISION_KIND_TEXT)}
            />
            <div className="field">
              <label htmlFor={`${id}-${d.key}-summary`}>What was decided</label>
              <input
                id={`${id}-${d.key}-summary`}
                required
                maxLength={5000}
                value={d.summary}
                onChange={(e) => update(d.key, { summary: e.target.value })}
              />
            </div>
            <NamedSelect
              id={`${id}-${d.key}-owner`}
              label="Owner"
              value={d.ownerId}
              onChange={(value) => update(d.key, { ownerId: value })}
              choices={users.data?.users}
              empty={{ label: 'Nobody yet' }}
            />
            <div className="field">
              <label htmlFor={`${id}-${d.key}-due`}>Due</label>
              <input
                id={`${id}-${d.key}-due`}
                type="date"
                value={d.dueOn}
                onChange={(e) => update(d.key, { dueOn: e.target.value })}
              />
            </div>
            <button
              type="button"
              onClick={() => setDrafts(drafts.filter((x) => x.key !== d.key))}
              aria-label={`Remove decision ${n + 1}`}
            >
              Remove
            </button>
          </fieldset>
        ))}
        <ProblemView problem={record.error} />
        <div className="actions">
          <button type="button" onClick={add}>
            Add a decision
          </button>
          <button type="submit" className="primary" disabled={record.isPending}>
            {drafts.length === 0
              ? 'Record review: no decision'
              : `Record review with ${drafts.length} decision${drafts.length === 1 ? '' : 's'}`}
          </button>
        </div>
        {record.isSuccess && (
          <p className="notice notice-good" role="status">
            Review recorded.
          </p>
        )}
      </form>
    </section>
  );
}
