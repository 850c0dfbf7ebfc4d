/**
 * Jira and Asana through the whole sync, each through its real client against its stand-in: the
 * inventory recorded with the host's fields, people matched to their host accounts so that their
 * coverage no longer hangs on a display name, and Asana's deletions arriving by its event stream.
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createConnection } from '../../server/connections';
import { CONNECTORS } from '../../server/connectors';
import { users, workItems } from '../../server/db/schema';
import { declareScope } from '../../server/scope';
import { runSync, type SyncDeps } from '../../server/sync';
import { type FakeAsana, startFakeAsana } from '../../testkit/fake-hosts/asana';
import { type FakeJira, startFakeJira } from '../../testkit/fake-hosts/jira';
import { enc, setupApi, TEST_SECRETS } from '../support/api';

const api = setupApi();
const JIRA_TOKEN = 'ATATT3xFfGF0-jira-sync-test-token-0123456789';
const ASANA_TOKEN = '2/1207000000000001/1207999999999999:asana-sync-test-token';
let jira: FakeJira;
let asana: FakeAsana;

beforeAll(async () => {
  jira = await startFakeJira({
    mode: 'cloud',
    email: 'sync@acme.example',
    token: JIRA_TOKEN,
    site: 'acme.atlassian.net',
  });
  asana = await startFakeAsana({ token: ASANA_TOKEN });
});
afterAll(async () => {
  await jira.close();
  await asana.close();
});

const deps = (): SyncDeps => ({
  database: { db: api.db, pool: api.pool },
  secrets: TEST_SECRETS,
  connectors: CONNECTORS,
});
const tickets = (workspaceId: string) =>
  api.db
    .select()
    .from(workItems)
    .where(and(eq(workItems.workspaceId, workspaceId), eq(workItems.kind, 'ticket')));

describe('Jira sync', () => {
  test('the project’s issues with their points and parents; a person is matched to their account and keeps their coverage by it', async () => {
    const seeded = jira.seed('PAY', 600);
    const ws = await api.workspace();
    await declareScope(
      api.db,
      ws.id,
      { source: 'jira', host: 'acme.atlassian.net', kind: 'project', value: 'PAY' },
      ws.adminId,
    );
    const mia = jira.accounts.find((a) => a.displayName === 'Mia Chen');
    const made = await api.call('POST', '/v1/users', {
      token: ws.adminToken,
      body: { name: 'Mia Chen', email: 'mia@acme.example', identities: { jiraName: 'Mia Chen' } },
    });
    expect(made.status).toBe(201);
    const connection = await createConnection(
      api.db,
      TEST_SECRETS,
      ws.id,
      {
        host: 'jira',
        baseUrl: jira.baseUrl,
        site: 'acme.atlassian.net',
        email: 'sync@acme.example',
        token: JIRA_TOKEN,
      },
      ws.adminId,
    );

    const run = await runSync(deps(), { workspaceId: ws.id, connectionId: connection.id, mode: 'full' });
    expect(run).toMatchObject({ status: 'succeeded', created: 600, failed: 0 });
    const stored = await tickets(ws.id);
    expect(stored).toHaveLength(600);
    const withParent = seeded.find((issue) => issue.parentKey && issue.points !== null);
    expect(withParent).toBeDefined();
    const row = stored.find((s) => s.ref === `jira:acme.atlassian.net/${withParent?.key}`);
    expect(row).toMatchObject({ estimate: withParent?.points, hostId: withParent?.id });
    const context = await api.call('GET', `/v1/work-items/${enc(row?.ref as string)}/context`, {
      token: ws.adminToken,
    });
    expect(context.body.containers).toContainEqual(
      expect.objectContaining({ ref: `jira:acme.atlassian.net/${withParent?.parentKey}`, slot: 'parent' }),
    );

    // Mia's account id came from the connector; renamed here, her coverage still finds her tickets.
    const [person] = await api.db.select().from(users).where(eq(users.id, made.body.user.id));
    expect(person?.jiraAccountId).toBe(mia?.id);
    const coverage = async () =>
      (await api.call('GET', `/v1/coverage?person=${made.body.user.id}`, { token: ws.adminToken })).body.activeItems;
    const before = await coverage();
    expect(before).toBeGreaterThan(0);
    await api.db.update(users).set({ jiraName: 'M. Chen' }).where(eq(users.id, made.body.user.id));
    expect(await coverage()).toBe(before);
  });
});

describe('Asana sync', () => {
  test('the project’s tasks and subtasks, then its event stream: an edit, a completion and a deletion', async () => {
    const project = asana.addProject('Payments — Q3 Roadmap');
    asana.seed(project, 120);
    const expected = asana.tasksUnder(project);
    const ws = await api.workspace();
    await declareScope(
      api.db,
      ws.id,
      { source: 'asana', host: 'app.asana.com', kind: 'project', value: project },
      ws.adminId,
    );
    const connection = await createConnection(
      api.db,
      TEST_SECRETS,
      ws.id,
      { host: 'asana', baseUrl: `${asana.url}/api/1.0`, site: 'app.asana.com', token: ASANA_TOKEN },
      ws.adminId,
    );
    const first = await runSync(deps(), { workspaceId: ws.id, connectionId: connection.id, mode: 'incremental' });
    expect(first).toMatchObject({ status: 'succeeded', created: expected.length, failed: 0 });
    expect((await tickets(ws.id)).map((t) => t.key).sort()).toEqual([...expected].sort());

    const [edited, completed, removed] = expected as [string, string, string];
    asana.advance(60_000);
    asana.edit(edited, { name: 'Refund e-mail copy review' });
    asana.complete(completed);
    asana.remove(removed);
    const next = await runSync(deps(), { workspaceId: ws.id, connectionId: connection.id, mode: 'incremental' });
    expect(next).toMatchObject({ status: 'succeeded', failed: 0 });
    expect(next.removed).toBeGreaterThanOrEqual(1);
    const after = await tickets(ws.id);
    expect(after.find((t) => t.key === edited)?.title).toBe('Refund e-mail copy review');
    expect(after.find((t) => t.key === completed)).toMatchObject({ stateCategory: 'done' });
    const gone = await api.db
      .select({ key: workItems.key })
      .from(workItems)
      .where(and(eq(workItems.workspaceId, ws.id), isNotNull(workItems.removedAt)));
    expect(gone.map((g) => g.key)).toContain(removed);
  });
});
