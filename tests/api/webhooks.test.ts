/**
 * Webhooks from GitHub, Jira and Asana: a signed delivery queues a `tickets` sync of the tickets it
 * names; a forged, missing or foreign signature is refused and changes nothing; a replay queues
 * nothing again; Asana's handshake keeps its secret sealed, once. Then one delivery end to end: an
 * issue deleted on a GitHub stand-in, its webhook, the real queue and a real sync marking it removed.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { Webhooks } from '@octokit/webhooks';
import { and, eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createWorkspace } from '../../server/accounts';
import { createApp } from '../../server/app';
import { createConnection } from '../../server/connections';
import { githubConnector } from '../../server/connectors/github';
import type { ConnectorFactory } from '../../server/connectors/types';
import { type Database, openDatabase } from '../../server/db';
import { syncRuns, webhookDeliveries, webhookSecrets, workItems } from '../../server/db/schema';
import { declareScope } from '../../server/scope';
import { type SyncJob, SyncJobs } from '../../server/sync-jobs';
import { type FakeGithub, startFakeGithub } from '../../testkit/fake-hosts/github';
import { setupApi, TEST_SECRETS } from '../support/api';

const seen: SyncJob[] = [];
let queueDown = false;
// Stands for the queue's interface only: what a delivery asks of it is recorded, or refused while down.
const api = setupApi({
  syncJobs: {
    enqueue: async (job) => {
      if (queueDown) throw new Error('the queue is down');
      seen.push(job);
      return 'job-id';
    },
  },
});
const withoutQueue = setupApi();

const TOKEN = 'a-host-token-long-enough-to-hint';
const jobsOf = (connectionId: string) => seen.filter((job) => job.connectionId === connectionId);
const deliveriesOf = (connectionId: string) =>
  api.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.connectionId, connectionId));

async function connect(host: 'github' | 'jira' | 'asana') {
  const ws = await api.workspace();
  const input = {
    github: { host, baseUrl: 'https://api.github.com', token: TOKEN },
    jira: { host, baseUrl: 'https://acme.atlassian.net', email: 'ada@example.com', token: TOKEN },
    asana: { host, baseUrl: 'https://app.asana.com/api/1.0', token: TOKEN },
  }[host];
  const made = await createConnection(api.db, TEST_SECRETS, ws.id, input, ws.adminId);
  return { workspaceId: ws.id, id: made.id, secret: made.webhook.secret as string, path: made.webhook.path };
}

const githubHeaders = async (secret: string, body: string, event: string) => ({
  'x-github-event': event,
  'x-github-delivery': randomUUID(),
  'x-hub-signature-256': await new Webhooks({ secret }).sign(body),
});
const hmacHex = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');
const issueEvent = (action: string, repo: string, number: number) =>
  JSON.stringify({ action, issue: { number, title: 'Refunds' }, repository: { full_name: repo } });

describe('GitHub webhooks', () => {
  test('a signed issues delivery queues a tickets sync of its issue, with no bearer token', async () => {
    const github = await connect('github');
    const body = issueEvent('edited', 'acme/api', 7);
    const answer = await api.call('POST', `/hooks/${github.id}`, {
      rawBody: body,
      headers: await githubHeaders(github.secret, body, 'issues'),
    });
    expect(answer).toMatchObject({ status: 202, body: { queued: 1 } });
    expect(jobsOf(github.id)).toEqual([
      {
        workspaceId: github.workspaceId,
        connectionId: github.id,
        mode: 'tickets',
        refs: ['github:github.com/acme/api#7'],
      },
    ]);
    // Kept by its delivery id and by its body's digest, so a resend under a new id is a replay too.
    expect(await deliveriesOf(github.id)).toHaveLength(2);
    const resent = await api.call('POST', `/hooks/${github.id}`, {
      rawBody: body,
      headers: await githubHeaders(github.secret, body, 'issues'),
    });
    expect(resent).toMatchObject({ status: 200, body: { replay: true } });
    expect(jobsOf(github.id)).toHaveLength(1);
  });

  test('a forged or missing signature is refused, and nothing is queued or stored', async () => {
    const github = await connect('github');
    const body = issueEvent('deleted', 'acme/api', 7);
    const forged = await api.call('POST', `/hooks/${github.id}`, {
      rawBody: body,
      headers: await githubHeaders('not-the-secret', body, 'issues'),
    });
    expect(forged.status).toBe(401);
    expect(forged.body.error.message).toContain('does not match');
    const signedOtherBody = await api.call('POST', `/hooks/${github.id}`, {
      rawBody: issueEvent('deleted', 'acme/api', 8),
      headers: await githubHeaders(github.secret, body, 'issues'),
    });
    expect(signedOtherBody.status).toBe(401);
    const { 'x-hub-signature-256': _signature, ...unsigned } = await githubHeaders(github.secret, body, 'issues');
    const missing = await api.call('POST', `/hooks/${github.id}`, { rawBody: body, headers: unsigned });
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toContain('X-Hub-Signature-256 is missing');
    expect(jobsOf(github.id)).toEqual([]);
    expect(await deliveriesOf(github.id)).toEqual([]);
  });

  test('a replayed delivery is answered as taken and queues nothing again', async () => {
    const github = await connect('github');
    const body = issueEvent('closed', 'acme/api', 9);
    const headers = await githubHeaders(github.secret, body, 'issues');
    expect((await api.call('POST', `/hooks/${github.id}`, { rawBody: body, headers })).status).toBe(202);
    const replay = await api.call('POST', `/hooks/${github.id}`, { rawBody: body, headers });
    expect(replay).toMatchObject({ status: 200, body: { queued: 0, replay: true } });
    expect(jobsOf(github.id)).toHaveLength(1);
  });

  test('a delivery the queue refused is not marked taken: the host’s retry is queued', async () => {
    const github = await connect('github');
    const body = issueEvent('reopened', 'acme/api', 12);
    const headers = await githubHeaders(github.secret, body, 'issues');
    queueDown = true;
    try {
      expect((await api.call('POST', `/hooks/${github.id}`, { rawBody: body, headers })).status).toBe(500);
    } finally {
      queueDown = false;
    }
    expect(await deliveriesOf(github.id)).toEqual([]);
    expect(await api.call('POST', `/hooks/${github.id}`, { rawBody: body, headers })).toMatchObject({
      status: 202,
      body: { queued: 1 },
    });
    expect(jobsOf(github.id)).toHaveLength(1);
  });

  test("another workspace's connection does not take this one's secret", async () => {
    const ours = await connect('github');
    const theirs = await connect('github');
    const body = issueEvent('opened', 'acme/api', 10);
    const answer = await api.call('POST', `/hooks/${theirs.id}`, {
      rawBody: body,
      headers: await githubHeaders(ours.secret, body, 'issues'),
    });
    expect(answer.status).toBe(401);
    expect(jobsOf(theirs.id)).toEqual([]);
    expect(await deliveriesOf(theirs.id)).toEqual([]);
  });

  test('pull requests, sub-issues (both sides, across repositories), milestones and pings', async () => {
    const github = await connect('github');
    const send = async (event: string, payload: unknown) => {
      const body = JSON.stringify(payload);
      return api.call('POST', `/hooks/${github.id}`, {
        rawBody: body,
        headers: await githubHeaders(github.secret, body, event),
      });
    };
    expect(
      await send('pull_request', {
        action: 'closed',
        pull_request: { number: 4 },
        repository: { full_name: 'acme/web' },
      }),
    ).toMatchObject({ status: 202 });
    expect(
      await send('sub_issues', {
        action: 'sub_issue_added',
        parent_issue: { number: 1, repository_url: 'https://api.github.com/repos/acme/roadmap' },
        sub_issue: { number: 12, repository_url: 'https://api.github.com/repos/acme/api' },
      }),
    ).toMatchObject({ status: 202, body: { queued: 1 } });
    expect(
      await send('milestone', { action: 'edited', milestone: { number: 3 }, repository: { full_name: 'acme/api' } }),
    ).toMatchObject({ status: 202, body: { queued: 1 } });
    expect(await send('ping', { zen: 'Keep it logically awesome.', hook_id: 1 })).toMatchObject({
      status: 200,
      body: { queued: 0 },
    });
    expect(await send('push', { ref: 'refs/heads/main' })).toMatchObject({
      status: 202,
      body: { queued: 0, ignored: expect.stringContaining('push') },
    });
    expect(jobsOf(github.id).map(({ mode, refs }) => ({ mode, refs }))).toEqual([
      { mode: 'tickets', refs: ['github:github.com/acme/web#4'] },
      { mode: 'tickets', refs: ['github:github.com/acme/roadmap#1', 'github:github.com/acme/api#12'] },
      { mode: 'incremental', refs: undefined },
    ]);
  });

  test('bad JSON is a 400 that says so, an unknown hook a bare 404, a process without a queue a 503', async () => {
    const github = await connect('github');
    const bad = await api.call('POST', `/hooks/${github.id}`, {
      rawBody: '{"action":',
      headers: await githubHeaders(github.secret, '{"action":', 'issues'),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('The body is not JSON');
    const misshapen = await api.call('POST', `/hooks/${github.id}`, {
      rawBody: '{"action":"opened"}',
      headers: await githubHeaders(github.secret, '{"action":"opened"}', 'issues'),
    });
    expect(misshapen.status).toBe(400);
    expect(misshapen.body.error.message).toContain('body.repository');
    expect(await deliveriesOf(github.id)).toEqual([]);

    for (const path of [`/hooks/${randomUUID()}`, '/hooks/not-an-id', `/hooks/${github.id}/named`]) {
      const unknown = await api.call('POST', path, { rawBody: '{}', headers: { 'x-hub-signature-256': 'sha256=00' } });
      expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'not_found', message: 'Not found' } } });
    }

    const body = issueEvent('opened', 'acme/api', 11);
    const noQueue = await withoutQueue.call('POST', `/hooks/${github.id}`, {
      rawBody: body,
      headers: await githubHeaders(github.secret, body, 'issues'),
    });
    expect(noQueue.status).toBe(503);
    expect(noQueue.body.error.message).toContain('runs no syncs');
    expect(await deliveriesOf(github.id)).toEqual([]);
  });
});

describe('Jira webhooks', () => {
  const jiraHeaders = (secret: string, body: string) => ({
    'x-hub-signature': `sha256=${hmacHex(secret, body)}`,
    'x-atlassian-webhook-identifier': randomUUID(),
  });
  const issueUpdated = (key: string) =>
    JSON.stringify({ timestamp: 1_790_000_000_000, webhookEvent: 'jira:issue_updated', issue: { id: '10042', key } });

  test('a signed issue event queues its issue; other events are taken and ignored', async () => {
    const jira = await connect('jira');
    const body = issueUpdated('PAY-12');
    const answer = await api.call('POST', `/hooks/${jira.id}`, {
      rawBody: body,
      headers: jiraHeaders(jira.secret, body),
    });
    expect(answer).toMatchObject({ status: 202, body: { queued: 1 } });
    const sprint = JSON.stringify({ webhookEvent: 'sprint_started', sprint: { id: 3 } });
    const ignored = await api.call('POST', `/hooks/${jira.id}`, {
      rawBody: sprint,
      headers: jiraHeaders(jira.secret, sprint),
    });
    expect(ignored).toMatchObject({
      status: 202,
      body: { queued: 0, ignored: expect.stringContaining('sprint_started') },
    });
    expect(jobsOf(jira.id)).toEqual([
      {
        workspaceId: jira.workspaceId,
        connectionId: jira.id,
        mode: 'tickets',
        refs: ['jira:acme.atlassian.net/PAY-12'],
      },
    ]);
  });

  test('a forged signature, or another connection’s secret, is refused and changes nothing', async () => {
    const jira = await connect('jira');
    const other = await connect('jira');
    const body = issueUpdated('PAY-13');
    const refused: Record<string, string>[] = [
      jiraHeaders('not-the-secret', body),
      jiraHeaders(other.secret, body),
      { 'x-hub-signature': hmacHex(jira.secret, body) },
      { 'x-atlassian-webhook-identifier': randomUUID() },
    ];
    for (const headers of refused) {
      expect((await api.call('POST', `/hooks/${jira.id}`, { rawBody: body, headers })).status).toBe(401);
    }
    expect(jobsOf(jira.id)).toEqual([]);
    expect(await deliveriesOf(jira.id)).toEqual([]);
  });

  test('a replay of the same webhook identifier queues nothing again', async () => {
    const jira = await connect('jira');
    const body = issueUpdated('PAY-14');
    const headers = jiraHeaders(jira.secret, body);
    expect((await api.call('POST', `/hooks/${jira.id}`, { rawBody: body, headers })).status).toBe(202);
    const replay = await api.call('POST', `/hooks/${jira.id}`, { rawBody: body, headers });
    expect(replay).toMatchObject({ status: 200, body: { replay: true } });
    expect(jobsOf(jira.id)).toHaveLength(1);
  });
});

describe('Asana webhooks', () => {
  const HOOK_SECRET = 'c0ffee00c0ffee00c0ffee00c0ffee00';
  const taskEvents = (gids: string[]) =>
    JSON.stringify({
      events: gids.map((gid, i) => ({
        action: 'changed',
        created_at: `2026-10-0${(i % 9) + 1}T10:00:00.000Z`,
        resource: { gid, resource_type: 'task' },
      })),
    });

  test('the handshake keeps the secret sealed and echoes it; a second handshake cannot replace it', async () => {
    const asana = await connect('asana');
    const shake = await api.call('POST', `${asana.path}-project-1`, { headers: { 'x-hook-secret': HOOK_SECRET } });
    expect(shake.status).toBe(200);
    expect(shake.headers.get('x-hook-secret')).toBe(HOOK_SECRET);
    const [row] = await api.db
      .select()
      .from(webhookSecrets)
      .where(
        and(
          eq(webhookSecrets.connectionId, asana.id),
          eq(webhookSecrets.name, `${asana.path.split('/').at(-1)}-project-1`),
        ),
      );
    expect(row?.sealedSecret).toBeDefined();
    expect(row?.sealedSecret).not.toContain(HOOK_SECRET);
    expect(TEST_SECRETS.open(row?.sealedSecret as string)).toBe(HOOK_SECRET);

    // A name not below the connection's hook key, which only its admin was given, is nobody's.
    for (const planted of [
      `/hooks/${asana.id}/project-2`,
      `${asana.path}project-2`,
      `${asana.path.slice(0, -1)}${asana.path.endsWith('0') ? '1' : '0'}-x`,
    ]) {
      const refused = await api.call('POST', planted, { headers: { 'x-hook-secret': 'attacker' } });
      expect(refused.status).toBe(404);
    }
    expect(await api.db.$count(webhookSecrets, eq(webhookSecrets.connectionId, asana.id))).toBe(2);
    const again = await api.call('POST', `${asana.path}-project-1`, { headers: { 'x-hook-secret': 'attacker' } });
    expect(again.status).toBe(409);
    expect(again.headers.get('x-hook-secret')).toBeNull();
    const body = taskEvents(['1207000000000001']);
    const stillOurs = await api.call('POST', `${asana.path}-project-1`, {
      rawBody: body,
      headers: { 'x-hook-signature': hmacHex(HOOK_SECRET, body) },
    });
    expect(stillOurs.status).toBe(202);
  });

  test('a signed delivery queues its tasks once each; a forged one and a replay are refused', async () => {
    const asana = await connect('asana');
    await api.call('POST', `${asana.path}-tasks`, { headers: { 'x-hook-secret': HOOK_SECRET } });
    const body = JSON.stringify({
      events: [
        { action: 'changed', resource: { gid: '1207000000000001', resource_type: 'task' } },
        { action: 'added', resource: { gid: '1207000000000009', resource_type: 'story' } },
        { action: 'deleted', resource: { gid: '1207000000000002', resource_type: 'task' } },
        { action: 'changed', resource: { gid: '1207000000000001', resource_type: 'task' } },
      ],
    });
    const forged = await api.call('POST', `${asana.path}-tasks`, {
      rawBody: body,
      headers: { 'x-hook-signature': hmacHex('not-the-secret', body) },
    });
    expect(forged.status).toBe(401);
    expect(await deliveriesOf(asana.id)).toEqual([]);

    const headers = { 'x-hook-signature': hmacHex(HOOK_SECRET, body) };
    expect(await api.call('POST', `${asana.path}-tasks`, { rawBody: body, headers })).toMatchObject({
      status: 202,
      body: { queued: 1 },
    });
    const replay = await api.call('POST', `${asana.path}-tasks`, { rawBody: body, headers });
    expect(replay).toMatchObject({ status: 200, body: { replay: true } });
    expect(jobsOf(asana.id)).toEqual([
      {
        workspaceId: asana.workspaceId,
        connectionId: asana.id,
        mode: 'tickets',
        refs: ['asana:app.asana.com/1207000000000001', 'asana:app.asana.com/1207000000000002'],
      },
    ]);
  });

  test('a heartbeat is answered; a delivery of more than 500 tasks is split; an unshaken name is unknown', async () => {
    const asana = await connect('asana');
    await api.call('POST', `${asana.path}-big`, { headers: { 'x-hook-secret': HOOK_SECRET } });
    const heartbeat = '{"events":[]}';
    expect(
      await api.call('POST', `${asana.path}-big`, {
        rawBody: heartbeat,
        headers: { 'x-hook-signature': hmacHex(HOOK_SECRET, heartbeat) },
      }),
    ).toMatchObject({ status: 200, body: { queued: 0 } });

    const body = taskEvents(Array.from({ length: 501 }, (_, i) => String(1208000000000000 + i)));
    expect(
      await api.call('POST', `${asana.path}-big`, {
        rawBody: body,
        headers: { 'x-hook-signature': hmacHex(HOOK_SECRET, body) },
      }),
    ).toMatchObject({ status: 202, body: { queued: 2 } });
    expect(jobsOf(asana.id).map((job) => job.refs?.length)).toEqual([500, 1]);

    const unshaken = await api.call('POST', `${asana.path}-other`, {
      rawBody: body,
      headers: { 'x-hook-signature': hmacHex(HOOK_SECRET, body) },
    });
    expect(unshaken).toMatchObject({ status: 404, body: { error: { message: 'Not found' } } });
    expect((await api.call('POST', `/hooks/${asana.id}`, { rawBody: body })).status).toBe(404);
  });
});

describe('end to end, on the real queue', () => {
  const REPO = 'acme-hooks/api';
  const GITHUB_TOKEN = 'github_pat_11HOOKSTEST00000000000_abcdefghijklmnopqrstuvwxyz0123456789WXYZ';
  const unreachable: ConnectorFactory = () => {
    throw new Error('not in this test');
  };
  const connectors = { github: githubConnector, jira: unreachable, asana: unreachable };
  // A database of its own: another test file's queue worker on the shared one would take this
  // file's jobs, and could not open tokens sealed under this file's key.
  const name = `throughline_hooks_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });
  let database: Database;
  let jobs: SyncJobs;
  let github: FakeGithub;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create database ${name}`).catch((error: Error) => {
      throw new Error(
        `this test makes a database of its own, which the test database's user may not: ${error.message}`,
      );
    });
    const url = new URL(inject('databaseUrl'));
    url.pathname = `/${name}`;
    database = await openDatabase({ databaseUrl: url.toString(), dataDir: tmpdir(), poolSize: 4 });
    jobs = await SyncJobs.start(
      url.toString(),
      { database: { db: database.db, pool: database.pool }, secrets: TEST_SECRETS, connectors },
      { work: true, everyMinutes: 0, log: () => {} },
    );
    github = await startFakeGithub({ token: GITHUB_TOKEN });
  });
  afterAll(async () => {
    await jobs?.stop();
    await database?.close();
    await github?.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  test('an issue deleted on GitHub is marked removed once its signed issues.deleted webhook arrives', async () => {
    const { db } = database;
    github.seed(REPO, 5);
    const ws = await createWorkspace(db, { name: 'Hooks', slug: `hooks-${process.pid}-${Date.now()}` });
    await declareScope(
      db,
      ws.id,
      { source: 'github', host: 'github.com', kind: 'organization', value: 'acme-hooks' },
      null,
    );
    const connection = await createConnection(
      db,
      TEST_SECRETS,
      ws.id,
      { host: 'github', baseUrl: github.baseUrl, site: 'github.com', token: GITHUB_TOKEN },
      null,
    );
    const app = createApp({
      db,
      databaseKind: inject('databaseKind'),
      rateLimits: false,
      log: () => {},
      secrets: TEST_SECRETS,
      connectors,
      syncJobs: jobs,
    });
    const runs = () => db.select().from(syncRuns).where(eq(syncRuns.connectionId, connection.id));
    await jobs.enqueue({ workspaceId: ws.id, connectionId: connection.id, mode: 'full' });
    await until(runs, (all) => all.some((run) => run.status !== 'running'));
    expect((await runs()).map((run) => [run.mode, run.status, run.created])).toEqual([['full', 'succeeded', 5]]);
    const ticket = () =>
      db
        .select({ removedAt: workItems.removedAt })
        .from(workItems)
        .where(and(eq(workItems.workspaceId, ws.id), eq(workItems.ref, `github:github.com/${REPO}#3`)));
    expect(await ticket()).toEqual([{ removedAt: null }]);

    github.remove(REPO, 3);
    const body = issueEvent('deleted', REPO, 3);
    const answer = await app.request(`/hooks/${connection.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await githubHeaders(connection.webhook.secret as string, body, 'issues')),
      },
      body,
    });
    expect(answer.status).toBe(202);
    await until(ticket, ([row]) => row?.removedAt instanceof Date);
    const done = await until(runs, (all) => all.some((run) => run.mode === 'tickets' && run.status !== 'running'));
    expect(done.find((run) => run.mode === 'tickets')).toMatchObject({ status: 'succeeded', removed: 1 });
  });
});
