/**
 * A stand-in for GitHub's REST API (github.com or an Enterprise Server's `/api/v3`): repositories,
 * their issues and pull requests, answered in the shapes of GitHub's recorded responses
 * (`@octokit/fixtures`, scenario paginate-issues), paged with `Link` headers, filtered by `since`
 * and sorted as GitHub does; a wrong token gets GitHub's 401, and rate limits come on demand with
 * GitHub's headers. Issues can be edited, closed, reassigned, transferred and deleted.
 */
import { randomBytes, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { bearerOf, type FakeAnswer, type FakeHost, type FakeRequest, startFakeHost } from './server';

interface RecordedExchange {
  path: string;
  headers: Record<string, string>;
  response: Record<string, unknown>[];
}
// The package's own `get` reads this file; it ships no types, and its index pulls nock in.
const fixtureFile = createRequire(import.meta.url).resolve(
  '@octokit/fixtures/scenarios/api.github.com/paginate-issues/normalized-fixture.json',
);
const [recorded] = JSON.parse(readFileSync(fixtureFile, 'utf8')) as RecordedExchange[];
/** One issue as GitHub answered it, the template of every issue here. */
const ISSUE_TEMPLATE = (recorded as RecordedExchange).response[0] as Record<string, unknown>;

export interface FakeIssue {
  id: number;
  nodeId: string;
  repo: string;
  number: number;
  title: string;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | null;
  assignees: string[];
  labels: string[];
  milestone: { number: number; title: string } | null;
  parent: { repo: string; number: number } | null;
  pullRequest: { mergedAt: string | null } | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface FakeGithub extends FakeHost {
  /** The API's base URL as a connection names it (with `/api/v3` for an Enterprise Server). */
  baseUrl: string;
  /** Adds `count` issues to the repository, one a minute before the clock, some closed, assigned, labelled, in a milestone, under a parent. */
  seed(repo: string, count: number): FakeIssue[];
  /** Adds one issue as given (its number, title, assignees, parent…), updated at the clock. */
  put(repo: string, issue: Pick<FakeIssue, 'number' | 'title'> & Partial<FakeIssue>): FakeIssue;
  issue(repo: string, number: number): FakeIssue | undefined;
  issues(): FakeIssue[];
  /** Changes an issue as a person would on GitHub: its update time becomes the clock's. */
  edit(
    repo: string,
    number: number,
    change: Partial<Pick<FakeIssue, 'title' | 'labels' | 'milestone' | 'parent'>>,
  ): FakeIssue;
  closeIssue(repo: string, number: number): FakeIssue;
  reassign(repo: string, number: number, logins: string[]): FakeIssue;
  /** Moves the issue to another repository (a new number there, the same node id); its old address answers 301. */
  transfer(repo: string, number: number, toRepo: string): FakeIssue;
  /** Deletes the issue: its address answers 410, and no list has it. */
  remove(repo: string, number: number): void;
  /** Moves the clock on (updates get later times). */
  advance(ms: number): void;
  /** Answers the next `times` requests with a primary rate limit (403, remaining 0, reset in `resetInSeconds`). */
  rateLimit(times: number, resetInSeconds: number): void;
  /** Answers the next `times` requests with a secondary rate limit (403 with `retry-after`). */
  secondaryRateLimit(times: number, retryAfterSeconds: number): void;
  /** Answers the next `times` requests with a server error. */
  serverError(times: number, status?: number): void;
}

/** Whether a JWT is the app's own: signed RS256 by its key, issued by its id, not expired. */
function appJwtValid(jwt: string, app: { id: number; publicKey: string }): boolean {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return false;
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    app.publicKey,
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) return false;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; exp?: number };
  return String(claims.iss) === String(app.id) && (claims.exp ?? 0) * 1000 > Date.now();
}

/** The first issue of a list in ascending update order updated at or after `time`. */
function firstAtOrAfter(sorted: FakeIssue[], time: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (Date.parse((sorted[middle] as FakeIssue).updatedAt) < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

const PEOPLE = ['mona', 'hubot', 'octocat', 'sam-rivera', 'ada-admin'];
const LABELS = ['bug', 'enhancement', 'payments', 'performance', 'good first issue'];

export async function startFakeGithub(options: {
  token: string;
  /**
   * A GitHub App installed here: `POST /app/installations/<id>/access_tokens` answers a JWT signed
   * by the app's key (RS256, its id as issuer) with an installation token, which the API then takes.
   */
  app?: { id: number; installationId: number; publicKey: string };
  /** `/api/v3` for an Enterprise Server; '' for api.github.com's layout. */
  pathPrefix?: string;
  /** Where html_url points: github.com or the Enterprise host. */
  site?: string;
  port?: number;
}): Promise<FakeGithub> {
  const prefix = options.pathPrefix ?? '';
  const site = options.site ?? 'github.com';
  let clock = Date.parse('2026-11-02T09:00:00Z');
  let nextId = 1000;
  let remaining = 5000;
  const byRepo = new Map<string, Map<number, FakeIssue>>();
  const moved = new Map<string, { repo: string; number: number }>();
  const deleted = new Set<string>();
  const keyOf = (repo: string, number: number) => `${repo.toLowerCase()}#${number}`;
  const repoIssues = (repo: string) => {
    const existing = [...byRepo.keys()].find((r) => r.toLowerCase() === repo.toLowerCase());
    if (existing) return byRepo.get(existing) as Map<number, FakeIssue>;
    const made = new Map<number, FakeIssue>();
    byRepo.set(repo, made);
    return made;
  };
  const nowIso = () => new Date(clock).toISOString().replace('.000Z', 'Z');
  let base = '';

  const issueJson = (issue: FakeIssue) => {
    const api = `${base}/repos/${issue.repo}`;
    return {
      ...ISSUE_TEMPLATE,
      url: `${api}/issues/${issue.number}`,
      repository_url: api,
      labels_url: `${api}/issues/${issue.number}/labels{/name}`,
      comments_url: `${api}/issues/${issue.number}/comments`,
      events_url: `${api}/issues/${issue.number}/events`,
      timeline_url: `${api}/issues/${issue.number}/timeline`,
      html_url: `https://${site}/${issue.repo}/${issue.pullRequest ? 'pull' : 'issues'}/${issue.number}`,
      id: issue.id,
      node_id: issue.nodeId,
      number: issue.number,
      title: issue.title,
      state: issue.state,
      state_reason: issue.stateReason,
      labels: issue.labels.map((name, i) => ({
        id: 2000 + i,
        node_id: `LA_${i}`,
        url: `${api}/labels/${encodeURIComponent(name)}`,
        name,
        color: 'd73a4a',
        default: false,
        description: null,
      })),
      assignee: issue.assignees[0] ? userJson(issue.assignees[0]) : null,
      assignees: issue.assignees.map(userJson),
      milestone: issue.milestone
        ? {
            url: `${api}/milestones/${issue.milestone.number}`,
            html_url: `https://${site}/${issue.repo}/milestone/${issue.milestone.number}`,
            id: 3000 + issue.milestone.number,
            number: issue.milestone.number,
            title: issue.milestone.title,
            state: 'open',
          }
        : null,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
      parent_issue_url: issue.parent ? `${base}/repos/${issue.parent.repo}/issues/${issue.parent.number}` : null,
      ...(issue.pullRequest && {
        pull_request: {
          url: `${api}/pulls/${issue.number}`,
          html_url: `https://${site}/${issue.repo}/pull/${issue.number}`,
          merged_at: issue.pullRequest.mergedAt,
        },
      }),
    };
  };
  const userJson = (login: string) => ({
    login,
    id: 10_000 + PEOPLE.indexOf(login) + (PEOPLE.includes(login) ? 0 : login.length * 97),
    node_id: `U_${login}`,
    type: 'User',
    site_admin: false,
    url: `${base}/users/${login}`,
    html_url: `https://${site}/${login}`,
  });

  const rateHeaders = () => ({
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(Math.max(remaining, 0)),
    'x-ratelimit-used': String(5000 - Math.max(remaining, 0)),
    'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
  });
  const notFound = (): FakeAnswer => ({
    status: 404,
    headers: rateHeaders(),
    body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' },
  });

  /** A list, sorted and filtered as GitHub's issue lists are, one page of it, with GitHub's Link header. */
  /** Lists sorted once per change of the issues (a 100k-issue benchmark pages through them a thousand times). */
  let version = 0;
  const sortedLists = new Map<string, { version: number; issues: FakeIssue[] }>();
  const sortedOnce = (key: string, make: () => FakeIssue[]) => {
    const cached = sortedLists.get(key);
    if (cached?.version === version) return cached.issues;
    const issues = make();
    sortedLists.set(key, { version, issues });
    return issues;
  };
  const listAnswer = (request: FakeRequest, all: () => FakeIssue[]): FakeAnswer => {
    const q = request.url.searchParams;
    const state = q.get('state') ?? 'open';
    const since = q.get('since');
    if (since && Number.isNaN(Date.parse(since))) {
      return {
        status: 422,
        body: { message: 'Validation Failed', errors: [{ resource: 'Issue', field: 'since', code: 'invalid' }] },
      };
    }
    const sort = q.get('sort') ?? 'created';
    const direction = q.get('direction') ?? 'desc';
    const perPage = Math.min(Number(q.get('per_page') ?? 30), 100);
    const page = Math.max(Number(q.get('page') ?? 1), 1);
    const field = sort === 'updated' ? 'updatedAt' : 'createdAt';
    const sorted = sortedOnce(`${request.url.pathname} ${state} ${field} ${direction}`, () =>
      all()
        .filter((i) => state === 'all' || i.state === state)
        .sort((a, b) => {
          const order = Date.parse(a[field]) - Date.parse(b[field]) || a.id - b.id;
          return direction === 'asc' ? order : -order;
        }),
    );
    // Where the list starts and how long it is, without copying it: a page is all that is sliced.
    const bySince = !since || (field === 'updatedAt' && direction === 'asc');
    const chosen = bySince ? sorted : sorted.filter((i) => Date.parse(i.updatedAt) >= Date.parse(since));
    const first = since && bySince ? firstAtOrAfter(sorted, Date.parse(since)) : 0;
    const last = Math.max(Math.ceil((chosen.length - first) / perPage), 1);
    const pageUrl = (n: number) => {
      const url = new URL(`${base}${request.url.pathname.slice(prefix.length)}`);
      for (const [k, v] of q) url.searchParams.set(k, v);
      url.searchParams.set('page', String(n));
      return url.href;
    };
    const links = [
      ...(page < last ? [`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(last)}>; rel="last"`] : []),
      ...(page > 1 ? [`<${pageUrl(1)}>; rel="first"`, `<${pageUrl(page - 1)}>; rel="prev"`] : []),
    ];
    return {
      status: 200,
      headers: { ...rateHeaders(), ...(links.length && { link: links.join(', ') }) },
      body: chosen.slice(first + (page - 1) * perPage, first + page * perPage).map(issueJson),
    };
  };

  const knownRepo = (name: string) => [...byRepo.keys()].find((r) => r.toLowerCase() === name.toLowerCase());
  const knownOrg = (org: string) =>
    [...byRepo.keys()].some((r) => r.split('/')[0]?.toLowerCase() === org.toLowerCase());
  /** Installation tokens minted for the app, which the API takes like a token. */
  const installationTokens = new Set<string>();
  const route = (request: FakeRequest): FakeAnswer => {
    remaining -= 1;
    if (!request.url.pathname.startsWith(prefix)) return notFound();
    const path = request.url.pathname.slice(prefix.length);
    const installation = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (installation && request.method === 'POST') {
      if (Number(installation[1]) !== options.app?.installationId) return notFound();
      const minted = `ghs_${randomBytes(18).toString('hex')}`;
      installationTokens.add(minted);
      return {
        status: 201,
        headers: rateHeaders(),
        body: {
          token: minted,
          expires_at: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          permissions: { issues: 'read', metadata: 'read' },
          repository_selection: 'all',
        },
      };
    }
    if (request.method !== 'GET') return notFound();
    if (path === '/user') {
      // An installation acts as the app, not as a user.
      if (installationTokens.has(bearerOf(request) ?? '')) {
        return { status: 403, headers: rateHeaders(), body: { message: 'Resource not accessible by integration' } };
      }
      return { status: 200, headers: rateHeaders(), body: userJson('sam-rivera') };
    }
    let match = /^\/orgs\/([^/]+)$/.exec(path);
    if (match) {
      const org = match[1] as string;
      return knownOrg(org)
        ? { status: 200, headers: rateHeaders(), body: { login: org, id: 1, type: 'Organization' } }
        : notFound();
    }
    match = /^\/orgs\/([^/]+)\/issues$/.exec(path);
    if (match) {
      // GitHub answers 404 for an organisation the token cannot see.
      if (!knownOrg(match[1] as string)) return notFound();
      const org = (match[1] as string).toLowerCase();
      const all = () =>
        [...byRepo.entries()]
          .filter(([repo]) => repo.split('/')[0]?.toLowerCase() === org)
          .flatMap(([, issues]) => [...issues.values()]);
      return listAnswer(request, all);
    }
    match = /^\/repos\/([^/]+\/[^/]+)$/.exec(path);
    if (match) {
      const repo = knownRepo(match[1] as string);
      return repo
        ? { status: 200, headers: rateHeaders(), body: { full_name: repo, name: repo.split('/')[1] } }
        : notFound();
    }
    match = /^\/repos\/([^/]+\/[^/]+)\/issues$/.exec(path);
    if (match) {
      const repo = knownRepo(match[1] as string);
      return repo ? listAnswer(request, () => [...repoIssues(repo).values()]) : notFound();
    }
    match = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)$/.exec(path);
    if (match) {
      const key = keyOf(match[1] as string, Number(match[2]));
      const to = moved.get(key);
      if (to) {
        return {
          status: 301,
          headers: { ...rateHeaders(), location: `${base}/repos/${to.repo}/issues/${to.number}` },
          body: { message: 'Moved Permanently', url: `${base}/repos/${to.repo}/issues/${to.number}` },
        };
      }
      if (deleted.has(key)) {
        return { status: 410, headers: rateHeaders(), body: { message: 'This issue was deleted', status: '410' } };
      }
      // Looked up without making the repository: an unknown one stays unknown (404 on its address too).
      const repo = knownRepo(match[1] as string);
      const issue = repo ? byRepo.get(repo)?.get(Number(match[2])) : undefined;
      return issue ? { status: 200, headers: rateHeaders(), body: issueJson(issue) } : notFound();
    }
    return notFound();
  };

  const host = await startFakeHost({
    port: options.port,
    authorized: (request) => {
      const bearer = bearerOf(request);
      if (/\/app\/installations\/\d+\/access_tokens$/.test(request.url.pathname)) {
        return options.app !== undefined && bearer !== null && appJwtValid(bearer, options.app);
      }
      return bearer === options.token || installationTokens.has(bearer ?? '');
    },
    unauthorized: () => ({
      status: 401,
      body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' },
    }),
    route,
  });
  base = `${host.url}${prefix}`;

  const find = (repo: string, number: number) => {
    const issue = repoIssues(repo).get(number);
    if (!issue) throw new Error(`no issue ${repo}#${number}`);
    return issue;
  };
  const touch = (issue: FakeIssue) => {
    version += 1;
    clock += 1000;
    issue.updatedAt = nowIso();
    return issue;
  };

  return {
    ...host,
    baseUrl: base,
    seed(repo, count) {
      version += 1;
      const issues = repoIssues(repo);
      const made: FakeIssue[] = [];
      const start = clock - count * 60_000;
      for (let i = 0; i < count; i++) {
        const number = issues.size + 1;
        const at = new Date(start + i * 60_000).toISOString().replace('.000Z', 'Z');
        const closed = i % 5 === 4;
        const issue: FakeIssue = {
          id: nextId,
          nodeId: `I_kwDO${(nextId++).toString(36)}`,
          repo,
          number,
          title: `${repo.split('/')[1]} issue ${number}`,
          state: closed ? 'closed' : 'open',
          stateReason: closed ? 'completed' : null,
          assignees: i % 3 === 0 ? [] : [PEOPLE[i % PEOPLE.length] as string],
          labels: i % 4 === 0 ? [] : [LABELS[i % LABELS.length] as string],
          milestone: i % 7 === 0 ? { number: 1, title: 'v1.0' } : null,
          parent: i % 10 === 9 && number > 1 ? { repo, number: number - 1 } : null,
          pullRequest: i % 11 === 10 ? { mergedAt: closed ? at : null } : null,
          createdAt: at,
          updatedAt: at,
          closedAt: closed ? at : null,
        };
        issues.set(number, issue);
        made.push(issue);
      }
      return made;
    },
    put(repo, given) {
      version += 1;
      const at = nowIso();
      const issue: FakeIssue = {
        id: nextId,
        nodeId: `I_kwDO${(nextId++).toString(36)}`,
        repo,
        state: 'open',
        stateReason: null,
        assignees: [],
        labels: [],
        milestone: null,
        parent: null,
        pullRequest: null,
        createdAt: at,
        updatedAt: at,
        closedAt: null,
        ...given,
      };
      repoIssues(repo).set(issue.number, issue);
      return issue;
    },
    issue: (repo, number) => repoIssues(repo).get(number),
    issues: () => [...byRepo.values()].flatMap((issues) => [...issues.values()]),
    edit(repo, number, change) {
      return touch(Object.assign(find(repo, number), change));
    },
    closeIssue(repo, number) {
      const issue = find(repo, number);
      touch(issue);
      return Object.assign(issue, { state: 'closed', stateReason: 'completed', closedAt: issue.updatedAt });
    },
    reassign(repo, number, logins) {
      return touch(Object.assign(find(repo, number), { assignees: logins }));
    },
    transfer(repo, number, toRepo) {
      const issue = find(repo, number);
      repoIssues(repo).delete(number);
      const target = repoIssues(toRepo);
      const moves = { repo: toRepo, number: target.size + 1 };
      moved.set(keyOf(repo, number), moves);
      Object.assign(issue, moves, { milestone: null, labels: [] });
      target.set(moves.number, issue);
      return touch(issue);
    },
    remove(repo, number) {
      version += 1;
      find(repo, number);
      repoIssues(repo).delete(number);
      deleted.add(keyOf(repo, number));
    },
    advance(ms) {
      clock += ms;
    },
    rateLimit(times, resetInSeconds) {
      host.inject({
        times,
        answer: () => ({
          status: 403,
          headers: {
            'x-ratelimit-limit': '5000',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-used': '5000',
            'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + resetInSeconds),
            'x-ratelimit-resource': 'core',
          },
          body: {
            message: 'API rate limit exceeded for user ID 10003.',
            documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
            status: '403',
          },
        }),
      });
    },
    secondaryRateLimit(times, retryAfterSeconds) {
      host.inject({
        times,
        answer: () => ({
          status: 403,
          headers: { 'retry-after': String(retryAfterSeconds), ...rateHeaders() },
          body: {
            message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
            documentation_url:
              'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
            status: '403',
          },
        }),
      });
    },
    serverError(times, status = 502) {
      host.inject({ times, answer: () => ({ status, body: { message: 'Server Error' } }) });
    },
  };
}
