/**
 * GitHub's issues and pull requests, through Octokit as its users run it: REST with the throttling
 * plugin (primary and secondary rate limits waited out as GitHub asks) and the retry plugin (server
 * errors), on github.com or an Enterprise Server's `https://HOST/api/v3`.
 */
import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { RequestError } from '@octokit/request-error';
import { Octokit } from '@octokit/rest';
import { type GithubIssue, githubTicket } from '../../lib/hosts/apis/github';
import type { TicketRef } from '../../lib/shared/ref';
import type { ScopeTarget } from '../../lib/shared/scope';
import type { CheckResult, ConnectorFactory, FetchedTicket, SyncPage, SyncScope } from './types';

const ThrottledOctokit = Octokit.plugin(throttling, retry);
const PAGE_SIZE = 100;
/** How many times one request waits out a rate limit before the sync gives up (and is retried later). */
const RATE_LIMIT_RETRIES = 4;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const scopeOf = (entry: ScopeTarget): SyncScope | null => {
  if (entry.kind === 'organization') return { key: `org:${entry.value}`, description: `organisation ${entry.value}` };
  if (entry.kind === 'repository') return { key: `repo:${entry.value}`, description: `repository ${entry.value}` };
  return null;
};

/** What a failed request means for a person: never the token, always what to do. */
function problemOf(error: unknown, site: string, what: string, credential: 'token' | 'app' = 'token'): string {
  if (error instanceof RequestError) {
    if (error.status === 401) {
      return credential === 'app'
        ? `GitHub at ${site} refused the app's credentials (401): check its id, installation and private key`
        : `GitHub at ${site} refused the token (401): it may be revoked or expired`;
    }
    if (error.status === 404 || error.status === 403) return `the token cannot read ${what}`;
    return `GitHub at ${site} answered ${error.status} for ${what}`;
  }
  return `GitHub at ${site} cannot be reached: ${error instanceof Error ? error.message : String(error)}`;
}

export const githubConnector: ConnectorFactory = (access, options) => {
  const octokit = new ThrottledOctokit({
    // A GitHub App's installation: @octokit/auth-app mints an installation token from the app's
    // key, and a new one before the hour is up.
    ...(access.githubApp ? { authStrategy: createAppAuth, auth: { ...access.githubApp } } : { auth: access.token }),
    baseUrl: access.baseUrl,
    userAgent: 'throughline-connector',
    log: quiet,
    throttle: {
      onRateLimit: (retryAfter, request, _octokit, retryCount) => {
        options.onRateLimit?.({ waitMs: retryAfter * 1000, reason: `rate limit on ${request.url}` });
        return retryCount < RATE_LIMIT_RETRIES;
      },
      onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
        options.onRateLimit?.({ waitMs: retryAfter * 1000, reason: `secondary rate limit on ${request.url}` });
        return retryCount < RATE_LIMIT_RETRIES;
      },
    },
  });
  const site = access.site;
  const credentialKind = access.githubApp ? 'app' : 'token';

  /** One page of a scope's issues updated since `since` (inclusive, to the second), oldest first. */
  const listPage = async (scope: SyncScope, since: string | undefined, page: number) => {
    const common = {
      state: 'all' as const,
      sort: 'updated' as const,
      direction: 'asc' as const,
      per_page: PAGE_SIZE,
      page,
      ...(since && { since }),
    };
    const [kind, name] = [scope.key.slice(0, scope.key.indexOf(':')), scope.key.slice(scope.key.indexOf(':') + 1)];
    if (kind === 'org') {
      const { data } = await octokit.rest.issues.listForOrg({ org: name, filter: 'all', ...common });
      return data as unknown as GithubIssue[];
    }
    const [owner, repo] = name.split('/') as [string, string];
    const { data } = await octokit.rest.issues.listForRepo({ owner, repo, ...common });
    return data as unknown as GithubIssue[];
  };

  return {
    scopes(entries) {
      const ours = entries.filter((e) => e.source === 'github' && e.host === site);
      const orgs = new Set(ours.filter((e) => e.kind === 'organization').map((e) => e.value.toLowerCase()));
      return ours.flatMap((entry) => {
        // A repository of an organisation in the scope comes with the organisation.
        if (entry.kind === 'repository' && orgs.has(entry.value.split('/')[0]?.toLowerCase() ?? '')) return [];
        const scope = scopeOf(entry);
        return scope ? [scope] : [];
      });
    },

    /**
     * Keyset paging on `since`: each request starts from the newest update already read, so an
     * issue edited while the sync pages (which moves it to the end of the order) never shifts an
     * unread one onto a page already read. Only when a whole page shares one second does it turn
     * the page number, to get past that second. Issues read again at the boundary are dropped.
     */
    async *changes(scope, cursor, signal): AsyncIterable<SyncPage> {
      let since = cursor ?? undefined;
      let page = 1;
      const readAtSince = new Set<string>();
      while (!signal.aborted) {
        const issues = await listPage(scope, since, page).catch((error: unknown) => {
          throw new Error(problemOf(error, site, scope.description, credentialKind));
        });
        if (issues.length === 0) return;
        const fresh = issues.filter((issue) => !(issue.updated_at === since && readAtSince.has(issue.node_id)));
        const newest = issues.at(-1)?.updated_at as string;
        if (newest === since) page += 1;
        else {
          readAtSince.clear();
          since = newest;
          page = 1;
        }
        for (const issue of issues) if (issue.updated_at === since) readAtSince.add(issue.node_id);
        // The next sync starts a second before the newest update read: GitHub compares to the second.
        const next = new Date(new Date(newest).getTime() - 1000).toISOString().replace('.000Z', 'Z');
        yield { tickets: fresh.map((issue) => githubTicket(issue, site)), removed: [], cursor: next };
        if (issues.length < PAGE_SIZE) return;
      }
    },

    async fetch(ref: TicketRef): Promise<FetchedTicket> {
      const match = /^([^/]+)\/([^#]+)#(\d+)$/.exec(ref.key);
      if (!match) return { status: 'gone' };
      const [, owner, repo, number] = match as unknown as [string, string, string, string];
      try {
        // A transferred issue answers 301 to its new place, which fetch follows: found under its new reference.
        const { data } = await octokit.rest.issues.get({ owner, repo, issue_number: Number(number) });
        return { status: 'found', ticket: githubTicket(data as unknown as GithubIssue, site) };
      } catch (error) {
        if (!(error instanceof RequestError) || ![404, 410].includes(error.status)) throw error;
        if (error.status === 410) return { status: 'gone' };
        // 404 is also what a token that cannot read the repository gets: gone only if the repository is readable.
        await octokit.rest.repos.get({ owner, repo });
        return { status: 'gone' };
      }
    },

    async check(scopes): Promise<CheckResult> {
      let account: string | null = null;
      try {
        account = (await octokit.rest.users.getAuthenticated()).data.login;
      } catch (error) {
        // An App installation token has no user; its scopes below still say what it reads.
        if (!(error instanceof RequestError) || error.status !== 403) {
          return {
            ok: false,
            account: null,
            problems: [problemOf(error, site, 'the signed-in account', credentialKind)],
          };
        }
      }
      const problems: string[] = [];
      for (const scope of scopes) {
        const name = scope.key.slice(scope.key.indexOf(':') + 1);
        try {
          if (scope.key.startsWith('org:')) await octokit.rest.orgs.get({ org: name });
          else {
            const [owner, repo] = name.split('/') as [string, string];
            await octokit.rest.issues.listForRepo({ owner, repo, per_page: 1 });
          }
        } catch (error) {
          problems.push(problemOf(error, site, scope.description, credentialKind));
        }
      }
      return { ok: problems.length === 0, account, problems };
    },
  };
};
