/**
 * Host fixes as data: `GET /v1/host-selectors` for everyone of the workspace, `PUT` for its admins,
 * CSS selectors and nothing else, each refusal naming its field, and nothing of another workspace.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { describe, expect, inject, test } from 'vitest';
import { hostSelectors } from '../../server/db/schema';
import { setupApi } from '../support/api';
import { snapshotWorkspace } from '../support/snapshot';

const api = setupApi();
const MOVED = 'h1[data-testid="issue-view-summary.heading-2027"]';
const PUBLISHED = { jira: { title: [MOVED] }, github: { state: ['.State-2027', '[data-status]'] } };

describe('reading and publishing', () => {
  test('none published: an empty document; an admin publishes, every member reads it, with who and when', async () => {
    const ws = await api.workspace();
    const empty = await api.call('GET', '/v1/host-selectors', { token: ws.memberToken });
    expect(empty).toMatchObject({
      status: 200,
      body: { selectors: {}, dropped: [], updatedAt: null, updatedBy: null },
    });

    const put = await api.call('PUT', '/v1/host-selectors', { token: ws.adminToken, body: PUBLISHED });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      selectors: PUBLISHED,
      dropped: [],
      updatedAt: expect.any(String),
      updatedBy: { id: ws.adminId, name: 'Ada Admin' },
    });
    const read = await api.call('GET', '/v1/host-selectors', { token: ws.memberToken });
    expect(read.body).toEqual(put.body);
  });

  test('a publication replaces the whole document (trimmed); {} withdraws them all', async () => {
    const ws = await api.workspace();
    await api.call('PUT', '/v1/host-selectors', { token: ws.adminToken, body: PUBLISHED });
    const next = await api.call('PUT', '/v1/host-selectors', {
      token: ws.adminToken,
      body: { asana: { title: ['  .TaskPane .TaskName  '] } },
    });
    expect(next.body.selectors).toEqual({ asana: { title: ['.TaskPane .TaskName'] } });
    const cleared = await api.call('PUT', '/v1/host-selectors', { token: ws.adminToken, body: {} });
    expect(cleared.status).toBe(200);
    expect((await api.call('GET', '/v1/host-selectors', { token: ws.memberToken })).body.selectors).toEqual({});
  });

  test('in the OpenAPI document', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths['/v1/host-selectors']).sort()).toEqual(['get', 'put']);
  });
});

describe('a stored document this version no longer accepts all of (a check tightened since)', () => {
  test('read leniently: what is valid answered, what is not left out and named, never a 500', async () => {
    const ws = await api.workspace();
    await api.db.insert(hostSelectors).values({
      workspaceId: ws.id,
      selectors: {
        jira: { title: ['h1:retired-pseudo', MOVED], summary: ['h1'] },
        gitlab: { title: ['h1'] },
        github: { state: ['.State-2027'] },
      },
      updatedById: null,
    });
    const read = await api.call('GET', '/v1/host-selectors', { token: ws.memberToken });
    expect(read.status).toBe(200);
    expect(read.body.selectors).toEqual({ jira: { title: [MOVED] }, github: { state: ['.State-2027'] } });
    expect(read.body.dropped).toEqual([
      expect.stringMatching(/^jira\.title\.0: .*“:retired-pseudo” is not a pseudo-class/),
      expect.stringMatching(/^jira\.summary: unknown field/),
      'gitlab: unknown host; the hosts are github, jira, asana',
    ]);
  });
});

describe('who may', () => {
  test('a member may read but not publish; no token, or a wrong one, neither', async () => {
    const ws = await api.workspace();
    await api.call('PUT', '/v1/host-selectors', { token: ws.adminToken, body: PUBLISHED });
    const before = await snapshotWorkspace(api.db, ws.id);
    const member = await api.call('PUT', '/v1/host-selectors', { token: ws.memberToken, body: {} });
    expect(member.status).toBe(403);
    expect(member.body.error.code).toBe('forbidden');
    for (const token of [null, 'tl_not-a-real-token']) {
      expect((await api.call('GET', '/v1/host-selectors', { token })).status).toBe(401);
      expect((await api.call('PUT', '/v1/host-selectors', { token, body: {} })).status).toBe(401);
    }
    expect(await snapshotWorkspace(api.db, ws.id)).toBe(before);
  });
});

describe('bad input is refused, each field named, and nothing changes', async () => {
  const ws = await api.workspace();
  await api.call('PUT', '/v1/host-selectors', { token: ws.adminToken, body: PUBLISHED });

  // [what, body (or raw text), the first issue's path, its message]
  const cases: [string, unknown, string, string | RegExp][] = [
    ['bad JSON', '{"jira": ', '', /JSON/i],
    ['not an object', '["h1"]', 'body', 'must be an object'],
    [
      'an unknown host',
      { gitlab: { title: ['h1'] } },
      'body',
      'unknown host gitlab; the hosts are github, jira, asana',
    ],
    ['an unknown field', { jira: { summary: ['h1'] } }, 'body.jira', /^unknown field summary; the fields are/],
    ['a field that is not a list', { jira: { title: 'h1' } }, 'body.jira.title', 'must be a list of CSS selectors'],
    ['an empty list', { jira: { title: [] } }, 'body.jira.title', /^must list at least one selector/],
    [
      'too many selectors',
      { jira: { title: Array(11).fill('h1') } },
      'body.jira.title',
      'must list at most 10 selectors',
    ],
    ['not a string', { jira: { title: [{ css: 'h1' }] } }, 'body.jira.title.0', 'must be a CSS selector (a string)'],
    ['a rule, not a selector', { jira: { title: ['h1 { display: none }'] } }, 'body.jira.title.0', /unexpected “\{”/],
    ['markup', { github: { state: ['<img src=x onerror=alert(1)>'] } }, 'body.github.state.0', /unexpected “<”/],
    ['script', { asana: { title: ['javascript:alert(document.cookie)'] } }, 'body.asana.title.0', /not a pseudo-class/],
    ['a pseudo-element', { jira: { title: ['h1::after'] } }, 'body.jira.title.0', /pseudo-elements/],
    ['too long', { jira: { title: [`h1${' '.repeat(10)}${'.a'.repeat(300)}`] } }, 'body.jira.title.0', /at most 500/],
    ['NUL', { jira: { title: ['h1\u0000'] } }, 'body.jira.title.0', /control characters/],
  ];

  test.each(cases)('%s', async (_what, body, path, message) => {
    const before = await snapshotWorkspace(api.db, ws.id);
    const res = await api.call('PUT', '/v1/host-selectors', {
      token: ws.adminToken,
      ...(typeof body === 'string' ? { rawBody: body } : { body }),
    });
    expect(res.status).toBe(400);
    const [first] = res.body.error.issues;
    if (path) {
      expect(first.path).toBe(path);
      expect(first.message).toMatch(message);
    } else {
      expect(res.body.error.message).toMatch(message);
    }
    expect(await snapshotWorkspace(api.db, ws.id)).toBe(before);
    expect((await api.call('GET', '/v1/host-selectors', { token: ws.memberToken })).body.selectors).toEqual(PUBLISHED);
  });
});

describe('isolation between workspaces', () => {
  test('each workspace reads and publishes only its own', async () => {
    const a = await api.workspace('Alpha');
    const b = await api.workspace('Beta');
    await api.call('PUT', '/v1/host-selectors', { token: b.adminToken, body: PUBLISHED });
    const bBefore = await snapshotWorkspace(api.db, b.id);

    // A's admin publishes: B's document is untouched, and A never sees B's.
    expect((await api.call('GET', '/v1/host-selectors', { token: a.adminToken })).body.selectors).toEqual({});
    await api.call('PUT', '/v1/host-selectors', { token: a.adminToken, body: { asana: { title: ['.A'] } } });
    expect(await snapshotWorkspace(api.db, b.id)).toBe(bBefore);
    const bRead = await api.call('GET', '/v1/host-selectors', { token: b.memberToken });
    expect(bRead.body.selectors).toEqual(PUBLISHED);
    const aRead = await api.call('GET', '/v1/host-selectors', { token: a.memberToken });
    expect(aRead.body.selectors).toEqual({ asana: { title: ['.A'] } });
    expect(JSON.stringify(aRead.body)).not.toContain(MOVED);
  });
});

describe('the CLI', () => {
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'host-selectors', ...args], {
      env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
      timeout: 60_000,
    });

  test('publishes a checked file, refuses a wrong one naming each problem, shows and withdraws', async () => {
    const ws = await api.workspace();
    const dir = mkdtempSync(path.join(tmpdir(), 'throughline-selectors-'));
    try {
      const good = path.join(dir, 'fix.json');
      writeFileSync(good, JSON.stringify(PUBLISHED));
      const published = await cli(['publish', good, '--workspace', ws.id]);
      expect(published.stdout).toContain(`jira.title: ${MOVED}`);
      const read = await api.call('GET', '/v1/host-selectors', { token: ws.memberToken });
      expect(read.body).toMatchObject({ selectors: PUBLISHED, updatedBy: null, updatedAt: expect.any(String) });

      const before = await snapshotWorkspace(api.db, ws.id);
      const bad = path.join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ jira: { title: ['h1 {}'], titel: ['h1'] } }));
      const refused = await cli(['publish', bad, '--workspace', ws.id]).catch((error) => error);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`${bad}: jira.title.0: not a CSS selector (at character 4): unexpected “{”`);
      expect(refused.stderr).toContain(`${bad}: jira: unknown field titel`);
      expect(refused.stderr).toContain('throughline: nothing was published');
      writeFileSync(bad, '{"jira": ');
      expect((await cli(['publish', bad, '--workspace', ws.id]).catch((error) => error)).stderr).toContain(
        'is not JSON',
      );
      expect(await snapshotWorkspace(api.db, ws.id)).toBe(before);

      expect(JSON.parse((await cli(['show', '--workspace', ws.id])).stdout)).toEqual(PUBLISHED);
      // A stored document this version no longer accepts all of: shown leniently, what is dropped named.
      await api.db
        .update(hostSelectors)
        .set({ selectors: { ...PUBLISHED, gitlab: { title: ['h1'] } } })
        .where(eq(hostSelectors.workspaceId, ws.id));
      const lenient = await cli(['show', '--workspace', ws.id]);
      expect(JSON.parse(lenient.stdout)).toEqual(PUBLISHED);
      expect(lenient.stderr).toContain('gitlab: unknown host');
      await cli(['withdraw', '--workspace', ws.id]);
      expect((await api.call('GET', '/v1/host-selectors', { token: ws.memberToken })).body.selectors).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
