/**
 * The workspace's scope: admins declare it; a ticket outside it is not recorded, links nothing,
 * gets no warning or suggestion, and counts in no figure; narrowing it takes tickets out of the
 * figures without deleting them; the database's test agrees with lib/shared/scope.ts.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, inject, test } from 'vitest';
import { parseRef } from '../../lib/shared/ref';
import { inScope, type ScopeTarget } from '../../lib/shared/scope';
import { scopeEntries, workItems } from '../../server/db/schema';
import { itemInScope } from '../../server/scope';
import { enc, setupApi } from '../support/api';
import { seedBasics } from '../support/fixtures';

let clock = new Date('2026-11-21T12:00:00Z');
const api = setupApi({ now: () => clock });
const tick = () => {
  clock = new Date(clock.getTime() + 60_000);
};

describe('declaring the scope', () => {
  test('admins declare by fields or by URL, everyone reads it, members may not change it', async () => {
    const ws = await api.workspace();
    const token = ws.adminToken;
    const byFields = await api.call('POST', '/v1/scope', {
      token,
      body: { source: 'github', host: 'github.com', kind: 'organization', value: 'acme' },
    });
    expect(byFields.status).toBe(201);
    expect(byFields.body).toMatchObject({
      kind: 'organization',
      value: 'acme',
      description: 'organization acme on github.com',
      createdBy: { id: ws.adminId, name: 'Ada Admin' },
    });
    const byUrl = await api.call('POST', '/v1/scope', {
      token,
      body: { url: 'https://acme.atlassian.net/jira/software/projects/PAY/boards/1' },
    });
    expect(byUrl.body).toMatchObject({ source: 'jira', host: 'acme.atlassian.net', kind: 'project', value: 'PAY' });
    const selfHosted = await api.call('POST', '/v1/scope', {
      token,
      body: { url: 'https://git.acme.corp/platform/api', selfHosted: 'github' },
    });
    expect(selfHosted.body).toMatchObject({ host: 'git.acme.corp', kind: 'repository', value: 'platform/api' });

    const listed = await api.call('GET', '/v1/scope', { token: ws.memberToken });
    expect(listed.body.entries.map((e: { description: string }) => e.description)).toEqual([
      'organization acme on github.com',
      'project PAY on acme.atlassian.net',
      'repository platform/api on git.acme.corp',
    ]);
    expect(listed.body.nextCursor).toBeNull();

    const asMember = await api.call('POST', '/v1/scope', {
      token: ws.memberToken,
      body: { url: 'https://github.com/x' },
    });
    expect(asMember.status).toBe(403);
    const again = await api.call('POST', '/v1/scope', { token, body: { url: 'https://github.com/ACME' } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('The scope already takes in organization ACME on github.com');

    const removed = await api.call('DELETE', `/v1/scope/${byFields.body.id}`, { token });
    expect(removed.body.description).toBe('organization acme on github.com');
    expect((await api.call('GET', '/v1/scope', { token })).body.entries).toHaveLength(2);
    const other = await api.workspace('Other');
    expect((await api.call('DELETE', `/v1/scope/${byUrl.body.id}`, { token: other.adminToken })).status).toBe(404);
    expect((await api.call('GET', '/v1/scope', { token: other.adminToken })).body.entries).toEqual([]);
  });

  test('bad declarations are refused, each naming its field, and change nothing', async () => {
    const ws = await api.workspace();
    const token = ws.adminToken;
    const cases: [unknown, number, string, string][] = [
      [
        { source: 'jira', host: 'acme.atlassian.net', kind: 'organization', value: 'x' },
        400,
        'body.kind',
        'use one of host, project',
      ],
      [
        { source: 'jira', host: 'acme.atlassian.net', kind: 'project', value: 'pay' },
        400,
        'body.value',
        'not a Jira project key',
      ],
      [{ source: 'github', host: 'GitHub.com', kind: 'host' }, 400, 'body.host', 'lower-case host name'],
      [{ url: 'https://example.com/acme' }, 422, 'body.url', 'is not GitHub, Jira Cloud or Asana'],
      [{ url: 'https://github.com/acme', extra: 1 }, 400, 'body', ''],
    ];
    for (const [body, status, path, message] of cases) {
      const response = await api.call('POST', '/v1/scope', { token, body });
      expect(response.status, JSON.stringify(body)).toBe(status);
      const issue = response.body.error.issues.find((i: { path: string }) => i.path.startsWith(path));
      expect(issue?.message ?? response.body.error.message, JSON.stringify(body)).toContain(message);
    }
    expect((await api.call('GET', '/v1/scope', { token })).body.entries).toEqual([]);
  });
});

describe('tickets outside the scope', () => {
  test('are not recorded, link nothing, and get a quiet context with what would track them', async () => {
    const ws = await api.workspace();
    const { objective } = await seedBasics(api.call, ws, 'github:github.com/acme/payments#42');
    await api.call('POST', '/v1/scope', { token: ws.adminToken, body: { url: 'https://github.com/acme' } });
    const foreign = 'github:github.com/dotnet/runtime#120000';

    const record = await api.call('PUT', `/v1/work-items/${enc(foreign)}`, {
      token: ws.memberToken,
      body: { title: 'An issue of another organisation' },
    });
    expect(record.status).toBe(422);
    expect(record.body.error.issues[0]).toEqual({
      path: 'path.ref',
      message: `${foreign} is outside the workspace's scope; an admin can declare repository dotnet/runtime on github.com to track it`,
    });
    const link = await api.call('POST', '/v1/links', {
      token: ws.memberToken,
      body: { ref: foreign, objectiveId: objective.id },
    });
    expect(link.status).toBe(422);
    expect(link.body.error.issues[0].path).toBe('body.ref');
    expect(await api.db.$count(workItems, and(eq(workItems.workspaceId, ws.id), eq(workItems.ref, foreign)))).toBe(0);

    const context = await api.call('GET', `/v1/work-items/${enc(foreign)}/context`, { token: ws.adminToken });
    expect(context.body).toMatchObject({
      inScope: false,
      item: null,
      links: [],
      suggestions: [],
      canDeclareScope: true,
      track: { source: 'github', host: 'github.com', kind: 'repository', value: 'dotnet/runtime' },
    });
    const asMember = await api.call('GET', `/v1/work-items/${enc(foreign)}/context`, { token: ws.memberToken });
    expect(asMember.body.canDeclareScope).toBe(false);
    const own = await api.call('GET', `/v1/work-items/${enc('github:github.com/acme/payments#42')}/context`, {
      token: ws.memberToken,
    });
    expect(own.body).toMatchObject({ inScope: true, track: null, verdict: 'unaligned' });
    expect(own.body.suggestions.length).toBeGreaterThan(0);

    // Tracking its repository brings it in.
    await api.call('POST', '/v1/scope', { token: ws.adminToken, body: context.body.track });
    const tracked = await api.call('GET', `/v1/work-items/${enc(foreign)}/context`, { token: ws.memberToken });
    expect(tracked.body.inScope).toBe(true);
  });

  test('leave every figure when the scope narrows, and are kept to come back when it widens', async () => {
    const ws = await api.workspace();
    const { objective } = await seedBasics(api.call, ws, 'github:github.com/acme/payments#1');
    const token = ws.memberToken;
    const record = (ref: string, estimate: number) =>
      api.call('PUT', `/v1/work-items/${enc(ref)}`, {
        token,
        body: { title: ref, state: 'open', assignees: [ref.startsWith('jira') ? 'Max Member' : 'maxm'], estimate },
      });
    await record('github:github.com/acme/payments#1', 3);
    await record('github:github.com/other/lib#2', 5);
    await record('jira:acme.atlassian.net/OPS-3', 8);
    await api.call('POST', '/v1/links', {
      token,
      body: { ref: 'github:github.com/other/lib#2', objectiveId: objective.id },
    });
    tick();
    const figures = async () => {
      const coverage = await api.call('GET', '/v1/coverage?person=me', { token });
      const review = await api.call('GET', '/v1/review', { token: ws.adminToken });
      return {
        active: coverage.body.activeItems,
        covered: coverage.body.coveredItems,
        total: coverage.body.totalEffort,
        unlinked: review.body.unlinked.map((i: { ref: string }) => i.ref).sort(),
      };
    };
    expect(await figures()).toEqual({
      active: 3,
      covered: 1,
      total: 16,
      unlinked: ['github:github.com/acme/payments#1', 'jira:acme.atlassian.net/OPS-3'],
    });

    const declared = await api.call('POST', '/v1/scope', {
      token: ws.adminToken,
      body: { url: 'https://github.com/acme' },
    });
    expect(await figures()).toEqual({
      active: 1,
      covered: 0,
      total: 3,
      unlinked: ['github:github.com/acme/payments#1'],
    });
    expect(await api.db.$count(workItems, eq(workItems.workspaceId, ws.id))).toBe(3);

    await api.call('DELETE', `/v1/scope/${declared.body.id}`, { token: ws.adminToken });
    expect((await figures()).active).toBe(3);
  });
});

test('the database’s scope test agrees with lib/shared/scope.ts on random entries and tickets', async () => {
  const ws = await api.workspace();
  const owners = ['acme', 'Acme', 'octo', 'dotnet'];
  const repos = ['api', 'web'];
  const refs = [
    ...owners.flatMap((o) => repos.map((r, i) => `github:github.com/${o}/${r}#${i + 1}`)),
    'github:git.acme.corp/acme/api#1',
    ...['PAY-1', 'PAYX-2', 'OPS-3'].map((k) => `jira:acme.atlassian.net/${k}`),
    'jira:other.atlassian.net/PAY-4',
    'asana:app.asana.com/1207',
    // Containers, and an Asana task whose record places it in project 1200 (recorded below).
    'github:github.com/acme/api/milestone/1',
    'github:github.com/octo/web/label/bug',
    'github:github.com/acme/projects/3',
    'jira:acme.atlassian.net/PAY/label/refunds',
    'asana:app.asana.com/project/1200',
  ];
  const places: Record<string, { projects: string[] }> = { 'asana:app.asana.com/1208': { projects: ['1200'] } };
  for (const ref of refs)
    await api.call('PUT', `/v1/work-items/${enc(ref)}`, { token: ws.adminToken, body: { title: ref } });
  await api.call('PUT', `/v1/work-items/${enc('asana:app.asana.com/1208')}`, {
    token: ws.adminToken,
    body: {
      title: 'in 1200',
      containers: { projects: [{ ref: 'asana:app.asana.com/project/1200', title: 'Launch' }] },
    },
  });
  refs.push('asana:app.asana.com/1208');
  const target = fc.oneof(
    fc.record({
      source: fc.constant('github' as const),
      host: fc.constantFrom('github.com', 'git.acme.corp'),
      kind: fc.constantFrom('host' as const, 'organization' as const),
      value: fc.constantFrom(...owners),
    }),
    fc.record({
      source: fc.constant('github' as const),
      host: fc.constant('github.com'),
      kind: fc.constant('repository' as const),
      value: fc.constantFrom(...owners.flatMap((o) => repos.map((r) => `${o}/${r}`))),
    }),
    fc.record({
      source: fc.constant('jira' as const),
      host: fc.constantFrom('acme.atlassian.net', 'other.atlassian.net'),
      kind: fc.constantFrom('host' as const, 'project' as const),
      value: fc.constantFrom('PAY', 'OPS'),
    }),
    fc.record({
      source: fc.constant('asana' as const),
      host: fc.constant('app.asana.com'),
      kind: fc.constantFrom('host' as const, 'project' as const),
      value: fc.constantFrom('1200', '1300'),
    }),
  );
  await fc.assert(
    fc.asyncProperty(fc.uniqueArray(target, { maxLength: 4, selector: (t) => JSON.stringify(t) }), async (entries) => {
      const targets: ScopeTarget[] = entries.map((t) => (t.kind === 'host' ? { ...t, value: '' } : t));
      await api.db.delete(scopeEntries).where(eq(scopeEntries.workspaceId, ws.id));
      // Case-insensitive duplicates are one entry, as the unique index has it.
      const seen = new Set<string>();
      const stored = targets.filter((t) => {
        const key = `${t.source} ${t.host} ${t.kind} ${t.value.toLowerCase()}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      if (stored.length) await api.db.insert(scopeEntries).values(stored.map((t) => ({ workspaceId: ws.id, ...t })));
      const rows = await api.db
        .select({ ref: workItems.ref })
        .from(workItems)
        .where(and(eq(workItems.workspaceId, ws.id), itemInScope(ws.id)));
      const bySql = rows.map((r) => r.ref).sort();
      const byLib = refs
        .filter((ref) => {
          const parsed = parseRef(ref);
          return parsed.ok && inScope(stored, parsed.ref, places[ref]);
        })
        .sort();
      expect(bySql).toEqual(byLib);
    }),
    { numRuns: 60 },
  );
});

test('an Asana project takes in the tasks whose record places them in it, and they can be linked', async () => {
  const ws = await api.workspace();
  const { objective } = await seedBasics(api.call, ws);
  const token = ws.adminToken;
  const declared = await api.call('POST', '/v1/scope', {
    token,
    body: { url: 'https://app.asana.com/1/77/project/1200/list/1300' },
  });
  expect(declared.body.description).toBe('project 1200 on app.asana.com');
  const inProject = { projects: [{ ref: 'asana:app.asana.com/project/1200', title: 'Launch' }] };
  const placed = await api.call('PUT', `/v1/work-items/${enc('asana:app.asana.com/1208')}`, {
    token,
    body: { title: 'Launch checklist', containers: inProject },
  });
  expect(placed.status).toBe(201);
  // Known to be in the project: a later record or a link need not say so again.
  expect(
    (await api.call('PUT', `/v1/work-items/${enc('asana:app.asana.com/1208')}`, { token, body: { state: 'done' } }))
      .status,
  ).toBe(200);
  expect(
    (
      await api.call('POST', '/v1/links', {
        token,
        body: { ref: 'asana:app.asana.com/1208', objectiveId: objective.id },
      })
    ).status,
  ).toBe(201);

  const elsewhere = await api.call('PUT', `/v1/work-items/${enc('asana:app.asana.com/1209')}`, {
    token,
    body: {
      title: 'Elsewhere',
      containers: { projects: [{ ref: 'asana:app.asana.com/project/1300', title: 'Other' }] },
    },
  });
  expect(elsewhere.status).toBe(422);
  expect(elsewhere.body.error.issues[0].message).toBe(
    "asana:app.asana.com/1209 is outside the workspace's scope; an admin can declare project 1300 on app.asana.com to track it",
  );
  const context = await api.call('GET', `/v1/work-items/${enc('asana:app.asana.com/1208')}/context`, { token });
  expect(context.body).toMatchObject({ inScope: true, verdict: 'aligned' });
});

test('the CLI lists the scope, adds to it by URL and removes from it', async () => {
  const ws = await api.workspace();
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'scope', ...args], {
      env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
      timeout: 60_000,
    });
  expect((await cli(['list', '--workspace', ws.id])).stdout).toBe('No scope declared: every ticket counts.\n');
  await cli(['add', 'https://github.com/acme', '--workspace', ws.id]);
  const listed = (await cli(['list', '--workspace', ws.id])).stdout;
  expect(listed).toMatch(/^[0-9a-f-]{36} {2}organization acme on github\.com\n$/);
  await cli(['remove', listed.slice(0, 36), '--workspace', ws.id]);
  expect((await cli(['list', '--workspace', ws.id])).stdout).toBe('No scope declared: every ticket counts.\n');
});
