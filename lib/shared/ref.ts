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

/**
 * Containers that are not tickets themselves, keyed within their host (encoded names keep the key
 * one path segment): a GitHub milestone `owner/repo/milestone/3`, label `owner/repo/label/bug%20fix`
 * or Project `owner/projects/5`; a Jira label within a project `PAY/label/refunds`; an Asana project
 * `project/<gid>` or section `section/<gid>`. Epics, parent issues and parent tasks are tickets.
 */
export type ContainerKind = 'milestone' | 'label' | 'project' | 'section';

const ENCODED_NAME = /^(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-F]{2}){1,400}$/;
const GITHUB_OWNER = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})';
const GITHUB_REPO = `${GITHUB_OWNER}/[A-Za-z0-9._-]{1,100}`;
const CONTAINER_PATTERNS: Record<Source, { kind: ContainerKind; pattern: RegExp }[]> = {
  github: [
    { kind: 'milestone', pattern: new RegExp(`^${GITHUB_REPO}/milestone/[1-9]\\d{0,9}$`) },
    { kind: 'label', pattern: new RegExp(`^${GITHUB_REPO}/label/[^/]+$`) },
    { kind: 'project', pattern: new RegExp(`^${GITHUB_OWNER}/projects/[1-9]\\d{0,9}$`) },
  ],
  jira: [{ kind: 'label', pattern: /^[A-Z][A-Z0-9_]{0,254}\/label\/[^/]+$/ }],
  asana: [
    { kind: 'project', pattern: /^project\/\d{1,30}$/ },
    { kind: 'section', pattern: /^section\/\d{1,30}$/ },
  ],
};

/** The kind of container a key names, or null for a ticket key (or no key at all). */
export function containerKindOf(source: Source, key: string): ContainerKind | null {
  for (const { kind, pattern } of CONTAINER_PATTERNS[source]) {
    if (!pattern.test(key)) continue;
    if (kind === 'label' && !ENCODED_NAME.test(key.slice(key.lastIndexOf('/') + 1))) return null;
    return kind;
  }
  return null;
}

/** A label's key segment: the name percent-encoded, so it stays one segment whatever it holds. */
export const encodeName = (name: string) => encodeURIComponent(name.trim());

/** The name a label key carries. */
export function labelName(key: string): string {
  const segment = key.slice(key.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

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
  if (!KEY_PATTERNS[source].test(key) && !containerKindOf(source, key)) {
    return { ok: false, reason: `"${key.slice(0, 100)}" is not a ${source} ticket or container key` };
  }
  return { ok: true, ref: { source: source, host, key } };
}

/** The project a ticket belongs to, derived from its key where the key says it. */
export function projectOfRef(ref: TicketRef): string | null {
  const kind = containerKindOf(ref.source, ref.key);
  if (ref.source === 'github') {
    // A GitHub Project belongs to an owner, not to one repository.
    if (kind === 'project') return null;
    return kind ? ref.key.split('/').slice(0, 2).join('/') : ref.key.slice(0, ref.key.indexOf('#'));
  }
  if (ref.source === 'jira')
    return kind ? ref.key.slice(0, ref.key.indexOf('/')) : ref.key.slice(0, ref.key.lastIndexOf('-'));
  return null;
}

/** The owner (organisation or user) a GitHub reference belongs to. */
export function ownerOfRef(ref: TicketRef): string | null {
  return ref.source === 'github' ? ref.key.slice(0, ref.key.search(/[/#]/)) : null;
}

/**
 * Where a ticket sits, as one read tells it: each kind the read saw, with what it saw there ([] for
 * "shown as none"). A kind left out was not seen, and never ends what is known of it. `parent` is
 * the ticket above (Jira's parent or sub-task parent, GitHub's sub-issue parent, Asana's parent
 * task); `epic` is Jira's older Epic Link.
 */
export type ContainerSlot = 'parent' | 'epic' | 'milestone' | 'labels' | 'projects' | 'section';
export const CONTAINER_SLOTS: readonly ContainerSlot[] = [
  'parent',
  'epic',
  'milestone',
  'labels',
  'projects',
  'section',
];
export interface ContainerRead {
  /** A ticket reference (parent, epic) or a container reference, `source:host/key`. */
  ref: string;
  /** Its name as the read showed it, when it did. */
  title: string | null;
}
export type ContainerReads = Partial<Record<ContainerSlot, ContainerRead[]>>;
