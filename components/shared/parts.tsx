/** Small pieces shared by the extension's pages. */

import { HEALTH_TEXT, percent, STATUS_TEXT } from '../../lib/extension/labels';
import type { Objective } from '../../lib/shared/contract';

export function ProgressBar({ value, label }: { value: number | null; label: string }) {
  if (value === null) return <span className="muted">No key results</span>;
  return (
    <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center', minWidth: 120 }}>
      <span
        className="bar"
        style={{ flex: 1 }}
        role="progressbar"
        aria-label={label}
        aria-valuenow={Math.round(value * 100)}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div style={{ width: percent(value) }} />
      </span>
      {percent(value)}
    </span>
  );
}

export function HealthChip({ objective }: { objective: Pick<Objective, 'status' | 'health'> }) {
  if (objective.status !== 'active') return <span className="chip">{STATUS_TEXT[objective.status]}</span>;
  if (!objective.health) return <span className="chip">Active</span>;
  const tone = { on_track: 'good', at_risk: 'warn', off_track: 'bad' }[objective.health];
  return <span className={`chip chip-${tone}`}>{HEALTH_TEXT[objective.health]}</span>;
}

/** Choices as the pages list them: records by id and name, or a label map's entries. */
export const choicesOf = (labels: Record<string, string>) => Object.entries(labels).map(([id, name]) => ({ id, name }));

/** A labelled select of named choices, optionally led by one that names none (e.g. "No owner"). */
export function NamedSelect({
  id,
  label,
  value,
  onChange,
  choices,
  empty,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  choices: { id: string; name: string }[] | undefined;
  empty?: { value?: string; label: string };
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {empty && <option value={empty.value ?? ''}>{empty.label}</option>}
        {choices?.map((choice) => (
          <option key={choice.id} value={choice.id}>
            {choice.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A ticket's title, a link to its page when its URL is known; page text shown as text. */
export function TicketTitle({ ticket }: { ticket: { title: string; ref: string; url: string | null } }) {
  const text = ticket.title || ticket.ref;
  return ticket.url ? (
    <a href={ticket.url} target="_blank" rel="noreferrer" className="title-text">
      {text}
    </a>
  ) : (
    <span className="title-text">{text}</span>
  );
}
