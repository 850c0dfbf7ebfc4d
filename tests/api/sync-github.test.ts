/**
 * Syncing GitHub through Octokit against a stand-in that answers like GitHub: the whole inventory
 * of the scope, then what changed (an edit, a close, a reassignment, a transfer), what is gone,
 * rate limits waited out, a revoked token reported in words, and a ticket known from a page keeps
 * its links once the connector records it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createConnection } from '../../server/connections';
import { githubConnector } from '../../server/connectors/github';
import { connections, syncCursors, workItems } from '../../server/db/schema';
import { declareScope } from '../../server/scope';
import { runSync, SyncBusy, type SyncDeps } from '../../server/sync';
import { type FakeGithub, startFakeGithub } from '../../testkit/fake-hosts/github';
import { enc, setupApi, TEST_SECRETS } from '../support/api';

const api = setupApi();
const TOKEN = 'github_pat_11SYNCTEST0000000000_abcdefghijklmnopqrstuvwxyz0123456789WXYZ';
let github: FakeGithub;

beforeAll(async () => {
  github = await startFakeGithub({ token: TOKEN });
});
afterAll(() => github.close());

const deps = (): SyncDeps => ({
  database: { db: api.db, pool: api.pool },
  secrets: TEST_SECRETS,
  connectors: {
    github: githubConnector,
    jira: () => {
      throw new Error('no Jira here');
    },
    asana: () => {
      throw new Error('no Asana here');
    },
  },
});

/** A workspace whose scope is the organisation, connected to the stand-in. */
async function connected(org: string, token = TOKEN) {
  const ws = await api.workspace();
  await declareScope(
    api.db,
    ws.id,
    { source: 'github', host: 'github.com', kind: 'organization', value: org },
    ws.adminId,
  );
  const connection = await createConnection(
    api.db,
    TEST_SECRETS,
    ws.id,
    { host: 'github', baseUrl: github.baseUrl, site: 'github.com', token },
    ws.adminId,
  );
  return { ws, connection };
}

const itemOf = async (workspaceId: string, ref: string) =>
  (
    await api.db
      .select()
      .from(workItems)
      .where(and(eq(workItems.workspaceId, workspaceId), eq(workItems.ref, ref)))
  )[0];

describe('GitHub sync', () => {
  test('a full sync records every issue of the organisation with its fields; the next changes only what changed', async () => {
    github.seed('acme-sync/api', 1_250);
    github.seed('acme-sync/web', 430);
    const { ws, connection } = await connected('acme-sync');

    const first = await runSync(deps(), { workspaceId: ws.id, connectionId: connection.id, mode: 'full' });
    expect(first).toMatchObject({
      status: 'succeeded',
      created: 1_680,
      updated: 0,
      failed: 0,
      removed: 0,
      error: null,
    });
    const stored = await api.db
      .select()
      .from(workItems)
      .where(and(eq(workItems.workspaceId, ws.id), eq(workItems.kind, 'ticket')));
    expect(stored).toHaveLength(1_680);
    expect(new Set(stored.map((s) => s.ref)).size).toBe(1_680);

    // Fields as GitHub has them: assignees with their account ids, state, closing time, containers.
    const fake = github.issue('acme-sync/api', 12) as NonNullable<ReturnType<FakeGithub['issue']>>;
    const item = await itemOf(ws.id, 'github:github.com/acme-sync/api#12');
    expect(item).toMatchObject({
      title: fake.title,
      state: fake.state,
      stateCategory: 'open',
      assignees: fake.assignees,
      hostId: fake.nodeId,
      url: 'https://github.com/acme-sync/api/issues/12',
    });
    expect(item?.assigneeIds).toHaveLength(fake.assignees.length);
    const closed = await itemOf(ws.id, 'github:github.com/acme-sync/api#5');
    expect(closed?.closedAt?.toISOString()).toBe(
      new Date(github.issue('acme-sync/api', 5)?.closedAt as string).toISOString(),
    );
    const context = await api.call('GET', `/v1/work-items/${enc('github:github.com/acme-sync/api#10')}/context`, {
      token: ws.adminToken,
    });
    expect(context.body.containers).toEqual(
      expect.arrayContaining([
        { ref: 'github:github.com/acme-sync/api#9', slot: 'parent', title: 'api issue 9' },
        {
          ref: 'github:github.com/acme-sync/api/label/good%20first%20issue',
          slot: 'labels',
          title: 'good first issue',
        },
      ]),
    );

    // Nothing changed: everything read again is unchanged.
    const again = await runSync(deps(), { workspaceId: ws.id, connectionId: connection.id, mode: 'incremental' });
    expect(again).toMatchObject({ status: 'succeeded', created: 0, updated: 0, failed: 0 });
    expect(again.unchanged).toBeLessThan(10);

    github.advance(60_000);
    github.edit('acme-sync/api', 20, { title: 'Refunds: retry failed payouts' });
    github.closeIssue('acme-sync/api', 21);
    github.reassign('acme-sync/web', 3, ['octocat']);
    const transferred = github.transfer('acme-sync/api', 22, 'acme-sync/web');
    const incremental = await runSync(deps(), { workspaceId: ws.id, connectionId: connection.id, mode: 'incremental' });
    expect(incremental).toMatchObject({ status: 'succeeded', created: 0, updated: 4, failed: 0 });
    expect((await itemOf(ws.id, 'github:github.com/acme-sync/api#20'))?.title).toBe('Refunds: retry failed payouts');
    expect(await itemOf(ws.id, 'github:github.com/acme-sync/api#21')).toMatchObject({
      state: 'closed',
      stateCategory: 'done',
    });
    expect((await itemOf(ws.id, 'github:github.com/acme-sync/web#3'))?.assignees).toEqual(['octocat']);
    // The transferred issue is the same row under its new reference: one ticket, not two.
    const moved = await itemOf(ws.id, `github:github.com/acme-sync/web#${transferred.number}`);
    expect(moved?.hostId).toBe(transferred.nodeId);
    expect(await itemOf(ws.id, 'github:github.com/acme-sync/api#22')).toBeUndefined();
    expect(await api.db.$count(workItems, and(eq(workItems.workspaceId, ws.id), eq(workItems.kind, 'ticket')))).toBe(
      1_680,
    );
  });

  test('a deleted issue is noticed by a full sync or by reading it again, and leaves the figures', async () => {
    github.seed('acme-gone/api', 30);
    const { ws, connection } = await connected('acme-gone');
    await runSync(deps(), { workspaceId: ws.id, connectionId: connection.id, mode: 'full' });
    github.remove('acme-gone/api', 4);
    github.remove('acme-gone/api', 5);

    const one = await runSync(deps(), {
      workspaceId: ws.id,
      connectionId: connection.id,
      mode: 'tickets',
      refs: ['github:github.com/acme-gone/api#4'],
    });
    expect(one).toMatchObject({ status: 'succeeded', removed: 1 });
    const full = await runSync(deps(), { workspaceId: ws.id, connectionId: connection.id, mode: 'full' });
    expect(full).toMatchObject({ status: 'succeeded', created: 0, removed: 1, failed: 0 });
    const gone = await api.db
      .select({ ref: workItems.ref })
      .from(workItems)
      .where(and(eq(workItems.workspaceId, ws.id), isNotNull(workItems.removedAt)));
    expect(gone.map((g) => g.ref).sort()).toEqual([
      'github:github.com/acme-gone/api#4',
      'github:github.com/acme-gone/api#5',
    ]);
  });

  test('a ticket known from a page keeps its link when the connector records it, and its fields become the host’s', async () => {
    github.seed('acme-page/api', 12);
    const { ws, connection } = await connected('acme-page');
    const ref = 'github:github.com/acme-page/api#3';
    const period = await api.call('POST', '/v1/periods', {
      token: ws.adminToken,
      body: { name: 'Q4', startsOn: '2026-10-01', endsOn: '2026-12-31' },
    });
    const objective = await api.call('POST', '/v1/objectives', {
      token: ws.adminToken,
      body: { title: 'Faster refunds', periodId: period.body.id },
    });
    await api.call('PUT', `/v1/work-items/${enc(ref)}`, {
      token: ws.adminToken,
      body: { title: 'As the page showed it', assignees: ['someone-else'] },
    });
    const link = await api.call('POST', '/v1/links', {
      token: ws.adminToken,
      body: { ref, objectiveId: objective.body.id },
    });
    expect(link.status).toBe(201);

    await runSync(deps(), { workspaceId: ws.id, connectionId: connection.id, mode: 'full' });
    const item = await itemOf(ws.id, ref);
    expect(item?.title).toBe(github.issue('acme-page/api', 3)?.title);
    expect(item?.assignees).toEqual(github.issue('acme-page/api', 3)?.assignees);
    const context = await api.call('GET', `/v1/work-items/${enc(ref)}/context`, { token: ws.adminToken });
    expect(context.body.links.map((l: { id: string }) => l.id)).toEqual([link.body.id]);
    // A page read afterwards no longer overrides what the host said.
    await api.call('PUT', `/v1/work-items/${enc(ref)}`, { token: ws.adminToken, body: { title: 'Stale page title' } });
    expect((await itemOf(ws.id, ref))?.title).toBe(github.issue('acme-page/api', 3)?.title);
  });

  test('rate limits are waited out as GitHub asks, and the sync completes', async () => {
    github.seed('acme-slow/api', 150);
    const { ws, connection } = await connected('acme-slow');
    github.secondaryRateLimit(1, 1);
    const before = github.log.length;
    const run = await runSync(deps(), { workspaceId: ws.id, connectionId: connection.id, mode: 'full' });
    expect(run).toMatchObject({ status: 'succeeded', created: 150 });
    const handled = github.log.slice(before);
    const limited = handled.findIndex((h) => h.status === 403);
    expect(limited).toBeGreaterThanOrEqual(0);
    expect((handled[limited + 1]?.at as number) - (handled[limited]?.at as number)).toBeGreaterThanOrEqual(950);
  });

  test('a revoked token fails the sync with the reason in words, never the token', async () => {
    github.seed('acme-revoked/api', 5);
    const { ws, connection } = await connected(
      'acme-revoked',
      'github_pat_11REVOKED000000000_zyxwvutsrqponmlkjihgfedcba9876543210',
    );
    const run = await runSync(deps(), { workspaceId: ws.id, connectionId: connection.id, mode: 'incremental' });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/Bad credentials|refused the token/);
    expect(run.error).not.toContain('REVOKED');
    expect(await api.db.$count(syncCursors, eq(syncCursors.connectionId, connection.id))).toBe(0);
  });

  test('one sync per connection at a time', async () => {
    github.seed('acme-busy/api', 300);
    const { ws, connection } = await connected('acme-busy');
    const request = { workspaceId: ws.id, connectionId: connection.id, mode: 'full' as const };
    const results = await Promise.allSettled([runSync(deps(), request), runSync(deps(), request)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(SyncBusy);
  });

  test('an Enterprise Server at https://HOST/api/v3: its tickets are referenced under its own host', async () => {
    const enterprise = await startFakeGithub({ token: TOKEN, pathPrefix: '/api/v3' });
    try {
      enterprise.seed('eng/platform', 40);
      const site = new URL(enterprise.url).host;
      const ws = await api.workspace();
      await declareScope(
        api.db,
        ws.id,
        { source: 'github', host: site, kind: 'repository', value: 'eng/platform' },
        ws.adminId,
      );
      const connection = await createConnection(
        api.db,
        TEST_SECRETS,
        ws.id,
        { host: 'github', baseUrl: `${enterprise.url}/api/v3/`, token: TOKEN },
        ws.adminId,
      );
      expect(connection.site).toBe(site);
      const run = await runSync(deps(), { workspaceId: ws.id, connectionId: connection.id, mode: 'full' });
      expect(run).toMatchObject({ status: 'succeeded', created: 40, failed: 0 });
      expect(await itemOf(ws.id, `github:${site}/eng/platform#7`)).toMatchObject({ title: 'platform issue 7' });
      expect(enterprise.log.every((h) => h.path.startsWith('/api/v3/'))).toBe(true);
    } finally {
      await enterprise.close();
    }
  });

  test('a GitHub App installation: the sync reads with tokens minted from the app’s key; a wrong key is named in words', async () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privateKey = key.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const publicKey = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const withApp = await startFakeGithub({ token: TOKEN, app: { id: 4242, installationId: 77, publicKey } });
    try {
      withApp.seed('acme-app/api', 25);
      const ws = await api.workspace();
      await declareScope(
        api.db,
        ws.id,
        { source: 'github', host: 'github.com', kind: 'organization', value: 'acme-app' },
        ws.adminId,
      );
      const made = await api.call('POST', '/v1/connections', {
        token: ws.adminToken,
        body: {
          host: 'github',
          baseUrl: withApp.baseUrl,
          site: 'github.com',
          githubApp: { appId: 4242, installationId: 77, privateKey },
        },
      });
      expect(made.status).toBe(201);
      expect(made.body.tokenHint).toBe('GitHub App 4242, installation 77');
      expect(JSON.stringify(made.body)).not.toContain('PRIVATE KEY');
      const check = await api.call('POST', `/v1/connections/${made.body.id}/check`, { token: ws.adminToken });
      expect(check.body).toEqual({ ok: true, account: null, problems: [] });
      const run = await runSync(deps(), { workspaceId: ws.id, connectionId: made.body.id, mode: 'full' });
      expect(run).toMatchObject({ status: 'succeeded', created: 25 });
      // One installation token for the check, one for the sync: each minted once, then used for every request.
      const minted = withApp.log.filter((h) => h.path === '/app/installations/77/access_tokens');
      expect(minted.map((h) => h.status)).toEqual([201, 201]);

      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
        type: 'pkcs1',
        format: 'pem',
      });
      const wrong = await api.call('POST', '/v1/connections', {
        token: ws.adminToken,
        body: {
          host: 'github',
          baseUrl: withApp.baseUrl,
          site: 'github.com',
          githubApp: { appId: 4242, installationId: 77, privateKey: other.toString() },
        },
      });
      const refused = await api.call('POST', `/v1/connections/${wrong.body.id}/check`, { token: ws.adminToken });
      expect(refused.body.problems).toEqual([
        "GitHub at github.com refused the app's credentials (401): check its id, installation and private key",
      ]);
      for (const [body, path] of [
        [{ host: 'github', baseUrl: withApp.baseUrl }, 'body.token'],
        [
          {
            host: 'github',
            baseUrl: withApp.baseUrl,
            token: TOKEN,
            githubApp: { appId: 1, installationId: 2, privateKey },
          },
          'body.token',
        ],
        [
          {
            host: 'asana',
            baseUrl: 'https://app.asana.com/api/1.0',
            githubApp: { appId: 1, installationId: 2, privateKey },
          },
          'body.githubApp',
        ],
        [
          {
            host: 'github',
            baseUrl: withApp.baseUrl,
            githubApp: { appId: 1, installationId: 2, privateKey: 'not a key' },
          },
          'body.githubApp.privateKey',
        ],
      ] as const) {
        const bad = await api.call('POST', '/v1/connections', { token: ws.adminToken, body });
        expect(bad.status).toBe(400);
        expect(bad.body.error.issues[0].path).toBe(path);
      }
    } finally {
      await withApp.close();
    }
  });

  test('a part of the scope the token cannot read fails alone: the others are synced, and nothing is taken for gone', async () => {
    github.seed('acme-part/api', 20);
    const { ws, connection } = await connected('acme-part');
    await declareScope(
      api.db,
      ws.id,
      { source: 'github', host: 'github.com', kind: 'repository', value: 'elsewhere/private' },
      ws.adminId,
    );
    // Known from a page, in the unreadable repository: a full sync must not mark it gone.
    await api.call('PUT', `/v1/work-items/${enc('github:github.com/elsewhere/private#1')}`, {
      token: ws.adminToken,
      body: { title: 'Seen on a page' },
    });
    const run = await runSync(deps(), { workspaceId: ws.id, connectionId: connection.id, mode: 'full' });
    expect(run).toMatchObject({ status: 'failed', created: 20, removed: 0 });
    expect(run.error).toBe('the token cannot read repository elsewhere/private');
    expect((await itemOf(ws.id, 'github:github.com/elsewhere/private#1'))?.removedAt).toBeNull();
  });

  test('a connection of another workspace cannot be synced from this one', async () => {
    const { ws } = await connected('acme-people');
    const other = await api.workspace('Other');
    const foreign = await createConnection(
      api.db,
      TEST_SECRETS,
      other.id,
      { host: 'github', baseUrl: github.baseUrl, token: TOKEN },
      other.adminId,
    );
    await expect(runSync(deps(), { workspaceId: ws.id, connectionId: foreign.id, mode: 'full' })).rejects.toThrow(
      /not found/i,
    );
    expect(await api.db.$count(connections, eq(connections.workspaceId, other.id))).toBe(1);
  });
});
