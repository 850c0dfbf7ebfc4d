/**
 * Asana's tasks, through the official `asana` client (3.x) as its users run it: a project's tasks
 * crawled a hundred a page (`GET /tasks?project=`, then `nextPage()`), each task with subtasks
 * listed under it (Asana lists only a project's own tasks), and afterwards only what the project's
 * event stream (`GET /events?resource=<project>&sync=`) says changed. A scope is one project, or a
 * workspace, whose unarchived projects are listed at each sync and each followed on its own.
 */
import Asana from 'asana';
import {
  ASANA_TASK_FIELDS,
  type AsanaCursor,
  type AsanaEvent,
  type AsanaTask,
  asanaTicket,
  changesOfEvents,
  formatAsanaCursor,
  parseAsanaCursor,
} from '../../lib/hosts/apis/asana';
import type { SyncedTicket } from '../../lib/hosts/apis/types';
import { formatRef, type TicketRef } from '../../lib/shared/ref';
import type {
  CheckResult,
  ConnectionAccess,
  ConnectorFactory,
  FetchedTicket,
  RateLimitListener,
  SyncPage,
  SyncScope,
} from './types';

const PAGE_SIZE = 100;
/** Consecutive 429s one request waits out before the sync gives up (and runs again later). */
const RATE_LIMIT_RETRIES = 6;
/** Asana always sends Retry-After with a 429; this is for an answer that lacks it. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 30_000;
/** Server errors and dropped connections: tried again after 250 ms, 500 ms, 1 s. */
const FAILURE_RETRIES = 3;
const FIRST_BACKOFF_MS = 250;

/**
 * The client's answers as this file reads them: its declarations type every call as `any`. A list
 * is the client's Collection: `data`, the raw body in `_response` (`next_page`, and for events
 * `sync` and `has_more`), and `nextPage()`, which answers `{ data: null }` after the last page.
 */
interface Listing<T> {
  data: T[];
  _response: { next_page?: { offset?: string } | null; sync?: string; has_more?: boolean };
  nextPage(): Promise<Listing<T> | { data: null }>;
}
type Query = Record<string, string | number | boolean>;
interface Named {
  gid: string;
  name?: string | null;
}
interface AsanaApis {
  tasks: {
    getTasks(opts: Query): Promise<Listing<AsanaTask>>;
    getTask(gid: string, opts: Query): Promise<{ data: AsanaTask }>;
    getSubtasksForTask(gid: string, opts: Query): Promise<Listing<AsanaTask>>;
  };
  events: { getEvents(resource: string, opts: Query): Promise<Listing<AsanaEvent>> };
  projects: {
    getProject(gid: string, opts: Query): Promise<{ data: Named }>;
    getProjectsForWorkspace(gid: string, opts: Query): Promise<Listing<Named>>;
  };
  users: { getUser(gid: string, opts: Query): Promise<{ data: Named }> };
}

/** What superagent, under the client, rejects with: an HTTP answer (status, headers, body) or a network error (code). */
interface ClientFailure {
  status?: number;
  code?: string;
  message?: string;
  response?: { headers?: Record<string, string | undefined>; body?: unknown };
}

/** A request Asana refused or that never reached it, in words without the token. */
export class AsanaRequestError extends Error {
  /** The HTTP status; null when Asana could not be reached. */
  readonly status: number | null;
  /** The fresh sync token a 412 of the events API carries. */
  readonly sync: string | null;
  constructor(message: string, status: number | null, sync: string | null = null) {
    super(message);
    this.name = 'AsanaRequestError';
    this.status = status;
    this.sync = sync;
  }
}

function asFailure(error: unknown): ClientFailure | null {
  if (typeof error !== 'object' || error === null) return null;
  const failure = error as ClientFailure;
  return typeof failure.status === 'number' || typeof failure.code === 'string' ? failure : null;
}

function hostMessageOf(body: unknown): string | null {
  const message = (body as { errors?: { message?: unknown }[] } | null)?.errors?.[0]?.message;
  return typeof message === 'string' ? message : null;
}

/** The client's rejection as an AsanaRequestError; the client's own error holds the request, token included, so it is not kept. */
function requestErrorOf(failure: ClientFailure, what: string, baseUrl: string): AsanaRequestError {
  if (typeof failure.status !== 'number') {
    return new AsanaRequestError(`Asana at ${baseUrl} cannot be reached: ${failure.code ?? failure.message}`, null);
  }
  const body = failure.response?.body;
  if (failure.status === 401) return new AsanaRequestError('Asana refused the token (401)', 401);
  const sync = (body as { sync?: unknown } | null)?.sync;
  const said = hostMessageOf(body);
  return new AsanaRequestError(
    `Asana answered ${failure.status} to ${what}${said ? `: ${said}` : ''}`,
    failure.status,
    typeof sync === 'string' ? sync : null,
  );
}

function retryAfterMs(failure: ClientFailure): number | null {
  const header = failure.response?.headers?.['retry-after'];
  const seconds = header === undefined ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}

/** Waits, or less when the signal aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, signal?.aborted ? 0 : ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * One request with the retries the asana client lacks (3.x has no retry code: a 429 or a 503
 * rejects at once). A 429 waits what its Retry-After says and tells `onRateLimit`; a 5xx or a
 * dropped connection waits a growing backoff, a few times. Every other failure, and the last one,
 * rejects as an AsanaRequestError.
 */
async function withRetry<T>(
  what: string,
  call: () => Promise<T>,
  context: { baseUrl: string; onRateLimit?: RateLimitListener; signal?: AbortSignal },
): Promise<T> {
  let rateLimited = 0;
  let failed = 0;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const failure = asFailure(error);
      if (!failure) throw error;
      const status = failure.status;
      let waitMs: number | null = null;
      if (status === 429 && rateLimited < RATE_LIMIT_RETRIES) {
        rateLimited += 1;
        waitMs = retryAfterMs(failure) ?? DEFAULT_RATE_LIMIT_WAIT_MS;
        context.onRateLimit?.({
          waitMs,
          reason: `Asana answered 429 to ${what}; waiting ${Math.ceil(waitMs / 1000)} s as it asks`,
        });
      } else if ((status === undefined || status >= 500) && failed < FAILURE_RETRIES) {
        waitMs = Math.max(retryAfterMs(failure) ?? 0, FIRST_BACKOFF_MS * 2 ** failed);
        failed += 1;
      }
      if (waitMs === null) throw requestErrorOf(failure, what, context.baseUrl);
      await pause(waitMs, context.signal);
      context.signal?.throwIfAborted();
    }
  }
}

const statusOf = (error: unknown) => (error instanceof AsanaRequestError ? error.status : undefined);

/** A failure as a problem a person acts on; never the token. */
function problemOf(error: unknown, what: string): string {
  const status = statusOf(error);
  if (status === 401) return 'Asana refused the token (401)';
  if (status === 403 || status === 404) return `the token cannot read ${what}`;
  return error instanceof Error ? error.message : String(error);
}

function apisOf(access: ConnectionAccess): AsanaApis {
  const client = new Asana.ApiClient();
  client.basePath = access.baseUrl;
  client.authentications.token = { type: 'personalAccessToken', accessToken: access.token };
  return {
    tasks: new Asana.TasksApi(client),
    events: new Asana.EventsApi(client),
    projects: new Asana.ProjectsApi(client),
    users: new Asana.UsersApi(client),
  };
}

const SCOPE_KEY = /^(project|workspace):(\d{1,30})$/;

export const asanaConnector: ConnectorFactory = (access, options) => {
  const apis = apisOf(access);
  const site = access.site;
  const ticketOf = (task: AsanaTask) => asanaTicket(task, { site });
  const taskRef = (gid: string) => formatRef({ source: 'asana', host: site, key: gid });
  // Whether the entries last given to scopes() asked for the whole host, which check() then reports.
  let hostWideAsked = false;

  const request = <T>(what: string, call: () => Promise<T>, signal?: AbortSignal) =>
    withRetry(what, call, { baseUrl: access.baseUrl, onRateLimit: options.onRateLimit, signal });

  /** Every item of a list, page after page. */
  async function listAll<T>(what: string, first: () => Promise<Listing<T>>, signal?: AbortSignal): Promise<T[]> {
    const items: T[] = [];
    let page: Listing<T> | { data: null } = await request(what, first, signal);
    while (page.data !== null) {
      items.push(...page.data);
      const current: Listing<T> = page;
      page = await request(what, () => current.nextPage(), signal);
    }
    return items;
  }

  /** The projects a scope follows: the one it names, or its workspace's unarchived ones. */
  async function projectsOf(scope: SyncScope, signal: AbortSignal): Promise<string[]> {
    const match = SCOPE_KEY.exec(scope.key);
    if (!match) throw new Error(`"${scope.key}" is not an Asana sync scope (project:<gid> or workspace:<gid>)`);
    const [, kind, gid] = match as unknown as [string, string, string];
    if (kind === 'project') return [gid];
    const projects = await listAll(
      `GET /workspaces/${gid}/projects`,
      () => apis.projects.getProjectsForWorkspace(gid, { limit: PAGE_SIZE, archived: false, opt_fields: 'name' }),
      signal,
    );
    return projects.map((project) => project.gid);
  }

  /** A new sync token for a project's events: Asana answers a request without one with 412 and a token. */
  async function freshSync(project: string, signal: AbortSignal): Promise<string> {
    try {
      const answer = await request(`GET /events?resource=${project}`, () => apis.events.getEvents(project, {}), signal);
      if (answer._response.sync) return answer._response.sync;
    } catch (error) {
      if (error instanceof AsanaRequestError && error.status === 412 && error.sync) return error.sync;
      throw error;
    }
    throw new Error(`Asana gave no sync token for the events of project ${project}`);
  }

  /** The subtasks, at every depth, of a page of a project's tasks; those the project lists itself come with its pages. */
  async function descendantsOf(tasks: readonly AsanaTask[], project: string, signal: AbortSignal) {
    const found: AsanaTask[] = [];
    let parents = tasks.filter((task) => (task.num_subtasks ?? 0) > 0);
    while (parents.length > 0) {
      const next: AsanaTask[] = [];
      for (const parent of parents) {
        const subtasks = await listAll(
          `GET /tasks/${parent.gid}/subtasks`,
          () => apis.tasks.getSubtasksForTask(parent.gid, { limit: PAGE_SIZE, opt_fields: ASANA_TASK_FIELDS }),
          signal,
        );
        for (const subtask of subtasks) {
          if (subtask.memberships?.some((m) => m.project?.gid === project)) continue;
          found.push(subtask);
          if ((subtask.num_subtasks ?? 0) > 0) next.push(subtask);
        }
      }
      parents = next;
    }
    return found;
  }

  /**
   * A project's tasks, a page at a time, from where `state` says its crawl stands. Each page's
   * cursor holds the offset of the next, so a crawl cut short resumes there; an offset Asana no
   * longer takes (400) starts the crawl again, under a fresh sync token. The last page's cursor
   * holds only the sync token taken before the crawl began, so changes made during it come next.
   */
  async function* crawl(project: string, state: AsanaCursor, signal: AbortSignal): AsyncGenerator<SyncPage> {
    const what = `GET /tasks?project=${project}`;
    const firstPage = (offset: string | null) =>
      request(
        what,
        () =>
          apis.tasks.getTasks({ project, limit: PAGE_SIZE, opt_fields: ASANA_TASK_FIELDS, ...(offset && { offset }) }),
        signal,
      );
    const offset = state.projects[project]?.crawl?.offset ?? null;
    let page: Listing<AsanaTask>;
    try {
      page = await firstPage(offset);
    } catch (error) {
      if (!(offset && statusOf(error) === 400)) throw error;
      state.projects[project] = { sync: await freshSync(project, signal), crawl: { offset: null } };
      page = await firstPage(null);
    }
    for (;;) {
      const tasks = [...page.data, ...(await descendantsOf(page.data, project, signal))];
      const next = page.data.length > 0 ? (page._response.next_page?.offset ?? null) : null;
      const sync = state.projects[project]?.sync as string;
      state.projects[project] = next ? { sync, crawl: { offset: next } } : { sync };
      yield { tickets: tasks.map(ticketOf), removed: [], cursor: formatAsanaCursor(state) };
      if (!next || signal.aborted) return;
      const current = page;
      const following = await request(what, () => current.nextPage(), signal);
      if (following.data === null) return;
      page = following;
    }
  }

  /**
   * What a project's events say changed since its sync token: each task once, in the order of its
   * last change, a hundred a page; deleted tasks (and any that answer 404) in `removed` of the last
   * page, which alone carries the new token. Answers 'expired' when Asana refuses the token (412),
   * with the fresh token it gave set in `state` for a crawl.
   */
  async function* readEvents(
    project: string,
    state: AsanaCursor,
    signal: AbortSignal,
  ): AsyncGenerator<SyncPage, 'read' | 'expired'> {
    let sync = state.projects[project]?.sync as string;
    const events: AsanaEvent[] = [];
    for (;;) {
      let batch: Listing<AsanaEvent>;
      try {
        const since = sync;
        batch = await request(
          `GET /events?resource=${project}`,
          () => apis.events.getEvents(project, { sync: since }),
          signal,
        );
      } catch (error) {
        if (!(error instanceof AsanaRequestError && error.status === 412)) throw error;
        state.projects[project] = { sync: error.sync ?? (await freshSync(project, signal)), crawl: { offset: null } };
        return 'expired';
      }
      events.push(...batch.data);
      sync = batch._response.sync ?? sync;
      if (!batch._response.has_more) break;
      if (signal.aborted) return 'read';
    }
    const { fetch, deleted } = changesOfEvents(events);
    const removed = deleted.map(taskRef);
    for (let start = 0; start === 0 || start < fetch.length; start += PAGE_SIZE) {
      if (signal.aborted) return 'read';
      const tickets: SyncedTicket[] = [];
      for (const gid of fetch.slice(start, start + PAGE_SIZE)) {
        const found = await fetchTask(gid, signal);
        if (found) tickets.push(ticketOf(found));
        else removed.push(taskRef(gid));
      }
      const last = start + PAGE_SIZE >= fetch.length;
      if (last) state.projects[project] = { sync };
      yield { tickets, removed: last ? removed : [], cursor: formatAsanaCursor(state) };
    }
    return 'read';
  }

  /** The task as Asana has it now, or null when it answers 404. */
  async function fetchTask(gid: string, signal?: AbortSignal): Promise<AsanaTask | null> {
    try {
      const answer = await request(
        `GET /tasks/${gid}`,
        () => apis.tasks.getTask(gid, { opt_fields: ASANA_TASK_FIELDS }),
        signal,
      );
      return answer.data;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  return {
    scopes(entries) {
      const ours = entries.filter((e) => e.source === 'asana' && e.host === site);
      hostWideAsked = ours.some((e) => e.kind === 'host');
      const scopes = new Map<string, SyncScope>();
      for (const entry of ours) {
        if (entry.kind !== 'project' && entry.kind !== 'workspace') continue;
        const key = `${entry.kind}:${entry.value}`;
        scopes.set(key, { key, description: `${entry.kind} ${entry.value}` });
      }
      return [...scopes.values()];
    },

    /**
     * Each of the scope's projects in turn: crawled when the cursor has no sync token for it (or
     * Asana refused the token), else read from its events. The cursor holds every project's token
     * and, while one is crawled, its offset (lib/hosts/apis/asana.ts).
     */
    async *changes(scope, cursor, signal): AsyncIterable<SyncPage> {
      try {
        const projects = await projectsOf(scope, signal);
        const stored = parseAsanaCursor(cursor);
        const state: AsanaCursor = { projects: {} };
        for (const project of projects) {
          const entry = stored?.projects[project];
          if (entry) state.projects[project] = entry;
        }
        for (const project of projects) {
          if (signal.aborted) return;
          const entry = state.projects[project];
          if (!entry) {
            state.projects[project] = { sync: await freshSync(project, signal), crawl: { offset: null } };
          } else if (!entry.crawl) {
            const outcome = yield* readEvents(project, state, signal);
            if (outcome === 'read') continue;
          }
          yield* crawl(project, state, signal);
        }
      } catch (error) {
        if (signal.aborted && error === signal.reason) return;
        throw error;
      }
    },

    async fetch(ref: TicketRef): Promise<FetchedTicket> {
      if (ref.source !== 'asana' || ref.host !== site || !/^\d{1,30}$/.test(ref.key)) {
        throw new Error(`${formatRef(ref)} is not an Asana task on ${site}`);
      }
      const task = await fetchTask(ref.key);
      return task ? { status: 'found', ticket: ticketOf(task) } : { status: 'gone' };
    },

    async check(scopes): Promise<CheckResult> {
      const problems: string[] = [];
      if (hostWideAsked) {
        problems.push(`Asana cannot list everything at ${site}: add a workspace or project to the scope`);
      }
      let account: string | null;
      try {
        const me = await request('GET /users/me', () => apis.users.getUser('me', { opt_fields: 'name' }));
        account = me.data.name ?? me.data.gid;
      } catch (error) {
        return { ok: false, account: null, problems: [problemOf(error, 'the signed-in account'), ...problems] };
      }
      for (const scope of scopes) {
        const match = SCOPE_KEY.exec(scope.key);
        if (!match) {
          problems.push(`"${scope.key}" is not an Asana scope`);
          continue;
        }
        const [, kind, gid] = match as unknown as [string, string, string];
        try {
          if (kind === 'project') {
            await request(`GET /projects/${gid}`, () => apis.projects.getProject(gid, { opt_fields: 'name' }));
          } else {
            await request(`GET /workspaces/${gid}/projects`, () =>
              apis.projects.getProjectsForWorkspace(gid, { limit: 1, opt_fields: 'name' }),
            );
          }
        } catch (error) {
          problems.push(problemOf(error, scope.description));
        }
      }
      return { ok: problems.length === 0, account, problems };
    },
  };
};
