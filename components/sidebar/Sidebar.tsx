import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ageText, dayText, STALE_TEXT, throughText } from '../../lib/extension/labels';
import type { LinkOutcome, TicketView } from '../../lib/extension/messages';
import type { ContextLink, LinkException, ObjectiveSummary, StaleReason } from '../../lib/shared/contract';
import { ask, ProblemError, ticketViewQuery, useSend } from '../shared/background';
import { ProblemView, reasonOf } from '../shared/ProblemView';
import { LinkAction, ObjectiveCard, PENDING_PREFIX, Provenance } from './LinkedGoal';
import { ObjectivePicker } from './ObjectivePicker';
import { OutOfScope } from './OutOfScope';

/** How long an unlink or a "not for this goal" can be taken back from the notice it leaves. */
const UNDO_MS = 10_000;

interface Notice {
  tone: 'info' | 'error';
  text: string;
  /** One action that takes the change back. */
  undo?: () => void;
}

/** The goal context of one ticket: what it serves, or a warning and the way to link it. */
export function Sidebar({ ticketRef }: { ticketRef: string }) {
  const send = useSend();
  const queryClient = useQueryClient();
  const query = ticketViewQuery(send, ticketRef);
  const view = useQuery(query);
  const [picking, setPicking] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  // An undo offered in a notice lapses after a few seconds; a newer notice replaces it.
  useEffect(() => {
    if (!notice?.undo) return;
    const timer = setTimeout(() => setNotice((current) => (current === notice ? null : current)), UNDO_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  const link = useMutation({
    mutationFn: (pick: { objective: ObjectiveSummary; keyResult: ContextLink['keyResult'] }) =>
      ask<LinkOutcome>(send, {
        type: 'link:create',
        ref: ticketRef,
        objectiveId: pick.objective.id,
        keyResultId: pick.keyResult?.id ?? null,
      }),
    onMutate: async (pick) => {
      setPicking(false);
      setNotice(null);
      await queryClient.cancelQueries({ queryKey: query.queryKey });
      const previous = queryClient.getQueryData(query.queryKey);
      queryClient.setQueryData(query.queryKey, (current) =>
        current
          ? {
              ...current,
              context: {
                ...current.context,
                verdict: 'aligned' as const,
                suggestions: [],
                links: [
                  // Its own link replaces the one it inherited for the same objective.
                  ...current.context.links.filter((l) => !(l.inheritedFrom && l.objective.id === pick.objective.id)),
                  {
                    id: `${PENDING_PREFIX}${pick.objective.id}`,
                    objective: pick.objective,
                    keyResult: pick.keyResult,
                    weight: null,
                    stale: null,
                    createdAt: new Date().toISOString(),
                    createdBy: null,
                    inheritedFrom: null,
                  },
                ],
              },
            }
          : current,
      );
      return { previous };
    },
    onError: (error, pick, context) => {
      queryClient.setQueryData(query.queryKey, context?.previous);
      setNotice({ tone: 'error', text: `Not linked to “${pick.objective.title}”: ${reasonOf(error)}` });
    },
    onSuccess: (outcome, pick) => {
      if (outcome.status === 'queued') {
        // Waiting on this device: said so on its card, which stays until the API has it.
        queryClient.setQueryData(query.queryKey, (current) =>
          current ? { ...current, pending: [...current.pending, outcome.pending] } : current,
        );
      }
      setNotice(
        outcome.status === 'queued'
          ? { tone: 'info', text: 'Saved on this device: the link is sent when the goals API answers again.' }
          : { tone: 'info', text: `Linked to “${pick.objective.title}”.` },
      );
    },
    // Whatever happened, settle on what the API says (a queued link shows as waiting).
    onSettled: () => queryClient.invalidateQueries({ queryKey: query.queryKey }),
  });

  /** Takes a linked goal off the ticket at once, until the API says otherwise. */
  const withoutLink = async (linkId: string) => {
    setNotice(null);
    await queryClient.cancelQueries({ queryKey: query.queryKey });
    const previous = queryClient.getQueryData(query.queryKey);
    queryClient.setQueryData(query.queryKey, (current) =>
      current
        ? { ...current, context: { ...current.context, links: current.context.links.filter((l) => l.id !== linkId) } }
        : current,
    );
    return { previous };
  };

  const unlink = useMutation({
    mutationFn: (ended: ContextLink) => ask(send, { type: 'link:end', ref: ticketRef, linkId: ended.id }),
    onMutate: (ended) => withoutLink(ended.id),
    onError: (error, _ended, context) => {
      queryClient.setQueryData(query.queryKey, context?.previous);
      setNotice({ tone: 'error', text: `Not unlinked: ${reasonOf(error)}` });
    },
    onSuccess: (_link, ended) =>
      setNotice({
        tone: 'info',
        text: `Unlinked from “${ended.objective.title}”.`,
        undo: () => link.mutate({ objective: ended.objective, keyResult: ended.keyResult }),
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: query.queryKey }),
  });

  const endException = useMutation({
    mutationFn: (exceptionId: string) => ask(send, { type: 'exception:end', ref: ticketRef, exceptionId }),
    onError: (error) => setNotice({ tone: 'error', text: `Not taken back: ${reasonOf(error)}` }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: query.queryKey }),
  });

  const refuse = useMutation({
    mutationFn: (inherited: ContextLink) =>
      ask<LinkException>(send, { type: 'exception:create', ref: ticketRef, objectiveId: inherited.objective.id }),
    onMutate: (inherited) => withoutLink(inherited.id),
    onError: (error, _inherited, context) => {
      queryClient.setQueryData(query.queryKey, context?.previous);
      setNotice({ tone: 'error', text: `Still serves it: ${reasonOf(error)}` });
    },
    onSuccess: (exception, inherited) =>
      setNotice({
        tone: 'info',
        text: `This ticket no longer serves “${inherited.objective.title}”.`,
        undo: () => endException.mutate(exception.id),
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: query.queryKey }),
  });

  if (view.isPending) {
    return (
      <div className="state" role="status" aria-busy="true">
        Loading the goal context…
      </div>
    );
  }
  if (view.isError && !view.data) {
    const problem =
      view.error instanceof ProblemError
        ? view.error.problem
        : { kind: 'unreachable' as const, message: view.error.message };
    return (
      <ProblemView
        problem={problem}
        subject="which goal this ticket serves"
        inHostPage
        className="state"
        onRetry={() => void view.refetch()}
      />
    );
  }
  const data = view.data as TicketView;
  const { context } = data;
  if (!context.inScope) return <OutOfScope context={context} />;
  const liveLinks = context.links;
  const stale = liveLinks.filter((l) => l.stale !== null);
  const pending = data.pending.filter((p) => !liveLinks.some((l) => l.objective.id === p.objectiveId));
  const linkedIds = new Set(liveLinks.map((l) => l.objective.id));

  return (
    <div className="content">
      {data.asOf !== undefined ? (
        <div className="banner banner-error" role="status">
          Can’t reach the goals API: showing what was known {ageText(data.asOf, Date.now())}.
        </div>
      ) : (
        view.isError && (
          <div className="banner banner-error" role="alert">
            Can’t reach the goals API: showing what was last loaded.
          </div>
        )
      )}
      {notice && (
        <div className={`banner banner-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          {notice.text}{' '}
          {notice.undo && (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                notice.undo?.();
                setNotice(null);
              }}
            >
              Undo
            </button>
          )}
        </div>
      )}

      {context.verdict === 'aligned' && (
        <section aria-labelledby="tl-serves">
          <h2 id="tl-serves" className="section-title">
            This ticket serves
          </h2>
          {liveLinks
            .filter((l) => l.stale === null)
            .map((l) => (
              <div key={l.id} className="linked" data-pending={l.id.startsWith(PENDING_PREFIX) || undefined}>
                <ObjectiveCard objective={l.objective} keyResult={l.keyResult} />
                <Provenance link={l} />
                <LinkAction
                  link={l}
                  queued={data.pending.some((p) => p.objectiveId === l.objective.id)}
                  onUnlink={unlink.mutate}
                  onRefuse={refuse.mutate}
                />
              </div>
            ))}
        </section>
      )}
      {context.exceptions.length > 0 && (
        <section aria-labelledby="tl-not-for">
          <h2 id="tl-not-for" className="section-title">
            Not for this ticket
          </h2>
          <ul className="exceptions">
            {context.exceptions.map((e) => (
              <li key={e.id}>
                “{e.objective.title}”, marked{e.createdBy ? ` by ${e.createdBy.name}` : ''} on {dayText(e.createdAt)}.{' '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => endException.mutate(e.id)}
                  aria-label={`Serve “${e.objective.title}” again`}
                >
                  Serve it again
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      {context.verdict === 'unaligned' && (
        <div className="warning" role="alert">
          <strong>This ticket serves no goal.</strong> Link it to the objective it moves forward.
        </div>
      )}
      {stale.length > 0 && (
        <div className="warning" role="alert">
          <strong>
            {context.verdict === 'stale' ? 'This ticket’s goal is stale.' : 'One of this ticket’s links is stale.'}
          </strong>
          <ul className="stale-list">
            {stale.map((l) => (
              <li key={l.id}>
                “{l.objective.title}”: {STALE_TEXT[l.stale as StaleReason]}
                {l.inheritedFrom ? ` (through ${throughText(l.inheritedFrom)})` : ''}.{' '}
                <LinkAction link={l} queued={false} onUnlink={unlink.mutate} onRefuse={refuse.mutate} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {pending.length > 0 && (
        <div className="banner banner-info" role="status">
          {pending.length === 1 ? 'One link waits' : `${pending.length} links wait`} to be sent to the goals API.
        </div>
      )}

      {context.suggestions.length > 0 && (
        <section aria-labelledby="tl-suggested">
          <h2 id="tl-suggested" className="section-title">
            Suggested objectives
          </h2>
          <ul className="suggestions">
            {context.suggestions.map((s) => (
              <li key={s.objective.id} className="suggestion">
                <div>
                  <div className="objective-title">{s.objective.title}</div>
                  <div className="suggestion-reason">{s.reasons.join('; ')}</div>
                </div>
                <button
                  type="button"
                  className="primary"
                  aria-label={`Link to ${s.objective.title}`}
                  onClick={() => link.mutate({ objective: s.objective, keyResult: null })}
                >
                  Link
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      {picking ? (
        <>
          <ObjectivePicker
            exclude={linkedIds}
            onPick={({ objective, keyResultId }) =>
              link.mutate({
                objective,
                keyResult: objective.keyResults.find((kr) => kr.id === keyResultId) ?? null,
              })
            }
          />
          <button type="button" className="link-button" onClick={() => setPicking(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" className="secondary" onClick={() => setPicking(true)}>
          {liveLinks.length > 0 ? 'Link another objective' : 'Choose an objective…'}
        </button>
      )}
    </div>
  );
}
