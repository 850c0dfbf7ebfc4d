import { useQuery } from '@tanstack/react-query';
import { useLayoutEffect, useRef } from 'react';
import { ticketViewQuery, useSend } from '../shared/background';
import { Sidebar } from './Sidebar';

const VERDICT_TEXT = {
  aligned: 'this ticket serves a goal',
  unaligned: 'this ticket serves no goal',
  stale: 'this ticket’s goal is stale',
} as const;

/**
 * The panel's chrome: its title, the ticket it shows, and the control that closes it. The panel
 * lies over the page (it takes no width from it) and opens on demand. Closed, a tab at the edge
 * says the verdict, unless the Goal row in the host's own panel already does.
 */
export function SidebarFrame({
  ticketRef,
  collapsed,
  rowShown,
  focus,
  onToggle,
}: {
  ticketRef: string;
  collapsed: boolean;
  /** Whether the Goal row is in the host's panel: then the closed panel needs no tab. */
  rowShown: boolean;
  /** Opened by a person just now: focus moves into it (Escape closes it). Never on a page load. */
  focus: boolean;
  onToggle: () => void;
}) {
  const send = useSend();
  const close = useRef<HTMLButtonElement>(null);
  // In the same commit as the panel: a key pressed right after it opens already reaches it.
  useLayoutEffect(() => {
    if (focus && !collapsed) close.current?.focus();
  }, [focus, collapsed]);
  const view = useQuery(ticketViewQuery(send, ticketRef));
  const key = ticketRef.slice(ticketRef.indexOf('/') + 1);
  if (collapsed) {
    if (rowShown) return null;
    const context = view.data?.context;
    const verdict = context?.inScope ? context.verdict : null;
    return (
      <button
        type="button"
        className="tab"
        data-verdict={verdict ?? undefined}
        onClick={onToggle}
        aria-label={`Show the Throughline sidebar${verdict ? `: ${VERDICT_TEXT[verdict]}` : ''} (Alt+Shift+G)`}
        aria-expanded="false"
      >
        <span aria-hidden="true">◎</span>
      </button>
    );
  }
  return (
    <aside
      className="panel"
      aria-label="Throughline: the goal this ticket serves"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onToggle();
      }}
    >
      <header className="panel-header">
        <h1 className="panel-title">
          Throughline <span className="panel-key">{key}</span>
        </h1>
        <button
          ref={close}
          type="button"
          className="collapse"
          onClick={onToggle}
          aria-label="Hide the Throughline sidebar (Alt+Shift+G)"
          aria-expanded="true"
        >
          ⟩
        </button>
      </header>
      <Sidebar key={ticketRef} ticketRef={ticketRef} />
    </aside>
  );
}
