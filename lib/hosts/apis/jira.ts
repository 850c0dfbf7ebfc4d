/**
 * Jira's issues as tickets, Cloud (REST v3) and Data Center (REST v2) alike, with what the Jira
 * connector (server/connectors/jira.ts) asks for them: the fields, the JQL of a sync, which custom
 * fields hold story points and the Epic Link on a site, and the sync's cursor. Pure: no I/O.
 */
import { type ContainerReads, encodeName, formatRef } from '../../shared/ref';
import type { HostAccount, StateCategory, SyncedTicket } from './types';

/** One site as the mapping needs it: where its issues are browsed, and its own custom fields. */
export interface JiraSite {
  /** The host name references are made under: acme.atlassian.net, jira.acme.com. */
  site: string;
  /** Where people open an issue, without a trailing slash: `<browseBase>/browse/PAY-12`. */
  browseBase: string;
  /** The custom field holding story points (`customfield_10016`), null when the site has none. */
  storyPointsField: string | null;
  /** Data Center's Epic Link custom field, null where the site has none (Cloud has `parent`). */
  epicLinkField: string | null;
}

/** An issue as search and GET issue answer it; `fields` has what was asked for. */
export interface JiraIssue {
  id: string;
  key: string;
  fields?: Record<string, unknown>;
}

/** One entry of `/rest/api/{3|2}/field`. */
export interface JiraField {
  id?: string;
  name?: string;
  custom?: boolean;
  schema?: { type?: string; custom?: string };
}

const CATEGORIES: Record<string, StateCategory> = { new: 'open', indeterminate: 'in_progress', done: 'done' };

const objectOf = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
const textOf = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Jira writes `2024-05-02T09:14:07.123+0000`; the colon-less offset is not ISO 8601, so it gets one first. */
export function jiraTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const time = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

function accountOf(value: unknown): HostAccount[] {
  const user = objectOf(value);
  if (!user) return [];
  // Cloud has only accountId; Data Center's key survives a rename of its name.
  const id = textOf(user.accountId) ?? textOf(user.key) ?? textOf(user.name);
  if (!id) return [];
  const login = textOf(user.name);
  return [{ id, login, name: textOf(user.displayName) ?? login ?? id }];
}

export function jiraTicket(issue: JiraIssue, site: JiraSite): SyncedTicket {
  const fields = issue.fields ?? {};
  const ref = (key: string) => formatRef({ source: 'jira', host: site.site, key });
  const updatedAt = jiraTime(fields.updated);
  if (!updatedAt) throw new Error(`Jira issue ${issue.key} came without its updated time`);
  const status = objectOf(fields.status);
  const stateCategory = CATEGORIES[textOf(objectOf(status?.statusCategory)?.key) ?? ''] ?? 'open';
  const project = issue.key.slice(0, issue.key.lastIndexOf('-'));
  const parent = objectOf(fields.parent);
  const parentKey = textOf(parent?.key);
  const labels = Array.isArray(fields.labels) ? fields.labels : [];
  const containers: ContainerReads = {
    parent: parentKey ? [{ ref: ref(parentKey), title: textOf(objectOf(parent?.fields)?.summary) }] : [],
    labels: labels.flatMap((label) =>
      typeof label === 'string' && label.trim()
        ? [{ ref: ref(`${project}/label/${encodeName(label)}`), title: label }]
        : [],
    ),
  };
  if (site.epicLinkField) {
    const epic = textOf(fields[site.epicLinkField]);
    containers.epic = epic ? [{ ref: ref(epic), title: null }] : [];
  }
  const points = site.storyPointsField ? fields[site.storyPointsField] : null;
  return {
    ref: ref(issue.key),
    hostId: issue.id,
    url: `${site.browseBase}/browse/${issue.key}`,
    title: textOf(fields.summary) ?? issue.key,
    state: textOf(status?.name) ?? '',
    stateCategory,
    assignees: accountOf(fields.assignee),
    estimate: typeof points === 'number' && Number.isFinite(points) ? points : null,
    containers,
    createdAt: jiraTime(fields.created) ?? updatedAt,
    updatedAt,
    closedAt: jiraTime(fields.resolutiondate) ?? (stateCategory === 'done' ? updatedAt : null),
  };
}

const STORY_POINTS_TYPE = 'com.pyxis.greenhopper.jira:jsw-story-points';
const EPIC_LINK_TYPE = 'com.pyxis.greenhopper.jira:gh-epic-link';
const nameIs = (field: JiraField, name: string) => field.name?.trim().toLowerCase() === name;

/**
 * The site's story points and Epic Link fields from its `/field` answer. Where a site has both
 * "Story point estimate" (what Cloud's boards estimate with) and the older "Story Points", the first
 * is taken. Field types are matched before names, which Data Center translates.
 */
export function siteFields(fields: readonly JiraField[]): Pick<JiraSite, 'storyPointsField' | 'epicLinkField'> {
  const numeric = fields.filter((field) => field.id && (field.schema?.type ?? 'number') === 'number');
  const storyPoints =
    numeric.find((field) => field.schema?.custom === STORY_POINTS_TYPE || nameIs(field, 'story point estimate')) ??
    numeric.find((field) => nameIs(field, 'story points'));
  const epicLink = fields.find(
    (field) => field.id && (field.schema?.custom === EPIC_LINK_TYPE || nameIs(field, 'epic link')),
  );
  return { storyPointsField: storyPoints?.id ?? null, epicLinkField: epicLink?.id ?? null };
}

/** The fields a sync asks for: what `jiraTicket` reads. */
export function requestedFields(site: Pick<JiraSite, 'storyPointsField' | 'epicLinkField'>): string[] {
  return [
    'summary',
    'status',
    'assignee',
    'parent',
    'labels',
    'created',
    'updated',
    'resolutiondate',
    ...(site.storyPointsField ? [site.storyPointsField] : []),
    ...(site.epicLinkField ? [site.epicLinkField] : []),
  ];
}

export const MINUTE_MS = 60_000;
/** JQL compares times to the minute, so a query from a time starts at its minute. */
export const minuteOf = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,254}$/;

/**
 * The search of a sync: a project's issues (every project's when null) updated from the minute of
 * `fromMs` on (all of them when null), oldest change first; the key breaks ties so pages are stable.
 */
export function syncJql(project: string | null, fromMs: number | null): string {
  if (project !== null && !PROJECT_KEY.test(project)) throw new Error(`"${project}" is not a Jira project key`);
  const clauses = [
    ...(project !== null ? [`project = "${project}"`] : []),
    ...(fromMs !== null ? [`updated >= ${minuteOf(fromMs)}`] : []),
  ];
  return `${clauses.length ? `${clauses.join(' AND ')} ` : ''}ORDER BY updated ASC, key ASC`;
}

/** The cursor holds the time (epoch ms) the next sync searches from. */
export function formatCursor(fromMs: number): string {
  return JSON.stringify({ updatedFrom: fromMs });
}

/** The time a cursor holds; null for none, or for one this connector did not write (a full sync is then safe). */
export function parseCursor(cursor: string | null): number | null {
  if (cursor === null) return null;
  try {
    const from = (JSON.parse(cursor) as { updatedFrom?: unknown } | null)?.updatedFrom;
    return typeof from === 'number' && Number.isFinite(from) ? from : null;
  } catch {
    return null;
  }
}
