/**
 * Syncs as people start them: through the API (checked, queued on graphile-worker, run by a worker, listed)
 * and through the CLI (connect, connections, sync --wait printing what it did), and a sync killed
 * mid-way (kill -9) that the next one resumes with no gap and no duplicate.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createConnection } from '../../server/connections';
import { githubConnector } from '../../server/connectors/github';
import type { ConnectorFactory } from '../../server/connectors/types';
import { syncCursors, syncRuns, workItems } from '../../server/db/schema';
import { declareScope } from '../../server/scope';
import { SecretBox } from '../../server/secrets';
import { SyncJobs } from '../../server/sync-jobs';
import { type FakeGithub, startFakeGithub } from '../../testkit/fake-hosts/github';
import { setupApi, TEST_SECRETS } from '../support/api';

const run = promisify(execFile);
const TOKEN = 'github_pat_11JOBSTEST00000000000_abcdefghijklmnopqrstuvwxyz0123456789QRST';
const unreachable: ConnectorFactory = () => {
  throw new Error('not in this test');
};
const connectors = { github: githubConnector, jira: unreachable, asana: unreachable };
let github: FakeGithub;
let jobs: SyncJobs;
const children: ChildProcess[] = [];
const api = setupApi({ connectors, syncJobs: { enqueue: (job) => jobs.enqueue(job) } });

beforeAll(async () => {
  github = await startFakeGithub({ token: TOKEN });
  jobs = await SyncJobs.start(
    inject('databaseUrl'),
    { database: { db: api.db, pool: api.pool }, secrets: TEST_SECRETS, connectors },
    { work: true, everyMinutes: 0, log: () => {} },
  );
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await jobs.stop();
  await github.close();
});

async function connectedWorkspace(org: string) {
  const ws = await api.workspace();
  await declareScope(
    api.db,
    ws.id,
    { source: 'github', host: 'github.com', kind: 'organization', value: org },
    ws.adminId,
  );
  return ws;
}

const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

describe('syncs through the API', () => {
  test('an admin checks a connection, queues a sync that a worker runs, and sees how it went', async () => {
    github.seed('acme-jobs/api', 240);
    const ws = await connectedWorkspace('acme-jobs');
    const made = await api.call('POST', '/v1/connections', {
      token: ws.adminToken,
      body: { host: 'github', baseUrl: github.baseUrl, site: 'github.com', token: TOKEN },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      site: 'github.com',
      lastSync: null,
      webhook: { path: `/hooks/${made.body.id}` },
    });
    expect(made.body.webhook.secret).toMatch(/^[0-9a-f]{64}$/);
    const id = made.body.id;

    const check = await api.call('POST', `/v1/connections/${id}/check`, { token: ws.adminToken });
    expect(check.body).toEqual({ ok: true, account: 'sam-rivera', problems: [] });

    expect((await api.call('POST', `/v1/connections/${id}/syncs`, { token: ws.memberToken, body: {} })).status).toBe(
      403,
    );
    const queued = await api.call('POST', `/v1/connections/${id}/syncs`, {
      token: ws.adminToken,
      body: { mode: 'full' },
    });
    expect(queued.status).toBe(202);
    expect(queued.body.queued).toBe(true);
    const listed = await until(
      () => api.call('GET', '/v1/connections', { token: ws.adminToken }),
      (r) => r.body.connections[0]?.lastSync?.status === 'succeeded',
    );
    expect(listed.body.connections[0].lastSync).toMatchObject({ mode: 'full', created: 240, failed: 0, error: null });
    const runs = await api.call('GET', `/v1/connections/${id}/syncs`, { token: ws.adminToken });
    expect(runs.body.runs).toHaveLength(1);
    expect(JSON.stringify([made.body, check.body, listed.body, runs.body])).not.toContain(TOKEN.slice(12, 40));
  });

  test('a check names what the token cannot read, in words', async () => {
    const ws = await connectedWorkspace('acme-nowhere');
    const made = await api.call('POST', '/v1/connections', {
      token: ws.adminToken,
      body: { host: 'github', baseUrl: github.baseUrl, site: 'github.com', token: TOKEN },
    });
    const check = await api.call('POST', `/v1/connections/${made.body.id}/check`, { token: ws.adminToken });
    expect(check.body).toEqual({
      ok: false,
      account: 'sam-rivera',
      problems: ['the token cannot read organisation acme-nowhere'],
    });
    const revoked = await api.call('POST', '/v1/connections', {
      token: ws.adminToken,
      body: {
        host: 'github',
        baseUrl: github.baseUrl,
        site: 'github.com',
        token: 'github_pat_11REVOKEDREVOKEDREVOKED_00000000000000000000',
      },
    });
    const refused = await api.call('POST', `/v1/connections/${revoked.body.id}/check`, { token: ws.adminToken });
    expect(refused.body.ok).toBe(false);
    expect(refused.body.problems).toEqual([
      `GitHub at github.com refused the token (401): it may be revoked or expired`,
    ]);
  });
});

describe('syncs through the CLI', () => {
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
      env: { ...process.env, DATABASE_URL: inject('databaseUrl'), THROUGHLINE_SECRET_KEY: TEST_KEY },
    });
  const TEST_KEY = Buffer.alloc(32, 7).toString('base64');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'throughline-sync-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('connect, list, sync --wait: what it did is printed, and a failed sync exits non-zero', async () => {
    github.seed('acme-cli/api', 130);
    const ws = await connectedWorkspace('acme-cli');
    const connected = await cli([
      'connect',
      'github',
      '--workspace',
      ws.id,
      '--base-url',
      github.baseUrl,
      '--site',
      'github.com',
      '--token',
      TOKEN,
      '--data',
      dataDir,
    ]);
    expect(connected.stdout).toMatch(
      /^Connected github at http:\/\/127\.0\.0\.1:\d+ for tickets on github\.com \(token …QRST\): connection [0-9a-f-]{36}\n/,
    );
    expect(connected.stdout).toMatch(
      /Webhooks: send them to <API address>\/hooks\/[0-9a-f-]{36}, signed with this secret \(shown once\): [0-9a-f]{64}/,
    );

    const synced = await cli(['sync', '--workspace', ws.id, '--wait', '--data', dataDir]);
    expect(synced.stdout).toMatch(
      /Syncing github github\.com \(connection [0-9a-f-]{36}\), incremental…\n {2}incremental sync succeeded \S+ in \d+\.\d s: 130 created, 0 updated, 0 unchanged, 0 removed, 0 failed\n/,
    );
    const listed = await cli(['connections', '--workspace', ws.id, '--data', dataDir]);
    expect(listed.stdout).toContain('last incremental sync succeeded');
    expect(`${connected.stdout}${synced.stdout}${listed.stdout}${connected.stderr}${synced.stderr}`).not.toContain(
      TOKEN.slice(12, 40),
    );

    await cli([
      'connect',
      'github',
      '--workspace',
      ws.id,
      '--base-url',
      github.baseUrl,
      '--site',
      'github.com',
      '--token',
      'github_pat_11WRONGWRONGWRONG_0000000000000000000000000',
      '--data',
      dataDir,
    ]);
    const failed = await cli(['sync', '--workspace', ws.id, '--wait', '--data', dataDir]).catch((error) => error);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('incremental sync failed');
    expect(failed.stdout).toContain('refused the token');
  });

  test('bad input names the option and changes nothing', async () => {
    const ws = await connectedWorkspace('acme-cli-bad');
    const bad = await cli([
      'connect',
      'github',
      '--workspace',
      ws.id,
      '--base-url',
      github.baseUrl,
      '--site',
      'not a host',
      '--token',
      TOKEN,
      '--data',
      dataDir,
    ]).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--site: must be a host name');
    const base = ['connect', 'github', '--workspace', ws.id, '--base-url', github.baseUrl, '--data', dataDir];
    const noKey = await cli([
      ...base,
      '--app-id',
      '5',
      '--installation-id',
      '7',
      '--private-key-file',
      path.join(dataDir, 'none.pem'),
    ]).catch((e) => e);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain(`--private-key-file: cannot read ${path.join(dataDir, 'none.pem')} (ENOENT)`);
    const notAKey = path.join(dataDir, 'not-a-key.pem');
    writeFileSync(notAKey, 'hello');
    const badKey = await cli([...base, '--app-id', '5', '--installation-id', '7', '--private-key-file', notAKey]).catch(
      (e) => e,
    );
    expect(badKey.stderr).toContain('--private-key-file: must be the app’s PEM private key');
    const both = await cli([
      ...base,
      '--token',
      TOKEN,
      '--app-id',
      '5',
      '--installation-id',
      '7',
      '--private-key-file',
      notAKey,
    ]).catch((e) => e);
    expect(both.stderr).toContain('--private-key-file: must be the app’s PEM private key');
    const neither = await cli(base).catch((e) => e);
    expect(neither.stderr).toContain('--token: is required (or, for GitHub, githubApp)');

    const none = await cli(['sync', '--workspace', ws.id, '--wait', '--data', dataDir]).catch((e) => e);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no connection yet');
  });
});

describe('a sync killed mid-way', () => {
  test('resumes after its last stored page: every issue once, none skipped', async () => {
    github.seed('acme-crash/api', 900);
    const ws = await connectedWorkspace('acme-crash');
    const key = Buffer.alloc(32, 9).toString('base64');
    const connection = await createConnection(
      api.db,
      new SecretBox([Buffer.from(key, 'base64')]),
      ws.id,
      { host: 'github', baseUrl: github.baseUrl, site: 'github.com', token: TOKEN },
      ws.adminId,
    );
    // Four pages pass; the fifth request waits: the process is killed with pages stored and one in flight.
    const gate = github.holdAfter(4);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/cli.ts', 'sync', '--workspace', ws.id, '--wait'],
      {
        env: { ...process.env, DATABASE_URL: inject('databaseUrl'), THROUGHLINE_SECRET_KEY: key },
        stdio: 'ignore',
      },
    );
    children.push(child);
    await until(
      async () => gate.held(),
      (held) => held > 0,
    );
    const stored = await until(
      async () => (await api.db.select().from(syncCursors).where(eq(syncCursors.connectionId, connection.id)))[0],
      (cursor) => cursor !== undefined,
    );
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    gate.release();
    const before = await api.db.$count(workItems, and(eq(workItems.workspaceId, ws.id), eq(workItems.kind, 'ticket')));
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(900);
    expect(stored?.cursor).toMatch(/^\d{4}-/);

    const resumed = await run(
      process.execPath,
      ['--import', 'tsx', 'server/cli.ts', 'sync', '--workspace', ws.id, '--wait'],
      {
        env: { ...process.env, DATABASE_URL: inject('databaseUrl'), THROUGHLINE_SECRET_KEY: key },
      },
    );
    expect(resumed.stdout).toContain('incremental sync succeeded');
    const items = await api.db
      .select({ ref: workItems.ref })
      .from(workItems)
      .where(and(eq(workItems.workspaceId, ws.id), eq(workItems.kind, 'ticket')));
    expect(items).toHaveLength(900);
    expect(new Set(items.map((i) => i.ref)).size).toBe(900);
    const runs = await api.db.select().from(syncRuns).where(eq(syncRuns.connectionId, connection.id));
    expect(runs.map((r) => r.status).sort()).toEqual(['failed', 'succeeded']);
    const resumedRun = runs.find((r) => r.status === 'succeeded');
    // The resumed run started after the stored pages: it created only what they had not.
    expect(resumedRun?.created).toBe(900 - before);
    expect(runs.find((r) => r.status === 'failed')?.error).toMatch(/^interrupted/);
  });
});
