/**
 * The Asana connector through the official asana client against the Asana stand-in: a full crawl,
 * the event stream after it, an expired sync token, a crawl cut short, rate limits and server
 * errors, a refused token, and what check() says. No database: the connector's pages are read here.
 */
import { describe, expect, it } from 'vitest';
import { parseAsanaCursor } from '../../lib/hosts/apis/asana';
import type { SyncedTicket } from '../../lib/hosts/apis/types';
import { asanaConnector } from '../../server/connectors/asana';
import type { Connector, ConnectorFactory, SyncPage, SyncScope } from '../../server/connectors/types';
import {
  asanaRateLimit,
  asanaServerError,
  type FakeAsana,
  type FakeAsanaTask,
  startFakeAsana,
} from '../../testkit/fake-hosts/asana';

const TOKEN = '2/1207000000000101/1207000000000202:5f1e9c0d2b7a48e6a3c1d0f4b9e27c6a';
const SITE = 'app.asana.com';
const ref = (gid: string) => `asana:${SITE}/${gid}`;
const projectScope = (gid: string): SyncScope => ({ key: `project:${gid}`, description: `project ${gid}` });

type RateLimitEvent = Parameters<NonNullable<Parameters<ConnectorFactory>[1]['onRateLimit']>>[0];

function connect(fake: FakeAsana, token = TOKEN) {
  const rateLimits: RateLimitEvent[] = [];
  const connector = asanaConnector(
    {
      id: 'connection-1',
      host: 'asana',
      baseUrl: `${fake.url}/api/1.0`,
      site: SITE,
      email: null,
      token,
      githubApp: null,
    },
    { onRateLimit: (event) => rateLimits.push(event) },
  );
  return { connector, rateLimits };
}

/** The pages of one sync, all of them or the first `stopAfter`. */
async function sync(connector: Connector, scope: SyncScope, cursor: string | null, stopAfter = Infinity) {
  const pages: SyncPage[] = [];
  for await (const page of connector.changes(scope, cursor, new AbortController().signal)) {
    pages.push(page);
    if (pages.length >= stopAfter) break;
  }
  return pages;
}

const ticketsOf = (pages: readonly SyncPage[]) => pages.flatMap((page) => page.tickets);
const lastCursor = (pages: readonly SyncPage[]) => pages.at(-1)?.cursor as string;
const refsOf = (tickets: readonly SyncedTicket[]) => tickets.map((ticket) => ticket.ref).sort();
const refsUnder = (fake: FakeAsana, project: string) => fake.tasksUnder(project).map(ref).sort();

async function withAsana(run: (fake: FakeAsana) => Promise<void>) {
  const fake = await startFakeAsana({ token: TOKEN });
  try {
    await run(fake);
  } finally {
    await fake.close();
  }
}

/** What the stand-in holds of a task, as the connector should map it. */
function expectMatches(ticket: SyncedTicket, task: FakeAsanaTask, fake: FakeAsana) {
  const user = fake.users.find((u) => u.gid === task.assignee);
  expect(ticket.hostId).toBe(task.gid);
  expect(ticket.title).toBe(task.name);
  expect(ticket.assignees).toEqual(user ? [{ id: user.gid, login: null, name: user.name }] : []);
  expect(ticket.estimate).toBe(task.memberships.length > 0 ? task.points : null);
  expect(ticket.containers.parent).toEqual(
    task.parent ? [{ ref: ref(task.parent), title: fake.task(task.parent)?.name }] : [],
  );
  expect(ticket.containers.projects?.map((p) => p.ref)).toEqual(
    task.memberships.map((m) => `asana:${SITE}/project/${m.project}`),
  );
  expect(ticket.containers.section?.map((s) => s.ref)).toEqual(
    task.memberships.map((m) => `asana:${SITE}/section/${m.section}`),
  );
  expect(ticket.stateCategory).toBe(task.completed ? 'done' : 'open');
  expect(ticket.closedAt).toBe(task.completedAt === null ? null : new Date(task.completedAt).toISOString());
  expect(ticket.createdAt).toBe(new Date(task.createdAt).toISOString());
  expect(ticket.updatedAt).toBe(new Date(task.modifiedAt).toISOString());
}

/** Runs `body` with stdout and stderr watched: what anything wrote there meanwhile. */
async function printedDuring(body: () => Promise<void>): Promise<string> {
  const printed: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write);
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const consoles = methods.map((method) => console[method]);
  for (const stream of streams) {
    stream.write = ((chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    }) as typeof stream.write;
  }
  for (const method of methods) console[method] = (...args: unknown[]) => printed.push(args.join(' '));
  try {
    await body();
  } finally {
    streams.forEach((stream, i) => {
      stream.write = writes[i] as typeof stream.write;
    });
    methods.forEach((method, i) => {
      console[method] = consoles[i] as (typeof console)[typeof method];
    });
  }
  return printed.join('');
}

describe('Asana connector: crawl', () => {
  it('crawls a project of a few thousand tasks: every task and subtask once, with its fields', async () => {
    await withAsana(async (fake) => {
      const project = fake.addProject('Payments');
      fake.seed(project, 2500);
      const { connector } = connect(fake);
      let pages: SyncPage[] = [];
      const printed = await printedDuring(async () => {
        pages = await sync(connector, projectScope(project), null);
      });
      expect(printed).toBe('');

      const tickets = ticketsOf(pages);
      const expected = refsUnder(fake, project);
      expect(expected.length).toBeGreaterThan(2900);
      expect(refsOf(tickets)).toEqual(expected);
      for (const ticket of tickets) expectMatches(ticket, fake.task(ticket.hostId) as FakeAsanaTask, fake);
      expect(pages).toHaveLength(25);
      expect(pages.every((page) => page.removed.length === 0)).toBe(true);

      const subtask = tickets.find((t) => t.containers.parent?.length) as SyncedTicket;
      expect(subtask.containers).toMatchObject({ projects: [], section: [] });
      const withPoints = tickets.find((t) => t.estimate !== null) as SyncedTicket;
      expect(withPoints.containers.projects).toEqual([{ ref: `asana:${SITE}/project/${project}`, title: 'Payments' }]);
      expect(withPoints.containers.section?.[0]?.title).toMatch(/^(Backlog|Ready|In progress|Review|Done)$/);
      expect(withPoints.url).toMatch(new RegExp(`^https://app\\.asana\\.com/1/\\d+/project/${project}/task/\\d+$`));
      const approval = tickets.find((t) => fake.task(t.hostId)?.subtype === 'approval') as SyncedTicket;
      expect(approval.state).toMatch(/^(Pending approval|Approved)$/);

      // Mid-crawl cursors hold the next offset; the last holds only the sync token.
      expect(parseAsanaCursor(pages[0]?.cursor ?? null)?.projects[project]?.crawl?.offset).toEqual(expect.any(String));
      expect(parseAsanaCursor(lastCursor(pages))?.projects[project]).toEqual({ sync: expect.any(String) });
      // Asana's one 412 gave the sync token; nothing else failed.
      expect(fake.log.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.path}`)).toEqual([
        '412 /api/1.0/events',
      ]);
    });
  });

  it('a workspace scope crawls each unarchived project of the workspace, then follows each one', async () => {
    await withAsana(async (fake) => {
      const payments = fake.addProject('Payments');
      const platform = fake.addProject('Platform');
      const archived = fake.addProject('2025 launch', { archived: true });
      for (const project of [payments, platform, archived]) fake.seed(project, 120);
      const { connector } = connect(fake);
      const [scope] = connector.scopes([{ source: 'asana', host: SITE, kind: 'workspace', value: fake.workspace }]);
      expect(scope).toEqual({ key: `workspace:${fake.workspace}`, description: `workspace ${fake.workspace}` });

      const crawled = await sync(connector, scope as SyncScope, null);
      expect(refsOf(ticketsOf(crawled))).toEqual([...refsUnder(fake, payments), ...refsUnder(fake, platform)].sort());
      expect(Object.keys(parseAsanaCursor(lastCursor(crawled))?.projects ?? {}).sort()).toEqual([payments, platform]);

      const renamed = fake.tasksUnder(platform)[4] as string;
      fake.edit(renamed, { name: 'Rotate the signing keys' });
      const followed = await sync(connector, scope as SyncScope, lastCursor(crawled));
      expect(ticketsOf(followed).map((t) => [t.ref, t.title])).toEqual([[ref(renamed), 'Rotate the signing keys']]);
    });
  });
});

describe('Asana connector: events after the crawl', () => {
  it('an incremental sync picks up exactly an edit, a completion, a reassignment, a move and a deletion', async () => {
    await withAsana(async (fake) => {
      const payments = fake.addProject('Payments');
      const platform = fake.addProject('Platform');
      fake.seed(payments, 300);
      fake.seed(platform, 10);
      const { connector } = connect(fake);
      const scope = projectScope(payments);
      const crawled = await sync(connector, scope, null);

      const topLevel = fake.tasksUnder(payments).filter((gid) => !fake.task(gid)?.parent);
      const open = topLevel.filter((gid) => !fake.task(gid)?.completed && fake.task(gid)?.subtype === 'default_task');
      const [edited, completed, reassigned, moved, deleted] = open.filter((gid) =>
        fake.tasksUnder(payments).every((other) => fake.task(other)?.parent !== gid),
      ) as [string, string, string, string, string];
      const subtask = fake.tasksUnder(payments).find((gid) => fake.task(gid)?.parent) as string;
      const newAssignee = fake.users.find((u) => u.gid !== fake.task(reassigned)?.assignee) as { gid: string };
      fake.edit(edited, { name: 'Retry declined cards once after 24 h', points: 8 });
      fake.complete(completed);
      fake.reassign(reassigned, newAssignee.gid);
      fake.moveToProject(moved, platform);
      fake.remove(deleted);
      fake.edit(subtask, { name: 'Write the runbook entry' });
      fake.log.length = 0;

      const pages = await sync(connector, scope, lastCursor(crawled));
      const tickets = ticketsOf(pages);
      expect(refsOf(tickets)).toEqual([edited, completed, reassigned, moved, subtask].map(ref).sort());
      expect(pages.flatMap((page) => page.removed)).toEqual([ref(deleted)]);
      const byGid = new Map(tickets.map((t) => [t.hostId, t]));
      for (const ticket of tickets) expectMatches(ticket, fake.task(ticket.hostId) as FakeAsanaTask, fake);
      expect(byGid.get(edited)).toMatchObject({ title: 'Retry declined cards once after 24 h', estimate: 8 });
      expect(byGid.get(completed)).toMatchObject({ state: 'Completed', stateCategory: 'done' });
      expect(byGid.get(completed)?.closedAt).toEqual(expect.any(String));
      expect(byGid.get(reassigned)?.assignees.map((a) => a.id)).toEqual([newAssignee.gid]);
      // A task that left the project stays found: its memberships say where it is now.
      expect(byGid.get(moved)?.containers.projects).toEqual([
        { ref: `asana:${SITE}/project/${platform}`, title: 'Platform' },
      ]);
      expect(byGid.get(moved)?.containers.section?.[0]?.ref).toBe(
        `asana:${SITE}/section/${fake.sectionsOf(platform)[0]?.gid}`,
      );
      expect(byGid.get(subtask)?.title).toBe('Write the runbook entry');
      // Each changed task fetched once, however many events it had; no crawl.
      const taskReads = fake.log.filter((r) => /^\/api\/1\.0\/tasks\/\d+$/.test(r.path)).map((r) => r.path);
      expect(taskReads.sort()).toEqual(
        [edited, completed, reassigned, moved, subtask].map((g) => `/api/1.0/tasks/${g}`).sort(),
      );
      expect(fake.log.some((r) => r.path === '/api/1.0/tasks')).toBe(false);

      const quiet = await sync(connector, scope, lastCursor(pages));
      expect(quiet).toHaveLength(1);
      expect(quiet[0]).toMatchObject({ tickets: [], removed: [] });
      expect(quiet[0]?.cursor).not.toBe(lastCursor(pages));
    });
  });

  it('an expired sync token (412) leads to a full crawl that still yields every task', async () => {
    await withAsana(async (fake) => {
      const project = fake.addProject('Payments');
      fake.seed(project, 250);
      const { connector } = connect(fake);
      const scope = projectScope(project);
      const crawled = await sync(connector, scope, null);

      fake.advance(25 * 60 * 60 * 1000);
      const renamed = fake.tasksUnder(project)[10] as string;
      fake.edit(renamed, { name: 'Reconcile the September payouts' });
      const recrawled = await sync(connector, scope, lastCursor(crawled));
      const tickets = ticketsOf(recrawled);
      expect(refsOf(tickets)).toEqual(refsUnder(fake, project));
      expect(tickets.find((t) => t.hostId === renamed)?.title).toBe('Reconcile the September payouts');
      expect(fake.log.filter((r) => r.status === 412)).toHaveLength(2);

      const after = await sync(connector, scope, lastCursor(recrawled));
      expect(ticketsOf(after)).toEqual([]);
    });
  });
});

describe('Asana connector: a crawl cut short', () => {
  it('resumes from the offset of the last page it yielded, losing no task and reading none twice', async () => {
    await withAsana(async (fake) => {
      const project = fake.addProject('Payments');
      fake.seed(project, 800);
      const { connector } = connect(fake);
      const scope = projectScope(project);
      const first = await sync(connector, scope, null, 3);
      const rest = await sync(connector, scope, lastCursor(first));
      const firstRefs = refsOf(ticketsOf(first));
      const restRefs = refsOf(ticketsOf(rest));
      expect([...firstRefs, ...restRefs].sort()).toEqual(refsUnder(fake, project));
      expect(restRefs.filter((r) => firstRefs.includes(r))).toEqual([]);
      expect(rest).toHaveLength(5);
    });
  });

  it('starts the crawl again when Asana refuses the stored offset', async () => {
    await withAsana(async (fake) => {
      const project = fake.addProject('Payments');
      fake.seed(project, 500);
      const { connector } = connect(fake);
      const scope = projectScope(project);
      const first = await sync(connector, scope, null, 2);
      const syncBefore = parseAsanaCursor(lastCursor(first))?.projects[project]?.sync;
      fake.forgetOffsets();
      const again = await sync(connector, scope, lastCursor(first));
      expect(refsOf(ticketsOf(again))).toEqual(refsUnder(fake, project));
      expect(fake.log.some((r) => r.status === 400 && r.path === '/api/1.0/tasks')).toBe(true);
      const after = parseAsanaCursor(lastCursor(again))?.projects[project];
      expect(after).toEqual({ sync: expect.any(String) });
      expect(after?.sync).not.toBe(syncBefore);
    });
  });
});

describe('Asana connector: stopping', () => {
  it('stops between pages when the signal aborts, and during a rate-limit wait', async () => {
    await withAsana(async (fake) => {
      const project = fake.addProject('Payments');
      fake.seed(project, 400);
      const { connector } = connect(fake);
      const between = new AbortController();
      const pages: SyncPage[] = [];
      for await (const page of connector.changes(projectScope(project), null, between.signal)) {
        pages.push(page);
        between.abort();
      }
      expect(pages).toHaveLength(1);

      fake.inject({
        times: 1,
        matches: (request) => request.url.searchParams.has('offset'),
        answer: () => asanaRateLimit(30),
      });
      const waiting = new AbortController();
      const started = Date.now();
      const resumed: SyncPage[] = [];
      setTimeout(() => waiting.abort(), 200);
      for await (const page of connector.changes(projectScope(project), lastCursor(pages), waiting.signal)) {
        resumed.push(page);
      }
      expect(resumed).toEqual([]);
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });
});

describe('Asana connector: rate limits and server errors', () => {
  it('waits out a 429 for as long as its Retry-After says, and tells onRateLimit', async () => {
    await withAsana(async (fake) => {
      const project = fake.addProject('Payments');
      fake.seed(project, 250);
      const { connector, rateLimits } = connect(fake);
      fake.inject({
        times: 1,
        matches: (request) => request.url.pathname === '/api/1.0/tasks' && request.url.searchParams.has('offset'),
        answer: () => asanaRateLimit(1),
      });
      const pages = await sync(connector, projectScope(project), null);
      expect(refsOf(ticketsOf(pages))).toEqual(refsUnder(fake, project));
      expect(rateLimits).toEqual([{ waitMs: 1000, reason: expect.stringContaining('429') }]);
      const limited = fake.log.findIndex((r) => r.status === 429);
      const retried = fake.log.slice(limited + 1).find((r) => r.path === '/api/1.0/tasks');
      expect(retried?.status).toBe(200);
      expect((retried?.at ?? 0) - (fake.log[limited]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    });
  });

  it('tries a 503 again after a short backoff', async () => {
    await withAsana(async (fake) => {
      const project = fake.addProject('Payments');
      fake.seed(project, 150);
      const { connector, rateLimits } = connect(fake);
      fake.inject({
        times: 2,
        matches: (request) => request.url.pathname === '/api/1.0/tasks',
        answer: () => asanaServerError(503),
      });
      const pages = await sync(connector, projectScope(project), null);
      expect(refsOf(ticketsOf(pages))).toEqual(refsUnder(fake, project));
      expect(fake.log.filter((r) => r.path === '/api/1.0/tasks').map((r) => r.status)).toEqual([503, 503, 200, 200]);
      expect(rateLimits).toEqual([]);
    });
  });
});

describe('Asana connector: tokens, fetch and check', () => {
  it('a refused token: check says so, changes and fetch reject without the token in any message', async () => {
    await withAsana(async (fake) => {
      const project = fake.addProject('Payments');
      fake.seed(project, 5);
      const wrong = '2/1207000000000101/1207000000000202:ffffffffffffffffffffffffffffffff';
      const { connector } = connect(fake, wrong);
      expect(await connector.check([projectScope(project)])).toEqual({
        ok: false,
        account: null,
        problems: ['Asana refused the token (401)'],
      });
      const failures = await Promise.all([
        sync(connector, projectScope(project), null).catch((error: unknown) => error),
        connector.fetch({ source: 'asana', host: SITE, key: fake.tasksUnder(project)[0] as string }).catch((e) => e),
      ]);
      for (const failure of failures) {
        expect(failure).toBeInstanceOf(Error);
        expect((failure as Error).message).toContain('Asana refused the token');
        for (const shown of [
          (failure as Error).message,
          String(failure),
          JSON.stringify(failure),
          (failure as Error).stack,
        ]) {
          expect(shown).not.toContain(wrong.slice(-20));
        }
      }
    });
  });

  it('fetch finds a task as Asana has it now, and a deleted one gone', async () => {
    await withAsana(async (fake) => {
      const project = fake.addProject('Payments');
      const [kept, deleted] = fake.seed(project, 2) as [string, string];
      const { connector } = connect(fake);
      const found = await connector.fetch({ source: 'asana', host: SITE, key: kept });
      expect(found.status).toBe('found');
      if (found.status === 'found') expectMatches(found.ticket, fake.task(kept) as FakeAsanaTask, fake);
      fake.remove(deleted);
      expect(await connector.fetch({ source: 'asana', host: SITE, key: deleted })).toEqual({ status: 'gone' });
    });
  });

  it('check names the account, a project the token cannot read, and a host-wide entry Asana cannot list', async () => {
    await withAsana(async (fake) => {
      const project = fake.addProject('Payments');
      const { connector } = connect(fake);
      expect(
        await connector.check(connector.scopes([{ source: 'asana', host: SITE, kind: 'project', value: project }])),
      ).toEqual({ ok: true, account: 'Morgan Reyes', problems: [] });

      const unreadable = '1207999999999999';
      const scopes = connector.scopes([
        { source: 'asana', host: SITE, kind: 'host', value: '' },
        { source: 'asana', host: SITE, kind: 'project', value: project },
        { source: 'asana', host: SITE, kind: 'project', value: unreadable },
        { source: 'asana', host: 'asana.other.example', kind: 'project', value: '1' },
        { source: 'github', host: 'github.com', kind: 'organization', value: 'acme' },
      ]);
      expect(scopes.map((s) => s.key)).toEqual([`project:${project}`, `project:${unreadable}`]);
      expect(await connector.check(scopes)).toEqual({
        ok: false,
        account: 'Morgan Reyes',
        problems: [
          'Asana cannot list everything at app.asana.com: add a workspace or project to the scope',
          `the token cannot read project ${unreadable}`,
        ],
      });
    });
  });

  it('check says when Asana cannot be reached', async () => {
    const fake = await startFakeAsana({ token: TOKEN });
    await fake.close();
    const { connector } = connect(fake);
    expect(await connector.check([])).toEqual({
      ok: false,
      account: null,
      problems: [`Asana at ${fake.url}/api/1.0 cannot be reached: ECONNREFUSED`],
    });
  });
});
