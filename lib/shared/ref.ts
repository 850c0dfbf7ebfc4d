/**
 * Work-item references, `source:host/key`, e.g. `github:github.com/octo/api#42`: without zod, so
 * content scripts can name tickets without carrying the schema library.
 */
export type Source = 'github' | 'jira' | 'asana';
export const SOURCES: readonly Source[] = ['github', 'jira', 'asana'];

const HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/;
/** A lower-case host name, with a port when it has one. */
export const isHostName = (value: string) => HOST.test(value);

export const KEY_PATTERNS: Record<Source, RegExp> = {
  // OWNER/REPO#N: GitHub owner and repository names.
  github: /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}#[1-9]\d{0,9}$/,
  // Jira admins may allow digits and underscores after the first letter of a project key.
  jira: /^[A-Z][A-Z0-9_]{0,254}-[1-9]\d{0,9}$/,
  // Asana task gids are numeric.
  asana: /^\d{1,30}$/,
};

export interface TicketRef {
  source: Source;
  host: string;
  key: string;
}

export function formatRef(ref: TicketRef): string {
  return `${ref.source}:${ref.host}/${ref.key}`;
}

/** Parses `source:host/key`; returns a reason when the string is not a valid reference. */
export function parseRef(value: string): { ok: true; ref: TicketRef } | { ok: false; reason: string } {
  const colon = value.indexOf(':');
  const source = value.slice(0, colon) as Source;
  if (colon < 0 || !SOURCES.includes(source)) {
    return { ok: false, reason: 'must start with github:, jira: or asana:' };
  }
  const rest = value.slice(colon + 1);
  const slash = rest.indexOf('/');
  if (slash < 0) return { ok: false, reason: 'must be source:host/key' };
  const host = rest.slice(0, slash);
  const key = rest.slice(slash + 1);
  if (!HOST.test(host)) return { ok: false, reason: `"${host.slice(0, 100)}" is not a lower-case host name` };
  if (!KEY_PATTERNS[source].test(key)) {
    return { ok: false, reason: `"${key.slice(0, 100)}" is not a ${source} ticket key` };
  }
  return { ok: true, ref: { source: source, host, key } };
}

/** The project a ticket belongs to, derived from its key where the key says it. */
export function projectOfRef(ref: TicketRef): string | null {
  if (ref.source === 'github') return ref.key.slice(0, ref.key.indexOf('#'));
  if (ref.source === 'jira') return ref.key.slice(0, ref.key.lastIndexOf('-'));
  return null;
}
