import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, test } from 'vitest';
import { everyPage, setupApi } from '../support/api';
import { CURRENT_PERIOD } from '../support/fixtures';
import { snapshotWorkspace } from '../support/snapshot';

const run = promisify(execFile);
const api = setupApi();

/** Nine levels of nine aliases each: 9^9 strings if expanded. */
const ALIAS_BOMB = [
  `a: &a [${Array(9).fill('"lol"').join(', ')}]`,
  ...'bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
  'objectives: [*i]',
].join('\n');

const YAML_FILE = `
periods:
  - { name: 2026-Q4, startsOn: 2026-10-01, endsOn: 2026-12-31 }
objectives:
  - key: revenue
    title: Grow enterprise revenue
    period: 2026-Q4
    owner: ada@example.com
    priority: 5
    keyResults:
      - { title: Enterprise ARR, start: 4.2, target: 6, current: 4.9, unit: M€ }
  - title: Launch invoicing
    period: 2026-Q4
    owner: Max Member
    parent: revenue
    priority: 3
    cadenceDays: 7
`;

describe('import through the API', () => {
  test('a dry run checks and counts but writes nothing; the real run writes all', async () => {
    const ws = await api.workspace();
    const token = ws.adminToken;
    const before = await snapshotWorkspace(api.db, ws.id);
    const dry = await api.call('POST', '/v1/objectives/import', {
      token,
      body: { format: 'yaml', content: YAML_FILE, dryRun: true },
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, valid: true, objectives: 2, keyResults: 1, errors: [] });
    expect(await snapshotWorkspace(api.db, ws.id)).toBe(before);

    const real = await api.call('POST', '/v1/objectives/import', {
      token,
      body: { format: 'yaml', content: YAML_FILE },
    });
    expect(real.body).toMatchObject({ valid: true, created: 2, updated: 0 });
    const list = (await api.call('GET', '/v1/objectives', { token })).body.objectives;
    const revenue = list.find((o: { title: string }) => o.title === 'Grow enterprise revenue');
    const invoicing = list.find((o: { title: string }) => o.title === 'Launch invoicing');
    expect(revenue.owner.name).toBe('Ada Admin');
    expect(revenue.keyResults[0]).toMatchObject({ title: 'Enterprise ARR', currentValue: 4.9, unit: 'M€' });
    expect(invoicing).toMatchObject({ parentId: revenue.id, owner: { name: 'Max Member' }, updateCadenceDays: 7 });
  });

  test('one bad row refuses the whole file, naming each bad row, and writes nothing', async () => {
    const ws = await api.workspace();
    await api.call('POST', '/v1/periods', { token: ws.adminToken, body: CURRENT_PERIOD });
    const before = await snapshotWorkspace(api.db, ws.id);
    const csv = [
      'type,key,title,period,owner,priority,objective,target',
      'objective,a,Good objective,2026-Q4,ada@example.com,2,,',
      'objective,b,Bad owner,2026-Q4,nobody@example.com,1,,',
      'key_result,,KR of a,,,,a,10',
      'objective,c,Bad period,1999-Q1,,1,,',
    ].join('\n');
    const res = await api.call('POST', '/v1/objectives/import', {
      token: ws.adminToken,
      body: { format: 'csv', content: csv },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('2 row(s) have errors; nothing was imported');
    expect(res.body.error.issues).toEqual([
      { path: 'row 3.owner', message: 'no person "nobody@example.com"' },
      { path: 'row 5.period', message: 'no period named "1999-Q1"' },
    ]);
    expect(await snapshotWorkspace(api.db, ws.id)).toBe(before);
  });

  test('asked for as NDJSON, a large import tells its progress as it writes, then its result', async () => {
    const ws = await api.workspace();
    await api.call('POST', '/v1/periods', { token: ws.adminToken, body: CURRENT_PERIOD });
    const rows = Array.from({ length: 300 }, (_, i) => `objective,o${i},Objective ${i},2026-Q4,1,,`);
    const csv = ['type,key,title,period,priority,objective,target', ...rows, 'key_result,,KR,,,o7,5'].join('\n');
    const streamed = async (content: string) => {
      const res = await api.app.request('/v1/objectives/import', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ws.adminToken}`,
          'content-type': 'application/json',
          accept: 'application/x-ndjson',
        },
        body: JSON.stringify({ format: 'csv', content }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/x-ndjson');
      return (await res.text())
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
    };

    const lines = await streamed(csv);
    const progress = lines.filter((l) => 'progress' in l).map((l) => l.progress);
    expect(progress.length).toBeGreaterThanOrEqual(50);
    expect(progress.length).toBeLessThanOrEqual(101);
    expect(progress.every((p, i) => p.total === 300 && (i === 0 || p.done > (progress[i - 1]?.done ?? 0)))).toBe(true);
    expect(progress.at(-1)).toEqual({ done: 300, total: 300 });
    expect(lines.at(-1)).toEqual({
      result: expect.objectContaining({ valid: true, objectives: 300, keyResults: 1, created: 300 }),
    });
    expect(await everyPage(api.call, '/v1/objectives', 'objectives', ws.adminToken)).toHaveLength(300);

    // A refused file: its last line names the row, and nothing is written.
    const before = await snapshotWorkspace(api.db, ws.id);
    const refused = await streamed(
      ['type,key,title,period,priority', 'objective,x,Fine,2026-Q4,1', 'objective,y,Bad,2026-Q4,lots'].join('\n'),
    );
    expect(refused.at(-1)).toEqual({
      error: expect.objectContaining({
        code: 'unprocessable',
        issues: [expect.objectContaining({ path: 'row 3.priority' })],
      }),
    });
    expect(await snapshotWorkspace(api.db, ws.id)).toBe(before);
  });

  test('a file of several insert batches lands whole, with parents across batches; a cycle is refused', async () => {
    const ws = await api.workspace();
    const token = ws.adminToken;
    await api.call('POST', '/v1/periods', { token, body: CURRENT_PERIOD });
    const yaml = [
      'objectives:',
      ...Array.from(
        { length: 1200 },
        (_, i) =>
          `  - { key: o${i}, title: Objective ${i}, period: 2026-Q4${i === 0 ? ', parent: o1199' : ''}, ` +
          `keyResults: [{ title: KR ${i}, target: 5 }] }`,
      ),
    ].join('\n');
    const imported = await api.call('POST', '/v1/objectives/import', {
      token,
      body: { format: 'yaml', content: yaml },
    });
    expect(imported.body).toMatchObject({ valid: true, objectives: 1200, keyResults: 1200, created: 1200 });
    const list: { id: string; title: string; parentId: string | null; keyResults: { title: string }[] }[] =
      await everyPage(api.call, '/v1/objectives', 'objectives', token);
    expect(list).toHaveLength(1200);
    const byTitle = new Map(list.map((o) => [o.title, o]));
    expect(byTitle.get('Objective 0')?.parentId).toBe(byTitle.get('Objective 1199')?.id);
    expect(
      list.every((o) => o.keyResults.length === 1 && o.keyResults[0]?.title === `KR ${o.title.split(' ')[1]}`),
    ).toBe(true);

    const before = await snapshotWorkspace(api.db, ws.id);
    const cycle = await api.call('POST', '/v1/objectives/import', {
      token,
      body: {
        format: 'yaml',
        content:
          'objectives:\n  - { key: a, title: A, period: 2026-Q4, parent: b }\n  - { key: b, title: B, period: 2026-Q4, parent: a }',
      },
    });
    expect(cycle.status).toBe(422);
    expect(cycle.body.error.issues).toEqual([
      { path: 'row 1.parent', message: 'the parents form a cycle' },
      { path: 'row 2.parent', message: 'the parents form a cycle' },
    ]);
    expect(await snapshotWorkspace(api.db, ws.id)).toBe(before);
  });

  test("an alias bomb or an unresolved alias is refused as the file's problem (422, also streamed); nothing written", async () => {
    const ws = await api.workspace();
    const token = ws.adminToken;
    const before = await snapshotWorkspace(api.db, ws.id);
    for (const content of [ALIAS_BOMB, 'objectives: [*nowhere]']) {
      const res = await api.call('POST', '/v1/objectives/import', { token, body: { format: 'yaml', content } });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'unprocessable', issues: [{ path: 'row 1.(file)' }] });
      expect(res.body.error.issues[0].message).toMatch(/alias/);

      const streamed = await api.app.request('/v1/objectives/import', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/x-ndjson',
        },
        body: JSON.stringify({ format: 'yaml', content }),
      });
      const last = JSON.parse((await streamed.text()).trimEnd().split('\n').at(-1) as string);
      expect(last.error).toMatchObject({ code: 'unprocessable', issues: [{ path: 'row 1.(file)' }] });
    }
    expect(await snapshotWorkspace(api.db, ws.id)).toBe(before);
  });

  test('export then import updates in place: same ids, no duplicates', async () => {
    const ws = await api.workspace();
    const token = ws.adminToken;
    await api.call('POST', '/v1/objectives/import', { token, body: { format: 'yaml', content: YAML_FILE } });
    for (const format of ['yaml', 'csv'] as const) {
      const exported = await api.call('GET', `/v1/objectives/export?format=${format}`, { token });
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toContain(format === 'yaml' ? 'text/yaml' : 'text/csv');
      const edited = (exported.body as string).replace('Launch invoicing', 'Launch invoicing v2');
      const res = await api.call('POST', '/v1/objectives/import', { token, body: { format, content: edited } });
      expect(res.body).toMatchObject({ valid: true, created: 0, updated: 2 });
    }
    const list = (await api.call('GET', '/v1/objectives', { token })).body.objectives;
    expect(list.map((o: { title: string }) => o.title).sort()).toEqual([
      'Grow enterprise revenue',
      'Launch invoicing v2 v2',
    ]);
    expect(list.find((o: { title: string }) => o.title === 'Grow enterprise revenue').keyResults).toHaveLength(1);
  });
});

test('a partial file updates what it says and keeps the rest', async () => {
  const ws = await api.workspace();
  const token = ws.adminToken;
  await api.call('POST', '/v1/objectives/import', { token, body: { format: 'yaml', content: YAML_FILE } });
  const revenue = (await api.call('GET', '/v1/objectives?q=revenue', { token })).body.objectives[0];
  await api.call('PATCH', `/v1/objectives/${revenue.id}`, { token, body: { status: 'achieved' } });
  const partial = `objectives:\n  - id: ${revenue.id}\n    title: Grow enterprise revenue (renamed)\n    period: 2026-Q4\n`;
  const res = await api.call('POST', '/v1/objectives/import', { token, body: { format: 'yaml', content: partial } });
  expect(res.body).toMatchObject({ valid: true, updated: 1 });
  const after = (await api.call('GET', `/v1/objectives/${revenue.id}`, { token })).body;
  expect(after).toMatchObject({
    title: 'Grow enterprise revenue (renamed)',
    owner: { name: 'Ada Admin' },
    priorityWeight: 5,
    status: 'achieved',
    closedAt: revenue.closedAt ?? expect.any(String),
  });
});

describe('the CLI', () => {
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
      env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
      timeout: 60_000,
    });

  test('creates a workspace and a user, imports and exports objectives, and revokes a token', async () => {
    const slug = `cli-${process.pid}-${Date.now()}`;
    const created = await cli([
      'workspace',
      'create',
      'CLI Test',
      '--slug',
      slug,
      '--admin-name',
      'Ada',
      '--admin-email',
      'ada@example.com',
    ]);
    const adminToken = created.stdout.match(/tl_[A-Za-z0-9_-]{43}/)?.[0] as string;
    expect(adminToken).toBeDefined();
    expect((await api.call('GET', '/v1/me', { token: adminToken })).body.user).toMatchObject({
      name: 'Ada',
      role: 'admin',
    });

    const added = await cli([
      'user',
      'add',
      '--workspace',
      slug,
      '--name',
      'Max Member',
      '--email',
      'max@example.com',
      '--team',
      'Payments',
      '--github',
      'maxm',
    ]);
    const memberToken = added.stdout.match(/tl_[A-Za-z0-9_-]{43}/)?.[0] as string;
    const me = (await api.call('GET', '/v1/me', { token: memberToken })).body.user;
    expect(me).toMatchObject({ team: { name: 'Payments' }, identities: { githubLogin: 'maxm' } });

    const dir = mkdtempSync(path.join(tmpdir(), 'throughline-cli-'));
    writeFileSync(path.join(dir, 'goals.yaml'), YAML_FILE);
    const imported = await cli(['objectives', 'import', path.join(dir, 'goals.yaml'), '--workspace', slug]);
    expect(imported.stdout).toContain('Imported 2 objectives and 1 key results (2 created, 0 updated).');
    await cli(['objectives', 'export', '--workspace', slug, '--format', 'csv', '--out', path.join(dir, 'goals.csv')]);
    expect(readFileSync(path.join(dir, 'goals.csv'), 'utf8')).toContain('Grow enterprise revenue');

    writeFileSync(path.join(dir, 'bad.csv'), 'title,period\nNo such period,2001-Q1\n');
    const bad = await cli(['objectives', 'import', path.join(dir, 'bad.csv'), '--workspace', slug]).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('row 2: period: no period named "2001-Q1"');

    writeFileSync(path.join(dir, 'bomb.yaml'), ALIAS_BOMB);
    const bomb = await cli(['objectives', 'import', path.join(dir, 'bomb.yaml'), '--workspace', slug]).catch((e) => e);
    expect(bomb.code).toBe(1);
    expect(bomb.stderr).toMatch(/bomb\.yaml: .*alias/);
    expect(bomb.stderr).not.toMatch(/\n\s+at /);

    const tokens = await cli(['token', 'list', '--workspace', slug]);
    const memberTokenId = tokens.stdout
      .split('\n')
      .find((l) => l.includes('Max Member'))
      ?.split(' ')[0] as string;
    await cli(['token', 'revoke', memberTokenId, '--workspace', slug]);
    expect((await api.call('GET', '/v1/me', { token: memberToken })).status).toBe(401);
  }, 120_000);
});
