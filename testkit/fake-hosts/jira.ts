/**
 * A stand-in for Jira's REST API, Cloud or Data Center, in the shapes of Atlassian's Cloud OpenAPI
 * document (swagger-v3) and Data Center's v2 answers: projects and their issues, searched with the
 * JQL the Jira connector sends (Cloud's `/rest/api/3/search/jql` with `nextPageToken`, DC's
 * `/rest/api/2/search` with `startAt` and `total`; the retired Cloud searches answer 410), GET
 * issue (a moved issue's old key answers the moved issue), `/field`, `/myself`, `/project/{key}`
 * and `/serverInfo`. Cloud takes Basic e-mail:API token, DC a bearer PAT; anything else gets Jira's
 * 401. Issues can be edited, closed, reassigned, moved and deleted at the fake's own clock.
 */
import { basicOf, bearerOf, type FakeAnswer, type FakeHost, type FakeRequest, startFakeHost } from './server';

export type JiraMode = 'cloud' | 'dc';

/** A person on the site: `id` is Cloud's accountId or DC's user key; `name` is DC's user name. */
export interface FakeAccount {
  id: string;
  name: string;
  displayName: string;
}

export interface FakeStatus {
  name: string;
  category: 'new' | 'indeterminate' | 'done';
}

export interface FakeJiraIssue {
  id: string;
  key: string;
  project: string;
  summary: string;
  status: FakeStatus;
  assignee: FakeAccount | null;
  /** The epic above it: Cloud answers it as `parent`, Data Center in its Epic Link field. */
  parentKey: string | null;
  labels: string[];
  points: number | null;
  /** Epoch ms. */
  created: number;
  updated: number;
  resolved: number | null;
}

export interface FakeSearch {
  jql: string;
  /** DC's startAt; Cloud's position behind its nextPageToken. */
  offset: number;
  /** Whether the page came by position (a token or a startAt past 0). */
  paged: boolean;
  count: number;
}

export type IssueChange = Partial<Pick<FakeJiraIssue, 'summary' | 'status' | 'labels' | 'points' | 'parentKey'>>;

export interface FakeJira extends FakeHost {
  /** The site's address as a connection names it, with the context path. */
  baseUrl: string;
  mode: JiraMode;
  /** The people issues are assigned to. */
  accounts: readonly FakeAccount[];
  /** The story points field of this deployment: customfield_10016 on Cloud, customfield_10002 on DC. */
  storyPointsField: string;
  /** Every search answered, in order: how it was paged. */
  searches: FakeSearch[];
  /** Adds `count` issues to the project (made when new), updated in bursts over the days before the clock. */
  seed(project: string, count: number): FakeJiraIssue[];
  add(project: string, change?: IssueChange): FakeJiraIssue;
  /** Changes an issue as a person would: its updated time becomes the clock's. */
  edit(key: string, change: IssueChange): FakeJiraIssue;
  /** Resolves the issue as Done (`close` is the server's own). */
  closeIssue(key: string): FakeJiraIssue;
  reassign(key: string, account: FakeAccount | null): FakeJiraIssue;
  /** Moves the issue to another project: a new key, the same id; GET issue of the old key answers it. */
  move(key: string, toProject: string): FakeJiraIssue;
  remove(key: string): void;
  issue(key: string): FakeJiraIssue | undefined;
  issues(): FakeJiraIssue[];
  /** The fake's clock (epoch ms), which updates are stamped with. */
  now(): number;
  advance(ms: number): void;
  /** Answers the next `times` matching requests with Jira Cloud's 429 and its rate-limit headers. */
  rateLimit(times: number, retryAfterSeconds: number, matches?: (request: FakeRequest) => boolean): void;
  serverError(times: number, status?: number, matches?: (request: FakeRequest) => boolean): void;
}

const PEOPLE = [
  { cloudId: '5b10a2844c20165700ede21g', dcKey: 'mchen', name: 'mia.chen', displayName: 'Mia Chen' },
  { cloudId: '5b10ac8d82e05b22cc7d4ef5', dcKey: 'JIRAUSER10104', name: 'opatel', displayName: 'Omar Patel' },
  {
    cloudId: '712020:4f1e2c9a-3b5d-4e6f-8a7b-9c0d1e2f3a4b',
    dcKey: 'JIRAUSER10211',
    name: 'jsilva',
    displayName: 'Joana Silva',
  },
  { cloudId: '60d5b8f9e1c2a3006a8c1d2e', dcKey: 'JIRAUSER10317', name: 'kwright', displayName: 'Kim Wright' },
];
const STATUSES: FakeStatus[] = [
  { name: 'To Do', category: 'new' },
  { name: 'In Progress', category: 'indeterminate' },
  { name: 'In Review', category: 'indeterminate' },
  { name: 'Done', category: 'done' },
];
const CATEGORY_IDS = { new: 2, indeterminate: 4, done: 3 };
const CATEGORY_NAMES = { new: 'To Do', indeterminate: 'In Progress', done: 'Done' };
const LABELS = ['backend', 'refunds', 'tech-debt', 'Q3 goals', 'ux/polish', 'über'];
const SYSTEM_FIELDS = ['summary', 'status', 'assignee', 'labels', 'created', 'updated', 'resolutiondate'];
const EPIC_LINK = 'customfield_10014';
const JQL_ORDER = 'ORDER BY updated ASC, key ASC';

/** A small seeded generator, so a seed gives the same issues every run. */
function randomOf(seed: string) {
  let state = [...seed].reduce((hash, char) => Math.imul(hash ^ char.charCodeAt(0), 16777619), 2166136261) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Jira's own time format: `2026-10-01T09:00:00.000+0000`, in the server's zone. */
function jiraTime(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

const errors = (status: number, ...messages: string[]): FakeAnswer => ({
  status,
  body: { errorMessages: messages, errors: {} },
});

interface Project {
  id: string;
  key: string;
  name: string;
  next: number;
}

interface Stored extends Omit<FakeJiraIssue, 'parentKey'> {
  /** By id, so a moved epic is still the parent. */
  parentId: string | null;
}

export async function startFakeJira(options: {
  mode: JiraMode;
  /** Where a DC site is served below the host: `/jira`. */
  contextPath?: string;
  /** Cloud's account e-mail the API token goes with. */
  email?: string;
  token: string;
  /** The host name the site calls itself (its base URL in serverInfo). */
  site?: string;
  /** A fixed port (the demo's); an ephemeral one by default. */
  port?: number;
}): Promise<FakeJira> {
  const { mode, token } = options;
  const context = options.contextPath ?? '';
  const cloud = mode === 'cloud';
  const version = cloud ? '3' : '2';
  // Cloud answers in UTC; a DC server in its own zone, which the connector must normalise.
  const offsetMinutes = cloud ? 0 : 60;
  const storyPointsField = cloud ? 'customfield_10016' : 'customfield_10002';
  // An old DC user's key is the name it was made with, which a rename leaves behind (mchen, now mia.chen).
  const accounts: FakeAccount[] = PEOPLE.map((p) => ({
    id: cloud ? p.cloudId : p.dcKey,
    name: p.name,
    displayName: p.displayName,
  }));
  const me: FakeAccount = cloud
    ? { id: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077', name: 'throughline', displayName: 'Throughline Sync' }
    : { id: 'JIRAUSER10000', name: 'throughline', displayName: 'Throughline Sync' };
  let clock = Date.parse('2026-10-01T09:00:00Z');
  let nextIssueId = 10_000;
  let nextProjectId = 10_000;
  const projects = new Map<string, Project>();
  const byId = new Map<string, Stored>();
  const keys = new Map<string, string>();
  /** Keys an issue had before a move, to its id: Jira still answers them. */
  const formerKeys = new Map<string, string>();
  let base = '';
  const searches: FakeSearch[] = [];
  const siteUrl = () => (options.site ? `https://${options.site}${context}` : base);

  const projectOf = (key: string) => {
    let project = projects.get(key);
    if (!project) {
      project = { id: String(nextProjectId++), key, name: `${key[0]}${key.slice(1).toLowerCase()} team`, next: 1 };
      projects.set(key, project);
    }
    return project;
  };
  const stored = (key: string) => {
    const id = keys.get(key);
    const issue = id ? byId.get(id) : undefined;
    if (!issue) throw new Error(`no issue ${key}`);
    return issue;
  };
  const snapshot = (issue: Stored): FakeJiraIssue => {
    const { parentId, ...rest } = issue;
    return { ...rest, labels: [...issue.labels], parentKey: parentId ? (byId.get(parentId)?.key ?? null) : null };
  };
  const parentIdOf = (key: string | null | undefined) => (key ? (keys.get(key) ?? null) : null);
  const create = (project: string, at: number, change: IssueChange = {}): Stored => {
    const home = projectOf(project);
    const issue: Stored = {
      id: String(nextIssueId++),
      key: `${project}-${home.next++}`,
      project,
      summary: change.summary ?? `${home.name} work item ${home.next - 1}`,
      status: change.status ?? (STATUSES[0] as FakeStatus),
      assignee: null,
      parentId: parentIdOf(change.parentKey),
      labels: change.labels ?? [],
      points: change.points ?? null,
      created: at,
      updated: at,
      resolved: change.status?.category === 'done' ? at : null,
    };
    byId.set(issue.id, issue);
    keys.set(issue.key, issue.id);
    return issue;
  };
  const touch = (issue: Stored) => {
    issue.updated = clock;
    return snapshot(issue);
  };

  const time = (ms: number | null) => (ms === null ? null : jiraTime(ms, offsetMinutes));
  const api = `${context}/rest/api/${version}`;
  const userJson = (account: FakeAccount) => {
    const avatarUrls = {
      '48x48': `https://avatar.example/${account.name}/48`,
      '16x16': `https://avatar.example/${account.name}/16`,
    };
    return cloud
      ? {
          self: `${base}/rest/api/3/user?accountId=${account.id}`,
          accountId: account.id,
          avatarUrls,
          displayName: account.displayName,
          active: true,
          timeZone: 'Europe/Lisbon',
          accountType: 'atlassian',
        }
      : {
          self: `${base}/rest/api/2/user?username=${account.name}`,
          name: account.name,
          key: account.id,
          emailAddress: `${account.name}@acme.example`,
          avatarUrls,
          displayName: account.displayName,
          active: true,
          timeZone: 'Europe/Lisbon',
        };
  };
  const statusJson = (status: FakeStatus) => ({
    self: `${base}${api}/status/${STATUSES.indexOf(status) + 1}`,
    description: '',
    iconUrl: `${base}/images/icons/statuses/generic.png`,
    name: status.name,
    id: String(STATUSES.indexOf(status) + 1),
    statusCategory: {
      self: `${base}${api}/statuscategory/${CATEGORY_IDS[status.category]}`,
      id: CATEGORY_IDS[status.category],
      key: status.category,
      colorName: status.category === 'done' ? 'green' : status.category === 'new' ? 'blue-gray' : 'yellow',
      name: CATEGORY_NAMES[status.category],
    },
  });
  const allFields = (issue: Stored): Record<string, unknown> => {
    const parent = issue.parentId ? byId.get(issue.parentId) : undefined;
    const project = projectOf(issue.project);
    const done = issue.status.category === 'done';
    return {
      summary: issue.summary,
      status: statusJson(issue.status),
      assignee: issue.assignee ? userJson(issue.assignee) : null,
      labels: issue.labels,
      created: time(issue.created),
      updated: time(issue.updated),
      resolutiondate: time(issue.resolved),
      resolution: done ? { self: `${base}${api}/resolution/10000`, id: '10000', name: 'Done', description: '' } : null,
      issuetype: { self: `${base}${api}/issuetype/10001`, id: '10001', name: 'Story', subtask: false },
      project: { self: `${base}${api}/project/${project.id}`, id: project.id, key: project.key, name: project.name },
      [storyPointsField]: issue.points,
      customfield_10020: null,
      ...(cloud
        ? {
            parent: parent && {
              id: parent.id,
              key: parent.key,
              self: `${base}/rest/api/3/issue/${parent.id}`,
              fields: { summary: parent.summary, status: statusJson(parent.status) },
            },
          }
        : { [EPIC_LINK]: parent?.key ?? null }),
    };
  };
  /** The issue with the fields asked for: every one for none or `*all`, the requested ones Jira knows (null when empty). */
  const issueJson = (issue: Stored, fields: string[] | null) => {
    const all = allFields(issue);
    const chosen =
      fields === null || fields.includes('*all') || fields.includes('*navigable')
        ? all
        : Object.fromEntries(fields.filter((field) => field in all).map((field) => [field, all[field] ?? null]));
    return {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: issue.id,
      self: `${base}${api}/issue/${issue.id}`,
      key: issue.key,
      fields: chosen,
    };
  };
  const fieldsParam = (value: unknown): string[] | null => {
    const list = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
    const fields = list
      .flatMap((entry) => entry.split(','))
      .map((field) => field.trim())
      .filter(Boolean);
    return fields.length ? fields : null;
  };

  /** The JQL forms the connector sends, or Jira's 400 for anything else. */
  const search = (jql: string): Stored[] | FakeAnswer => {
    const text = jql.trim();
    if (!text.endsWith(JQL_ORDER))
      return errors(400, `Error in the JQL Query: only "${JQL_ORDER}" is understood here.`);
    const where = text.slice(0, -JQL_ORDER.length).trim();
    let project: string | null = null;
    let from: number | null = null;
    for (const clause of where ? where.split(/\s+AND\s+/) : []) {
      const projectClause = /^project\s*=\s*"?([A-Z][A-Z0-9_]*)"?$/.exec(clause);
      const updatedClause = /^updated\s*>=\s*(\d+)$/.exec(clause);
      if (projectClause) project = projectClause[1] as string;
      else if (updatedClause) from = Number(updatedClause[1]);
      else return errors(400, `Error in the JQL Query: the clause '${clause}' is not understood here.`);
    }
    if (project !== null && !projects.has(project)) {
      return errors(400, `The value '${project}' does not exist for the field 'project'.`);
    }
    // JQL's dates have minute precision: a time matches from the start of its minute.
    const since = from === null ? null : Math.floor(from / 60_000) * 60_000;
    const number = (key: string) => Number(key.slice(key.lastIndexOf('-') + 1));
    return [...byId.values()]
      .filter((issue) => (project === null || issue.project === project) && (since === null || issue.updated >= since))
      .sort((a, b) => a.updated - b.updated || a.project.localeCompare(b.project) || number(a.key) - number(b.key));
  };

  /** Cloud's enhanced search: ids only unless fields are asked for, at most 100 issues a page with them, paged by token. */
  const cloudSearch = (params: Record<string, unknown>): FakeAnswer => {
    const jql = typeof params.jql === 'string' ? params.jql : '';
    const found = search(jql);
    if (!Array.isArray(found)) return found;
    const fields = fieldsParam(params.fields);
    const limit = Math.min(Math.max(Number(params.maxResults ?? 50) || 50, 1), fields ? 100 : 5000);
    let offset = 0;
    if (typeof params.nextPageToken === 'string' && params.nextPageToken) {
      try {
        const token = JSON.parse(Buffer.from(params.nextPageToken, 'base64url').toString('utf8'));
        if (token.jql !== jql) throw new Error('another query');
        offset = Number(token.offset);
      } catch {
        return errors(400, 'The provided next page token is invalid or expired.');
      }
    }
    // The token holds a position in the results, so results that shift under it shift the pages.
    const page = found.slice(offset, offset + limit);
    const more = offset + page.length < found.length;
    searches.push({ jql, offset, paged: offset > 0, count: page.length });
    return {
      status: 200,
      body: {
        issues: page.map((issue) => (fields ? issueJson(issue, fields) : { id: issue.id })),
        ...(more && {
          nextPageToken: Buffer.from(JSON.stringify({ jql, offset: offset + page.length })).toString('base64url'),
        }),
        isLast: !more,
      },
    };
  };

  const dcSearch = (params: Record<string, unknown>): FakeAnswer => {
    const jql = typeof params.jql === 'string' ? params.jql : '';
    const found = search(jql);
    if (!Array.isArray(found)) return found;
    const startAt = Math.max(Number(params.startAt ?? 0) || 0, 0);
    const maxResults = Math.min(Math.max(Number(params.maxResults ?? 50) || 50, 0), 1000);
    searches.push({
      jql,
      offset: startAt,
      paged: startAt > 0,
      count: Math.max(Math.min(found.length - startAt, maxResults), 0),
    });
    const fields = fieldsParam(params.fields);
    return {
      status: 200,
      body: {
        expand: 'schema,names',
        startAt,
        maxResults,
        total: found.length,
        issues: found.slice(startAt, startAt + maxResults).map((issue) => issueJson(issue, fields)),
      },
    };
  };

  const fieldList = () => {
    const system = SYSTEM_FIELDS.map((id) => ({
      id,
      key: id,
      name: id === 'resolutiondate' ? 'Resolved' : id[0]?.toUpperCase() + id.slice(1),
      custom: false,
      orderable: true,
      navigable: true,
      searchable: true,
      clauseNames: [id],
      schema: { type: id === 'labels' ? 'array' : 'string', system: id },
    }));
    const custom = (id: string, name: string, type: string, customType: string) => ({
      id,
      key: id,
      name,
      untranslatedName: name,
      custom: true,
      orderable: true,
      navigable: true,
      searchable: true,
      clauseNames: [`cf[${id.slice(12)}]`, name],
      schema: { type, custom: customType, customId: Number(id.slice(12)) },
    });
    return [
      ...system,
      custom('customfield_10020', 'Sprint', 'array', 'com.pyxis.greenhopper.jira:gh-sprint'),
      custom('customfield_10019', 'Rank', 'any', 'com.pyxis.greenhopper.jira:gh-lexo-rank'),
      custom('customfield_10015', 'Start date', 'date', 'com.atlassian.jira.plugin.system.customfieldtypes:datepicker'),
      ...(cloud
        ? [custom('customfield_10016', 'Story point estimate', 'number', 'com.pyxis.greenhopper.jira:jsw-story-points')]
        : [
            custom(
              'customfield_10002',
              'Story Points',
              'number',
              'com.atlassian.jira.plugin.system.customfieldtypes:float',
            ),
            custom(EPIC_LINK, 'Epic Link', 'any', 'com.pyxis.greenhopper.jira:gh-epic-link'),
            custom('customfield_10011', 'Epic Name', 'string', 'com.pyxis.greenhopper.jira:gh-epic-label'),
          ]),
    ];
  };

  const serverInfo = () => ({
    baseUrl: siteUrl(),
    displayUrl: siteUrl(),
    version: cloud ? '1001.0.0-SNAPSHOT' : '10.3.6',
    versionNumbers: cloud ? [1001, 0, 0] : [10, 3, 6],
    deploymentType: cloud ? 'Cloud' : 'DataCenter',
    buildNumber: cloud ? 100_283 : 10_030_006,
    buildDate: time(Date.parse('2026-09-15T00:00:00Z')),
    serverTime: time(clock),
    scmInfo: '7f3c0a1e9b2d4c5f6a7b8c9d0e1f2a3b4c5d6e7f',
    serverTitle: 'Jira',
    ...(cloud ? { defaultLocale: { locale: 'en_US' } } : { serverTimeZone: 'Europe/Lisbon' }),
  });

  const route = (request: FakeRequest): FakeAnswer => {
    const full = request.url.pathname;
    if (!full.startsWith(`${context}/rest/`)) return { status: 404, body: { message: 'null for uri' } };
    const path = full.slice(context.length);
    const get = request.method === 'GET';
    if (get && path === '/rest/api/2/serverInfo') return { status: 200, body: serverInfo() };
    if (cloud && /^\/rest\/api\/[23]\/search\/?$/.test(path)) {
      return errors(
        410,
        'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046',
      );
    }
    if (cloud && path === '/rest/api/3/search/jql') {
      if (get)
        return cloudSearch(
          Object.fromEntries(
            [...request.url.searchParams.keys()].map((k) => [k, request.url.searchParams.getAll(k).join(',')]),
          ),
        );
      if (request.method === 'POST') return cloudSearch((request.body ?? {}) as Record<string, unknown>);
    }
    if (!cloud && path === '/rest/api/2/search') {
      if (get)
        return dcSearch(
          Object.fromEntries(
            [...request.url.searchParams.keys()].map((k) => [k, request.url.searchParams.getAll(k).join(',')]),
          ),
        );
      if (request.method === 'POST') return dcSearch((request.body ?? {}) as Record<string, unknown>);
    }
    const match = /^\/rest\/api\/(2|3)\/(.+)$/.exec(path);
    // Data Center has no v3 REST API.
    if (!match || (!cloud && match[1] === '3') || !get) return { status: 404, body: { message: 'null for uri' } };
    const resource = match[2] as string;
    if (resource === 'serverInfo') return { status: 200, body: serverInfo() };
    if (resource === 'field') return { status: 200, body: fieldList() };
    if (resource === 'myself') {
      return {
        status: 200,
        body: {
          ...userJson(me),
          ...(cloud ? { emailAddress: options.email } : {}),
          locale: 'en_US',
          groups: { size: 1, items: [] },
          applicationRoles: { size: 1, items: [] },
          expand: 'groups,applicationRoles',
        },
      };
    }
    const projectMatch = /^project\/([^/]+)$/.exec(resource);
    if (projectMatch) {
      const project = projects.get(decodeURIComponent(projectMatch[1] as string));
      if (!project) return errors(404, `No project could be found with key '${projectMatch[1]}'.`);
      return {
        status: 200,
        body: {
          expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
          self: `${base}${api}/project/${project.id}`,
          id: project.id,
          key: project.key,
          name: project.name,
          projectTypeKey: 'software',
          simplified: false,
          style: 'classic',
          isPrivate: false,
          properties: {},
        },
      };
    }
    const issueMatch = /^issue\/([^/]+)$/.exec(resource);
    if (issueMatch) {
      const wanted = decodeURIComponent(issueMatch[1] as string);
      const id = byId.has(wanted) ? wanted : (keys.get(wanted) ?? formerKeys.get(wanted));
      const issue = id ? byId.get(id) : undefined;
      if (!issue) return errors(404, 'Issue does not exist or you do not have permission to see it.');
      return { status: 200, body: issueJson(issue, fieldsParam(request.url.searchParams.getAll('fields'))) };
    }
    return { status: 404, body: { message: 'null for uri' } };
  };

  const host = await startFakeHost({
    port: options.port,
    authorized: (request) => {
      if (!cloud) return bearerOf(request) === token;
      const basic = basicOf(request);
      return basic !== null && basic.user === options.email && basic.password === token;
    },
    unauthorized: () => ({
      status: 401,
      headers: {
        'www-authenticate': cloud ? 'Basic realm="protected-area"' : 'OAuth realm="https%3A%2F%2Fjira.acme.com"',
        'x-seraph-loginreason': 'AUTHENTICATED_FAILED',
      },
      body: {
        errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
        errors: {},
      },
    }),
    route,
  });
  base = `${host.url}${context}`;

  return {
    ...host,
    baseUrl: base,
    mode,
    accounts,
    storyPointsField,
    searches,
    seed(project, count) {
      const random = randomOf(`${project}:${count}:${projects.get(project)?.next ?? 1}`);
      const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
      // Bursts as teams work: mostly a few issues at a time, now and then a bulk edit of a hundred or more in one minute.
      const times: number[] = [];
      let at = 0;
      while (times.length < count) {
        const roll = random();
        const burst =
          roll < 0.7
            ? 1 + Math.floor(random() * 3)
            : roll < 0.9
              ? 4 + Math.floor(random() * 40)
              : 120 + Math.floor(random() * 140);
        at = Math.ceil((at + 60_000 + random() * 180 * 60_000) / 60_000) * 60_000;
        for (let i = 0; i < burst && times.length < count; i++) times.push(at + Math.floor((i * 45_000) / burst));
      }
      const shift = clock - 60_000 - (times[times.length - 1] as number);
      const made: Stored[] = [];
      const epics: Stored[] = [];
      for (const offset of times) {
        const updated = offset + shift;
        const status = pick(STATUSES);
        const parent = epics.length && random() < 0.3 ? pick(epics) : null;
        const issue = create(project, updated - Math.floor(random() * 20 * 86_400_000), {
          status,
          labels: LABELS.filter(() => random() < 0.2),
          points: random() < 0.7 ? pick([1, 2, 3, 5, 8, 13]) : null,
          parentKey: parent?.key ?? null,
        });
        issue.updated = updated;
        issue.assignee = random() < 0.8 ? pick(accounts) : null;
        issue.resolved = status.category === 'done' ? updated - Math.floor(random() * 3_600_000) : null;
        if (made.length % 40 === 0) epics.push(issue);
        made.push(issue);
      }
      return made.map(snapshot);
    },
    add(project, change) {
      return snapshot(create(project, clock, change));
    },
    edit(key, change) {
      const issue = stored(key);
      const { parentKey, ...rest } = change;
      Object.assign(issue, rest);
      if (parentKey !== undefined) issue.parentId = parentIdOf(parentKey);
      if (change.status) issue.resolved = change.status.category === 'done' ? clock : null;
      return touch(issue);
    },
    closeIssue(key) {
      const issue = stored(key);
      issue.status = STATUSES[3] as FakeStatus;
      issue.resolved = clock;
      return touch(issue);
    },
    reassign(key, account) {
      const issue = stored(key);
      issue.assignee = account;
      return touch(issue);
    },
    move(key, toProject) {
      const issue = stored(key);
      const home = projectOf(toProject);
      keys.delete(key);
      formerKeys.set(key, issue.id);
      issue.project = toProject;
      issue.key = `${toProject}-${home.next++}`;
      keys.set(issue.key, issue.id);
      return touch(issue);
    },
    remove(key) {
      const issue = stored(key);
      keys.delete(key);
      byId.delete(issue.id);
      for (const [former, id] of formerKeys) if (id === issue.id) formerKeys.delete(former);
    },
    issue(key) {
      const id = keys.get(key);
      const issue = id ? byId.get(id) : undefined;
      return issue && snapshot(issue);
    },
    issues: () => [...byId.values()].map(snapshot),
    now: () => clock,
    advance(ms) {
      clock += ms;
    },
    rateLimit(times, retryAfterSeconds, matches) {
      host.inject({
        times,
        matches,
        answer: () => ({
          status: 429,
          headers: {
            'retry-after': String(retryAfterSeconds),
            'x-ratelimit-limit': '350',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-nearlimit': 'true',
            'x-ratelimit-reset': new Date(Date.now() + retryAfterSeconds * 1000).toISOString(),
            'ratelimit-reason': 'jira-burst-based',
          },
        }),
      });
    },
    serverError(times, status = 503, matches) {
      host.inject({
        times,
        matches,
        answer: () => errors(status, 'Jira is temporarily unavailable. Please try again later.'),
      });
    },
  };
}
