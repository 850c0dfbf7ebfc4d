/** The words the extension's UI uses for the contract's values, in one place. */
import type { InheritedFrom, ObjectiveStatus, StaleReason, UpdateStatus } from '../shared/contract';
import { containerKindOf, labelName, parseRef } from '../shared/ref';

export const percent = (share: number) => `${Math.round(share * 100)}%`;
export const percentOrNull = (share: number | null) => (share === null ? null : percent(share));
/** A difference of shares in percentage points, signed: `+5 pts`, `−12 pts`. */
export const signedPoints = (delta: number) => `${delta >= 0 ? '+' : '−'}${Math.abs(Math.round(delta * 100))} pts`;

/** Why an objective is starved, in words. */
export function starvedText(row: {
  starvedReasons: ('under_allocated' | 'no_recent_work')[];
  allocationShare: number;
  priorityShare: number;
}): string {
  return row.starvedReasons
    .map((reason) =>
      reason === 'under_allocated'
        ? `gets ${percent(row.allocationShare)} of the work against a priority of ${percent(row.priorityShare)}`
        : 'no linked work in recent weeks',
    )
    .join('; ');
}

export const STATUS_TEXT: Record<ObjectiveStatus, string> = {
  active: 'Active',
  achieved: 'Achieved',
  missed: 'Missed',
  dropped: 'Dropped',
};
export const HEALTH_TEXT = { on_track: 'On track', at_risk: 'At risk', off_track: 'Off track' } as const;
export const UPDATE_STATUS_TEXT: Record<UpdateStatus, string> = {
  ...HEALTH_TEXT,
  achieved: 'Achieved',
  missed: 'Missed',
  dropped: 'Dropped',
};

export const STALE_TEXT: Record<StaleReason, string> = {
  objective_closed: 'its objective is closed',
  objective_dropped: 'its objective was dropped',
  past_period: 'its objective belongs to a past period',
  future_period: 'its objective belongs to a later period',
};

export const DECISION_KIND_TEXT = {
  shift_effort: 'Shift effort',
  reprioritise: 'Re-prioritise',
  unblock: 'Unblock',
  revise_goal: 'Revise a goal',
  other: 'Other',
} as const;

/** A day as people say it in a sentence: `3 Nov`, with the year when it is not this one. */
export function dayText(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const sameYear = date.getUTCFullYear() === now.getUTCFullYear();
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
    timeZone: 'UTC',
  });
}

const SLOT_TEXT: Record<InheritedFrom['slot'], string> = {
  parent: 'parent',
  epic: 'epic',
  milestone: 'milestone',
  labels: 'label',
  projects: 'project',
  section: 'section',
};

/**
 * The container a goal comes through, as a sentence names it: `epic PAY-300 Refund reliability`,
 * `parent #12 Checkout revamp`, `milestone v2.0`, `label payments`. Tickets are named by key and
 * title; other containers by their names.
 */
export function throughText(from: InheritedFrom): string {
  const kind = SLOT_TEXT[from.slot];
  const parsed = parseRef(from.ref);
  if (!parsed.ok) return `${kind} ${from.title}`.trim();
  const { source, key } = parsed.ref;
  const containerKind = containerKindOf(source, key);
  if (containerKind === 'label') return `label ${labelName(key)}`;
  if (containerKind) return `${kind} ${from.title || key.slice(key.lastIndexOf('/') + 1)}`;
  // An Asana task's gid says nothing to a person; GitHub's number does, within its repository.
  const shortKey = source === 'asana' ? null : source === 'github' ? key.slice(key.indexOf('#')) : key;
  return [kind, shortKey, from.title].filter(Boolean).join(' ');
}

/**
 * A reference as a person reads it: a ticket by its key (`PAY-300`, `acme/api#12`, `Asana task
 * 1207…`), a container by what it is (`milestone 3 of acme/api`, `label refunds of PAY`, `Project 5
 * of acme`, `Asana project 1207…`).
 */
export function refText(ref: string): string {
  const parsed = parseRef(ref);
  if (!parsed.ok) return ref;
  const { source, key } = parsed.ref;
  const kind = containerKindOf(source, key);
  const last = key.slice(key.lastIndexOf('/') + 1);
  const owner = key.slice(0, key.indexOf('/'));
  const within = key
    .split('/')
    .slice(0, source === 'jira' ? 1 : 2)
    .join('/');
  if (kind === 'milestone') return `milestone ${last} of ${within}`;
  if (kind === 'label') return `label ${labelName(key)} of ${within}`;
  if (kind === 'project') return source === 'asana' ? `Asana project ${last}` : `Project ${last} of ${owner}`;
  if (kind === 'section') return `Asana section ${last}`;
  return source === 'asana' ? `Asana task ${key}` : key;
}

/** How long ago, as a person says it: `just now`, `5 min ago`, `3 h ago`, `2 days ago`. */
export function ageText(at: number, now: number): string {
  const minutes = Math.floor((now - at) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}
