/**
 * Jira Cloud and Data Center through jira.js 6: issues updated since a cursor, one issue, and a
 * credential check. Cloud searches `/rest/api/3/search/jql` (paged by token, no total); Data Center
 * `/rest/api/2/search` (startAt, total). Which one a site is comes from its serverInfo, asked once.
 *
 * A search's order shifts under it while issues are edited, so a sync is not one long token-paged
 * walk: each page re-queries from the minute of the last page's latest update (JQL times have minute
 * precision) and drops what this run already yielded unchanged. Only where a whole page shares one
 * minute does it page by token or startAt; until such a walk is known undisturbed, the cursor stays
 * before it.
 */
import { createCloudClient, isApiError, isAuthError, isNetworkError, isRateLimitError } from 'jira.js';
import { type Client, createClient, withRetry } from 'jira.js/core';
import {
  formatCursor,
  type JiraField,
  type JiraIssue,
  type JiraSite,
  jiraTicket,
  MINUTE_MS,
  minuteOf,
  parseCursor,
  requestedFields,
  siteFields,
  syncJql,
} from '../../lib/hosts/apis/jira';
import type { SyncedTicket } from '../../lib/hosts/apis/types';
import type { TicketRef } from '../../lib/shared/ref';
import type { ConnectionAccess, ConnectorFactory, SyncPage, SyncScope } from './types';

const PAGE_SIZE = 100;
/** Attempts of one request through rate limits and 502/503/504 (waits 1, 2, 4 s unless Jira says how long). */
const ATTEMPTS = 4;
/** A check answers a person waiting on it: one retry. */
const CHECK_ATTEMPTS = 2;
const RETRY_DELAY_MS = 1000;
/** Longer than this, a sync does not sleep on Retry-After but stops; the next one starts from the pages' cursors. */
const LONGEST_WAIT_MS = 60_000;
/** Passes over a sync's disturbed stretch before the cursor is left before it for the next sync. */
const PASSES = 3;

type Deployment = 'cloud' | 'dc';
/** How to ask for the page after this one: Cloud's token, or DC's startAt with the issue that should come first. */
type Continuation = { token: string } | { startAt: number; firstId: string };
interface SearchPage {
  issues: JiraIssue[];
  next: Continuation | null;
  /** The page did not start where the last one ended: the results shifted while paging. */
  shifted: boolean;
}

const SCOPE_KEY = /^(?:site:|project:([A-Z][A-Z0-9_]{0,254}))$/;

/** `https://<site><context path>` when the site is reached through another address, else the address itself. */
function browseBaseOf(access: ConnectionAccess): string {
  const url = new URL(access.baseUrl);
  if (url.host === access.site) return access.baseUrl;
  return `https://${access.site}${url.pathname.replace(/\/$/, '')}`;
}

/** What the transport said, innermost: "connect ECONNREFUSED 127.0.0.1:9". */
function reasonOf(error: unknown): string {
  let inner = error;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  return inner instanceof Error ? inner.message : String(inner);
}

/** Jira's own words in an error answer (`errorMessages`), never more than a line. */
function jiraMessages(error: unknown): string {
  const body = isApiError(error) ? error.body : null;
  const messages = (body as { errorMessages?: unknown } | null)?.errorMessages;
  return Array.isArray(messages)
    ? messages
        .filter((m) => typeof m === 'string')
        .join(' ')
        .slice(0, 300)
    : '';
}

/** Loads once and keeps the answer; a failure is not kept, so the next call asks again. */
function memo<A extends unknown[], T>(load: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let pending: Promise<T> | null = null;
  return (...args) => {
    pending ??= load(...args).catch((error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}

/**
 * jira.js's client for the connection. It validates its settings (the e-mail's form, the address)
 * when made; settings it refuses give a client whose every request fails saying so, so that a check
 * reports it as a problem and a sync as its error, instead of the factory throwing.
 */
function clientFor(access: ConnectionAccess): Client {
  try {
    return createClient({
      host: access.baseUrl,
      auth:
        access.email !== null
          ? { type: 'basic', email: access.email, apiToken: access.token }
          : { type: 'bearer', token: access.token },
      // Jira's answers carry keys and values jira.js's schemas do not list (custom fields, DC's own):
      // take them as they are, without a warning on stderr for each.
      onSchemaMismatch: 'silent',
    });
  } catch (error) {
    const issues = (error as { issues?: { path: PropertyKey[] }[] }).issues ?? [];
    const settings = issues.map((issue) => (issue.path.includes('email') ? 'e-mail' : issue.path.join('.'))).join(', ');
    const refused = new Error(
      `jira.js cannot use the connection to Jira at ${access.site}: check its ${settings || 'settings'}`,
    );
    return { sendRequest: () => Promise.reject(refused) };
  }
}

export const jiraConnector: ConnectorFactory = (access, options) => {
  const site = access.site;
  const client = clientFor(access);
  const cloud = createCloudClient(client);
  // jira.js 6 wraps only Cloud's API; Data Center's v2 goes through the same client's transport (6.3 brings the DC client).
  const dcGet = <T>(url: string, searchParams?: Record<string, unknown>) =>
    client.sendRequest<T>({ url: `/rest/api/2${url}`, method: 'GET', searchParams });
  const browseBase = browseBaseOf(access);
  const refusedProblem = `Jira at ${site} refused the token (401): check the ${
    access.email !== null ? 'e-mail and API token' : 'personal access token'
  }`;

  /** One request, retried through 429 (waiting what Retry-After says) and 502/503/504 with backoff. */
  const call = <T>(operation: () => Promise<T>, attempts = ATTEMPTS): Promise<T> => {
    let attempt = 0;
    return withRetry(
      async () => {
        attempt += 1;
        try {
          return await operation();
        } catch (error) {
          if (isRateLimitError(error) && attempt < attempts) {
            const waitMs = error.retryAfterMs ?? RETRY_DELAY_MS * 2 ** (attempt - 1);
            if (waitMs > LONGEST_WAIT_MS) {
              // A plain Error, which withRetry does not retry.
              throw new Error(`Jira at ${site} asks to wait ${Math.ceil(waitMs / 1000)} s (429): try again later`, {
                cause: error,
              });
            }
            options.onRateLimit?.({ waitMs, reason: `Jira at ${site} answered 429 (too many requests)` });
          }
          throw error;
        }
      },
      { maxAttempts: attempts, initialDelayMs: RETRY_DELAY_MS, backoffFactor: 2, retryRateLimit: true },
    );
  };

  /** An Error a person can act on, with neither the token nor Jira's whole answer in it. */
  const failure = (error: unknown, what: string, project: string | null = null): Error => {
    if (isAuthError(error)) return new Error(refusedProblem, { cause: error });
    const status = isApiError(error) ? error.status : null;
    const said = jiraMessages(error);
    // A project the token cannot browse is, to JQL, a project that does not exist.
    const unreadable =
      project !== null && (status === 403 || status === 404 || (status === 400 && said.includes(`'${project}'`)));
    if (unreadable) return new Error(`the token cannot read project ${project}`, { cause: error });
    if (isRateLimitError(error)) return new Error(`Jira at ${site} kept answering 429 to ${what}`, { cause: error });
    if (status !== null) {
      return new Error(`Jira at ${site} answered ${status} to ${what}${said ? `: ${said}` : ''}`, { cause: error });
    }
    if (isNetworkError(error)) {
      return new Error(`Jira at ${access.baseUrl} cannot be reached: ${reasonOf(error)}`, { cause: error });
    }
    return error instanceof Error ? error : new Error(String(error));
  };

  /** Cloud or Data Center, from serverInfo's deploymentType (Cloud; Server or DataCenter). */
  const deployment = memo(async (attempts: number): Promise<Deployment> => {
    const info = await call(
      () => client.sendRequest<{ deploymentType?: string }>({ url: '/rest/api/2/serverInfo', method: 'GET' }),
      attempts,
    );
    return info?.deploymentType === 'Cloud' ? 'cloud' : 'dc';
  });
  const mapping = memo(async (): Promise<JiraSite> => {
    const fields =
      (await deployment(ATTEMPTS)) === 'cloud'
        ? await call(() => cloud.issueFields.getFields())
        : await call(() => dcGet<JiraField[]>('/field'));
    return { site, browseBase, ...siteFields(fields as JiraField[]) };
  });

  const search = async (jql: string, after: Continuation | null): Promise<SearchPage> => {
    const fields = requestedFields(await mapping());
    if ((await deployment(ATTEMPTS)) === 'cloud') {
      const answer = await call(() =>
        cloud.issueSearch.searchAndReconsileIssuesUsingJqlPost({
          jql,
          fields,
          maxResults: PAGE_SIZE,
          ...(after && 'token' in after && { nextPageToken: after.token }),
        }),
      );
      const issues = (answer.issues ?? []) as JiraIssue[];
      const more = !answer.isLast && answer.nextPageToken && issues.length > 0;
      return { issues, next: more ? { token: answer.nextPageToken as string } : null, shifted: false };
    }
    const startAt = after && 'startAt' in after ? after.startAt : 0;
    const answer = await call(() =>
      dcGet<{ total?: number; issues?: JiraIssue[] }>('/search', {
        jql,
        startAt,
        maxResults: PAGE_SIZE,
        fields: fields.join(','),
      }),
    );
    const issues = answer.issues ?? [];
    const last = issues[issues.length - 1];
    const more = last !== undefined && startAt + issues.length < (answer.total ?? 0);
    // The next page starts at this one's last issue: if another issue is there, the results shifted under the walk.
    const overlap = issues.length > 1 ? 1 : 0;
    return {
      issues,
      next: more ? { startAt: startAt + issues.length - overlap, firstId: overlap ? last.id : '' } : null,
      shifted: after !== null && 'firstId' in after && after.firstId !== '' && issues[0]?.id !== after.firstId,
    };
  };

  async function* changes(scope: SyncScope, cursor: string | null, signal: AbortSignal): AsyncGenerator<SyncPage> {
    const scopeMatch = SCOPE_KEY.exec(scope.key);
    if (!scopeMatch) throw new Error(`"${scope.key}" is not a Jira sync scope`);
    const project = scopeMatch[1] ?? null;
    const what = `the search of ${scope.description}`;
    const since = parseCursor(cursor);
    const mapped = await mapping().catch((error: unknown) => {
      throw failure(error, what);
    });
    /** What this run yielded: each issue's id and the update it was yielded at. */
    const yielded = new Map<string, number>();
    let latest: number | null = null;
    let lastCursor = cursor;
    /** The start of the earliest stretch paged by position this pass, which the cursor may not pass yet. */
    let hold: number | null = null;
    /** Stretches paged by position this pass, from their first minute to their last update. */
    let walks: { from: number; to: number }[] = [];
    /** Where this pass saw a paged stretch shift under it: the next pass starts there. */
    let disturbed: number | null = null;
    const note = (from: number) => {
      disturbed = disturbed === null ? from : Math.min(disturbed, from);
    };
    /** The latest update yielded less a minute of overlap, held before a paged stretch not yet known whole; never back. */
    const cursorNow = () => {
      if (latest === null) return lastCursor;
      const upTo = Math.min(latest, hold ?? latest) - MINUTE_MS;
      return formatCursor(since === null ? upTo : Math.max(upTo, since));
    };

    let from = since;
    for (let pass = 1; ; pass++) {
      let after: Continuation | null = null;
      let walk: { from: number; to: number } | null = null;
      for (;;) {
        if (signal.aborted) return;
        const page: SearchPage = await search(syncJql(project, from), after).catch((error: unknown) => {
          throw failure(error, what, project);
        });
        const tickets: SyncedTicket[] = [];
        const times: number[] = [];
        for (const issue of page.issues) {
          const ticket = jiraTicket(issue, mapped);
          const updated = Date.parse(ticket.updatedAt);
          times.push(updated);
          const before = yielded.get(issue.id);
          if (before !== undefined && updated <= before) continue;
          // Seen before at an older update: if it was inside a stretch paged by position, its edit may have shifted it.
          const within = before !== undefined ? walks.find((w) => before >= w.from && before <= w.to) : undefined;
          if (within) note(within.from);
          yielded.set(issue.id, updated);
          latest = Math.max(latest ?? updated, updated);
          tickets.push(ticket);
        }
        const first = times[0];
        const last = times[times.length - 1];
        if (walk && last !== undefined) walk.to = Math.max(walk.to, last);
        if (walk && page.shifted) note(walk.from);
        const ended = page.next === null || first === undefined || last === undefined;
        if (!ended && minuteOf(last as number) > minuteOf(first as number)) {
          // Re-query from the last minute: what this run yielded unchanged there is dropped above.
          from = last as number;
          after = null;
          walk = null;
        } else if (!ended) {
          // The whole page is one minute: re-querying would answer it again, so page on by position.
          if (!walk) {
            walk = { from: minuteOf(first as number), to: last as number };
            walks.push(walk);
            hold = Math.min(hold ?? walk.from, walk.from);
          }
          after = page.next;
        }
        const next = cursorNow();
        if (next !== null && (tickets.length > 0 || next !== lastCursor)) {
          lastCursor = next;
          yield { tickets, removed: [], cursor: next };
        }
        if (ended) break;
      }
      if (disturbed === null) {
        hold = null;
      } else if (pass < PASSES) {
        // Page again from the disturbed stretch: what shifted past the walk is found, the rest dropped.
        from = disturbed;
        hold = disturbed;
        walks = [];
        disturbed = null;
        continue;
      }
      const final = cursorNow();
      if (final !== null && final !== lastCursor) yield { tickets: [], removed: [], cursor: final };
      return;
    }
  }

  const fetchIssue = async (ref: TicketRef) => {
    const fields = requestedFields(await mapping());
    return (await deployment(ATTEMPTS)) === 'cloud'
      ? ((await call(() => cloud.issues.getIssue({ issueIdOrKey: ref.key, fields }))) as JiraIssue)
      : await call(() => dcGet<JiraIssue>(`/issue/${encodeURIComponent(ref.key)}`, { fields: fields.join(',') }));
  };

  return {
    scopes(entries) {
      const ours = entries.filter((entry) => entry.source === 'jira' && entry.host === site);
      if (ours.some((entry) => entry.kind === 'host'))
        return [{ key: 'site:', description: `every project on ${site}` }];
      const projects = [...new Set(ours.filter((entry) => entry.kind === 'project').map((entry) => entry.value))];
      return projects.map((key) => ({ key: `project:${key}`, description: `project ${key}` }));
    },

    changes,

    async fetch(ref) {
      if (ref.source !== 'jira' || ref.host !== site)
        throw new Error(`${ref.source}:${ref.host} is not Jira at ${site}`);
      try {
        const issue = await fetchIssue(ref);
        // A moved issue answers under its new key, which the ticket then carries.
        return { status: 'found', ticket: jiraTicket(issue, await mapping()) };
      } catch (error) {
        if (!isApiError(error) || error.status !== 404) throw failure(error, `GET issue ${ref.key}`);
        // Jira answers 404 as well for an issue the token may not browse: gone only if its
        // project is readable; otherwise the token lost access, which must erase nothing.
        const project = ref.key.slice(0, ref.key.lastIndexOf('-'));
        try {
          if ((await deployment(ATTEMPTS)) === 'cloud')
            await call(() => cloud.projects.getProject({ projectIdOrKey: project }));
          else await call(() => dcGet(`/project/${project}`));
        } catch (projectError) {
          throw failure(projectError, `project ${project}`, project);
        }
        return { status: 'gone' };
      }
    },

    async check(scopes) {
      const problems: string[] = [];
      let kind: Deployment;
      try {
        kind = await deployment(CHECK_ATTEMPTS);
      } catch (error) {
        return { ok: false, account: null, problems: [failure(error, 'serverInfo').message] };
      }
      let account: string | null = null;
      try {
        const me =
          kind === 'cloud'
            ? await call(() => cloud.myself.getCurrentUser(), CHECK_ATTEMPTS)
            : await call(() => dcGet<{ displayName?: string; name?: string }>('/myself'), CHECK_ATTEMPTS);
        account = me.displayName ?? null;
      } catch (error) {
        return { ok: false, account: null, problems: [failure(error, 'myself').message] };
      }
      for (const scope of scopes) {
        const project = SCOPE_KEY.exec(scope.key)?.[1];
        if (!project) continue;
        try {
          if (kind === 'cloud')
            await call(() => cloud.projects.getProject({ projectIdOrKey: project }), CHECK_ATTEMPTS);
          else await call(() => dcGet(`/project/${project}`), CHECK_ATTEMPTS);
        } catch (error) {
          problems.push(failure(error, `project ${project}`, project).message);
        }
      }
      return { ok: problems.length === 0, account, problems };
    },
  };
};
