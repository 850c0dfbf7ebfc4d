/**
 * The Jira connector through the real jira.js 6 client against the Jira stand-in: full and
 * incremental syncs on Cloud (token paging) and Data Center behind a context path (startAt paging),
 * no gap while issues change under a sync, rate limits and server errors waited out, a refused token
 * named without the token, gone and moved issues, and unreadable projects. No database.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseCursor } from '../../lib/hosts/apis/jira';
import type { SyncedTicket } from '../../lib/hosts/apis/types';
import { jiraConnector } from '../../server/connectors/jira';
import type { ConnectionAccess, RateLimitListener, SyncPage, SyncScope } from '../../server/connectors/types';
import { type FakeJira, type FakeJiraIssue, startFakeJira } from '../../testkit/fake-hosts/jira';

const TOKEN = 'ATATT3xFfGF0-jira-test-token-4c1b';
const EMAIL = 'sync-bot@acme.example';
const CLOUD_SITE = 'acme.atlassian.net';
const DC_SITE = 'jira.acme.com';
const PAY: SyncScope = { key: 'project:PAY', description: 'project PAY' };
const SITE: SyncScope = { key: 'site:', description: 'every project' };

async function withJira<T>(mode: 'cloud' | 'dc', run: (jira: FakeJira) => Promise<T>): Promise<T> {
  const jira =
    mode === 'cloud'
      ? await startFakeJira({ mode, email: EMAIL, token: TOKEN, site: CLOUD_SITE })
      : await startFakeJira({ mode, contextPath: '/jira', token: TOKEN, site: DC_SITE });
  try {
    return await run(jira);
  } finally {
    await jira.close();
  }
}

function accessTo(jira: FakeJira, change: Partial<ConnectionAccess> = {}): ConnectionAccess {
  const cloud = jira.mode === 'cloud';
  return {
    id: 'connection-1',
    host: 'jira',
    baseUrl: jira.baseUrl,
    site: cloud ? CLOUD_SITE : DC_SITE,
    email: cloud ? EMAIL : null,
    token: TOKEN,
    githubApp: null,
    ...change,
  };
}

const connectorOf = (jira: FakeJira, change?: Partial<ConnectionAccess>, onRateLimit?: RateLimitListener) =>
  jiraConnector(accessTo(jira, change), { onRateLimit });

async function pagesOf(iterable: AsyncIterable<SyncPage>, between?: (page: SyncPage) => void): Promise<SyncPage[]> {
  const pages: SyncPage[] = [];
  for await (const page of iterable) {
    pages.push(page);
    between?.(page);
  }
  return pages;
}

const ticketsOf = (pages: SyncPage[]) => pages.flatMap((page) => page.tickets);
const cursorOf = (pages: SyncPage[]) => pages[pages.length - 1]?.cursor ?? null;
const iso = (ms: number) => new Date(ms).toISOString();
const never = new AbortController().signal;

/** What the mapping must make of an issue, as the stand-in holds it. */
function expectTicket(ticket: SyncedTicket, issue: FakeJiraIssue, jira: FakeJira) {
  const cloud = jira.mode === 'cloud';
  const site = cloud ? CLOUD_SITE : DC_SITE;
  const browse = cloud ? `https://${CLOUD_SITE}` : `https://${DC_SITE}/jira`;
  const epic = issue.parentKey ? [{ ref: `jira:${site}/${issue.parentKey}`, title: null }] : [];
  expect(ticket).toEqual({
    ref: `jira:${site}/${issue.key}`,
    hostId: issue.id,
    url: `${browse}/browse/${issue.key}`,
    title: issue.summary,
    state: issue.status.name,
    stateCategory: { new: 'open', indeterminate: 'in_progress', done: 'done' }[issue.status.category],
    assignees: issue.assignee
      ? [{ id: issue.assignee.id, login: cloud ? null : issue.assignee.name, name: issue.assignee.displayName }]
      : [],
    estimate: issue.points,
    containers: {
      parent: cloud
        ? issue.parentKey
          ? [{ ref: `jira:${site}/${issue.parentKey}`, title: jira.issue(issue.parentKey)?.summary }]
          : []
        : [],
      labels: issue.labels.map((label) => ({
        ref: `jira:${site}/${issue.project}/label/${encodeURIComponent(label)}`,
        title: label,
      })),
      ...(cloud ? {} : { epic }),
    },
    createdAt: iso(issue.created),
    updatedAt: iso(issue.updated),
    closedAt: issue.resolved === null ? null : iso(issue.resolved),
  });
}

describe('a full sync', () => {
  it('on Cloud yields every issue of the project once, mapped whole, in pages of at most 100', async () => {
    await withJira('cloud', async (jira) => {
      jira.seed('PAY', 2600);
      jira.seed('OPS', 150);
      const pages = await pagesOf(connectorOf(jira).changes(PAY, null, never));
      const tickets = ticketsOf(pages);
      const pay = jira.issues().filter((issue) => issue.project === 'PAY');
      expect(tickets).toHaveLength(pay.length);
      expect(new Set(tickets.map((t) => t.hostId)).size).toBe(pay.length);
      const byId = new Map(pay.map((issue) => [issue.id, issue]));
      for (const ticket of tickets) expectTicket(ticket, byId.get(ticket.hostId) as FakeJiraIssue, jira);
      expect(pages.every((page) => page.tickets.length <= 100 && page.removed.length === 0)).toBe(true);
      expect(tickets.some((t) => t.assignees.length && t.estimate !== null && t.containers.parent?.length)).toBe(true);
      expect(tickets.some((t) => t.closedAt !== null)).toBe(true);
      // Oldest change first: a page's tickets never predate the page before's.
      const times = tickets.map((t) => Date.parse(t.updatedAt));
      expect(times.every((time, i) => i === 0 || time >= (times[i - 1] as number))).toBe(true);
      const latest = Math.max(...pay.map((issue) => issue.updated));
      expect(parseCursor(cursorOf(pages))).toBe(latest - 60_000);
      // Re-queried from each page's last minute, and paged by token only through bulk-edit minutes.
      expect(jira.searches.some((search) => search.paged)).toBe(true);
      expect(jira.searches.some((search) => !search.paged && search.jql.includes('updated >='))).toBe(true);
      expect(jira.log.every((entry) => entry.status === 200)).toBe(true);
      expect(jira.log.some((entry) => entry.path === '/rest/api/3/search/jql')).toBe(true);
    });
  });

  it('of a whole Cloud site takes in every project', async () => {
    await withJira('cloud', async (jira) => {
      jira.seed('PAY', 300);
      jira.seed('OPS', 200);
      const connector = connectorOf(jira);
      const [scope] = connector.scopes([
        { source: 'jira', host: CLOUD_SITE, kind: 'project', value: 'PAY' },
        { source: 'jira', host: CLOUD_SITE, kind: 'host', value: '' },
      ]);
      expect(scope).toEqual({ key: 'site:', description: `every project on ${CLOUD_SITE}` });
      const tickets = ticketsOf(await pagesOf(connector.changes(scope as SyncScope, null, never)));
      expect(new Set(tickets.map((t) => t.hostId))).toEqual(new Set(jira.issues().map((issue) => issue.id)));
      expect(tickets).toHaveLength(500);
    });
  });

  it('on Data Center behind a context path sends the PAT as a bearer and pages by startAt', async () => {
    await withJira('dc', async (jira) => {
      jira.seed('PAY', 2200);
      const pages = await pagesOf(connectorOf(jira).changes(PAY, null, never));
      const tickets = ticketsOf(pages);
      expect(tickets).toHaveLength(2200);
      const byId = new Map(jira.issues().map((issue) => [issue.id, issue]));
      for (const ticket of tickets) expectTicket(ticket, byId.get(ticket.hostId) as FakeJiraIssue, jira);
      expect(tickets.some((t) => t.containers.epic?.length && t.assignees[0]?.login)).toBe(true);
      expect(pages.every((page) => page.tickets.length <= 100)).toBe(true);
      expect(jira.searches.some((search) => search.paged && search.offset > 0)).toBe(true);
      expect(jira.log.every((entry) => entry.path.startsWith('/jira/rest/api/2/') && entry.status === 200)).toBe(true);
    });
  });
});

describe('an incremental sync', () => {
  it('picks up an edit, a close, a reassignment and a move, the moved issue under its new key', async () => {
    await withJira('cloud', async (jira) => {
      const [edited, closed, reassigned, moved] = jira.seed('PAY', 400).filter((i) => i.status.category !== 'done');
      jira.seed('OPS', 50);
      const connector = connectorOf(jira);
      const full = await pagesOf(connector.changes(SITE, null, never));
      const before = new Map(ticketsOf(full).map((t) => [t.hostId, t]));
      expect(before.size).toBe(450);

      jira.advance(10 * 60_000);
      jira.edit((edited as FakeJiraIssue).key, { summary: 'Refunds: settle in the merchant currency' });
      jira.advance(20_000);
      jira.closeIssue((closed as FakeJiraIssue).key);
      jira.advance(20_000);
      const newcomer = jira.accounts.find((a) => a.id !== reassigned?.assignee?.id);
      jira.reassign((reassigned as FakeJiraIssue).key, newcomer ?? null);
      jira.advance(20_000);
      const movedTo = jira.move((moved as FakeJiraIssue).key, 'OPS');

      const pages = await pagesOf(connector.changes(SITE, cursorOf(full), never));
      const tickets = ticketsOf(pages);
      // The cursor's minute of overlap re-reads the last changes of the full sync, unchanged.
      const changed = tickets.filter((t) => JSON.stringify(t) !== JSON.stringify(before.get(t.hostId)));
      expect(changed.map((t) => t.hostId).sort()).toEqual(
        [edited, closed, reassigned, moved].map((issue) => (issue as FakeJiraIssue).id).sort(),
      );
      const now = (hostId: string) => changed.find((t) => t.hostId === hostId) as SyncedTicket;
      expect(now((edited as FakeJiraIssue).id).title).toBe('Refunds: settle in the merchant currency');
      expect(now((closed as FakeJiraIssue).id)).toMatchObject({ stateCategory: 'done', state: 'Done' });
      expect(now((closed as FakeJiraIssue).id).closedAt).toBe(now((closed as FakeJiraIssue).id).updatedAt);
      expect(now((reassigned as FakeJiraIssue).id).assignees).toEqual(
        newcomer ? [{ id: newcomer.id, login: null, name: newcomer.displayName }] : [],
      );
      expect(now(movedTo.id).ref).toBe(`jira:${CLOUD_SITE}/${movedTo.key}`);
      expect(movedTo.key).toMatch(/^OPS-/);
      expect(parseCursor(cursorOf(pages))).toBe(jira.now() - 60_000);
    });
  });
});

describe('no gap while issues change under a sync', () => {
  /**
   * After each page, changes issues the sync has passed (which, inside a stretch paged by position,
   * shifts the rest back under the walk) and one it has not reached yet. By the end every issue is
   * yielded in its latest state, or the cursor is still before it.
   */
  async function syncWhileChanging(jira: FakeJira, changePassed: (passed: FakeJiraIssue[]) => void) {
    jira.seed('PAY', 1800);
    const latest = new Map<string, SyncedTicket>();
    let step = 0;
    const pages = await pagesOf(connectorOf(jira).changes(PAY, null, never), (page) => {
      for (const ticket of page.tickets) latest.set(ticket.hostId, ticket);
      const current = new Map(jira.issues().map((issue) => [issue.id, issue]));
      const passed = page.tickets.slice(0, 2).flatMap((t) => current.get(t.hostId) ?? []);
      const ahead = [...current.values()].filter((issue) => !latest.has(issue.id));
      jira.advance(7_000);
      changePassed(passed);
      const target = ahead[(step * 7919) % Math.max(ahead.length, 1)];
      jira.advance(7_000);
      if (target) jira.edit(target.key, { points: 21 });
      step += 1;
    });
    const from = parseCursor(cursorOf(pages)) as number;
    const missed = jira
      .issues()
      .filter((issue) => latest.get(issue.id)?.updatedAt !== iso(issue.updated) && issue.updated < from);
    expect(missed).toEqual([]);
    expect(step).toBeGreaterThan(15);
    expect(jira.searches.filter((search) => search.paged).length).toBeGreaterThan(5);
  }

  it('on Cloud, with issues it passed edited', async () => {
    await withJira('cloud', (jira) =>
      syncWhileChanging(jira, ([first]) => {
        if (first) jira.edit(first.key, { summary: `${first.summary} (edited)` });
      }),
    );
  });

  it('on Data Center, with issues it passed deleted', async () => {
    await withJira('dc', (jira) =>
      syncWhileChanging(jira, (passed) => {
        // Two at once outrun the one issue of overlap between DC's pages.
        for (const issue of passed) jira.remove(issue.key);
      }),
    );
  });
});

describe('rate limits and server errors', () => {
  it('waits out a 429 as long as Retry-After says, then completes the sync', async () => {
    await withJira('cloud', async (jira) => {
      jira.seed('PAY', 500);
      let searches = 0;
      jira.rateLimit(1, 1, (request) => request.url.pathname.endsWith('/search/jql') && ++searches === 2);
      const told: { waitMs: number; reason: string }[] = [];
      const tickets = ticketsOf(
        await pagesOf(connectorOf(jira, {}, (event) => told.push(event)).changes(PAY, null, never)),
      );
      expect(new Set(tickets.map((t) => t.hostId)).size).toBe(500);
      const limited = jira.log.findIndex((entry) => entry.status === 429);
      expect(limited).toBeGreaterThan(0);
      const retried = jira.log[limited + 1];
      expect(retried?.path).toBe('/rest/api/3/search/jql');
      expect((retried?.at ?? 0) - (jira.log[limited]?.at ?? 0)).toBeGreaterThanOrEqual(950);
      expect(told).toEqual([{ waitMs: 1000, reason: expect.stringContaining('429') }]);
    });
  });

  it('stops the sync on a Retry-After too long to sleep through, saying how long', async () => {
    await withJira('cloud', async (jira) => {
      jira.seed('PAY', 50);
      jira.rateLimit(1, 3600, (request) => request.url.pathname.endsWith('/search/jql'));
      const told: unknown[] = [];
      await expect(
        pagesOf(connectorOf(jira, {}, (event) => told.push(event)).changes(PAY, null, never)),
      ).rejects.toThrow(`Jira at ${CLOUD_SITE} asks to wait 3600 s (429)`);
      expect(told).toEqual([]);
    });
  });

  it('retries a 503 and completes the sync', async () => {
    await withJira('dc', async (jira) => {
      jira.seed('PAY', 250);
      jira.serverError(1, 503, (request) => request.url.pathname.endsWith('/search'));
      const tickets = ticketsOf(await pagesOf(connectorOf(jira).changes(PAY, null, never)));
      expect(tickets).toHaveLength(250);
      expect(jira.log.filter((entry) => entry.status === 503)).toHaveLength(1);
    });
  });
});

describe('credentials, gone issues and unreadable projects', () => {
  it('names a refused token in check and in the sync, never showing the token', async () => {
    await withJira('cloud', async (jira) => {
      jira.seed('PAY', 20);
      const wrong = 'ATATT3xFfGF0-not-the-right-token-99';
      const connector = connectorOf(jira, { token: wrong });
      expect(await connector.check([PAY])).toEqual({
        ok: false,
        account: null,
        problems: [`Jira at ${CLOUD_SITE} refused the token (401): check the e-mail and API token`],
      });
      const error = await pagesOf(connector.changes(PAY, null, never)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain(`Jira at ${CLOUD_SITE} refused the token`);
      expect(inspect(error, { depth: 10 })).not.toContain(wrong);
      expect(jira.log.every((entry) => entry.status === 401)).toBe(true);
    });
    await withJira('dc', async (jira) => {
      const problems = (await connectorOf(jira, { token: 'not-the-pat' }).check([])).problems;
      expect(problems).toEqual([`Jira at ${DC_SITE} refused the token (401): check the personal access token`]);
    });
  });

  it('names a connection jira.js refuses to make, without throwing from the factory', async () => {
    await withJira('cloud', async (jira) => {
      const result = await connectorOf(jira, { email: 'not an e-mail' }).check([PAY]);
      expect(result).toEqual({
        ok: false,
        account: null,
        problems: [`jira.js cannot use the connection to Jira at ${CLOUD_SITE}: check its e-mail`],
      });
      expect(jira.log).toEqual([]);
    });
  });

  it('fetches a removed issue as gone and a moved one under its new key', async () => {
    await withJira('cloud', async (jira) => {
      const [removed, moved, kept] = jira.seed('PAY', 30);
      const connector = connectorOf(jira);
      jira.remove((removed as FakeJiraIssue).key);
      const movedTo = jira.move((moved as FakeJiraIssue).key, 'OPS');
      const ref = (key: string) => ({ source: 'jira' as const, host: CLOUD_SITE, key });
      expect(await connector.fetch(ref((removed as FakeJiraIssue).key))).toEqual({ status: 'gone' });
      const found = await connector.fetch(ref((moved as FakeJiraIssue).key));
      expect(found).toMatchObject({
        status: 'found',
        ticket: { ref: `jira:${CLOUD_SITE}/${movedTo.key}`, hostId: movedTo.id },
      });
      const same = await connector.fetch(ref((kept as FakeJiraIssue).key));
      if (same.status !== 'found') throw new Error('kept issue not found');
      expectTicket(same.ticket, jira.issue((kept as FakeJiraIssue).key) as FakeJiraIssue, jira);
    });
  });

  it('names a project the token cannot read, in check and in the sync', async () => {
    await withJira('dc', async (jira) => {
      jira.seed('PAY', 10);
      const connector = connectorOf(jira);
      const hidden: SyncScope = { key: 'project:SECRET', description: 'project SECRET' };
      expect(await connector.check([PAY, hidden])).toEqual({
        ok: false,
        account: 'Throughline Sync',
        problems: ['the token cannot read project SECRET'],
      });
      await expect(pagesOf(connector.changes(hidden, null, never))).rejects.toThrow(
        'the token cannot read project SECRET',
      );
      expect(await connector.check([PAY])).toEqual({ ok: true, account: 'Throughline Sync', problems: [] });
    });
  });

  it('says when Jira cannot be reached', async () => {
    const gone = await startFakeJira({ mode: 'cloud', email: EMAIL, token: TOKEN });
    await gone.close();
    const result = await connectorOf(gone).check([PAY]);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.stringMatching(new RegExp(`^Jira at ${gone.baseUrl} cannot be reached: .+`)),
    ]);
  });
});

describe('stopping', () => {
  it('asks for no page after the signal aborts', async () => {
    await withJira('cloud', async (jira) => {
      jira.seed('PAY', 600);
      const stop = new AbortController();
      const pages = await pagesOf(connectorOf(jira).changes(PAY, null, stop.signal), () => stop.abort());
      expect(pages).toHaveLength(1);
      expect(jira.searches).toHaveLength(1);
    });
  });
});

describe('scopes', () => {
  it('takes this site’s Jira entries: projects, or the whole site when one entry asks for it', async () => {
    await withJira('cloud', async (jira) => {
      const connector = connectorOf(jira);
      expect(
        connector.scopes([
          { source: 'jira', host: CLOUD_SITE, kind: 'project', value: 'PAY' },
          { source: 'jira', host: CLOUD_SITE, kind: 'project', value: 'OPS' },
          { source: 'jira', host: 'other.atlassian.net', kind: 'host', value: '' },
          { source: 'github', host: 'github.com', kind: 'organization', value: 'acme' },
        ]),
      ).toEqual([
        { key: 'project:PAY', description: 'project PAY' },
        { key: 'project:OPS', description: 'project OPS' },
      ]);
    });
  });
});
