import { Sidebar } from './Sidebar';

/** The sidebar's chrome: its title, the ticket it shows, and the collapse control. */
export function SidebarFrame({
  ticketRef,
  collapsed,
  onToggle,
}: {
  ticketRef: string;
  collapsed: boolean;
  onToggle: () => void;
}) {
  const key = ticketRef.slice(ticketRef.indexOf('/') + 1);
  if (collapsed) {
    return (
      <button
        type="button"
        className="tab"
        onClick={onToggle}
        aria-label="Show the Throughline sidebar (Alt+Shift+G)"
        aria-expanded="false"
      >
        <span aria-hidden="true">◎</span>
      </button>
    );
  }
  return (
    <aside className="panel" aria-label="Throughline: the goal this ticket serves">
      <header className="panel-header">
        <h1 className="panel-title">
          Throughline <span className="panel-key">{key}</span>
        </h1>
        <button
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
