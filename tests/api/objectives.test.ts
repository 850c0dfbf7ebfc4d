import { describe, expect, test } from 'vitest';
import { setupApi } from '../support/api';
import { CURRENT_PERIOD, PAST_PERIOD, seedBasics } from '../support/fixtures';

const now = new Date('2026-11-21T12:00:00Z');
const api = setupApi({ now: () => now });

describe('periods', () => {
  test('create and list, newest first; a duplicate name is a conflict', async () => {
    const ws = await api.workspace();
    const token = ws.memberToken;
    expect((await api.call('POST', '/v1/periods', { token, body: PAST_PERIOD })).status).toBe(201);
    expect((await api.call('POST', '/v1/periods', { token, body: CURRENT_PERIOD })).status).toBe(201);
    const list = await api.call('GET', '/v1/periods', { token });
    expect(list.body.periods.map((p: { name: string }) => p.name)).toEqual(['2026-Q4', '2026-Q3']);
    const again = await api.call('POST', '/v1/periods', { token, body: CURRENT_PERIOD });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });

  test('an end before the start is refused and names endsOn', async () => {
    const ws = await api.workspace();
    const res = await api.call('POST', '/v1/periods', {
      token: ws.memberToken,
      body: { name: 'Backwards', startsOn: '2026-12-31', endsOn: '2026-10-01' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].path).toBe('body.endsOn');
  });
});

describe('objectives', () => {
  test('create with key results, read back with progress, owner and period', async () => {
    const ws = await api.workspace();
    const { objective, period } = await seedBasics(api.call, ws);
    expect(objective).toMatchObject({
      title: 'Cut checkout latency in half',
      status: 'active',
      priorityWeight: 3,
      owner: { id: ws.adminId, name: 'Ada Admin' },
      period: { id: period.id, name: '2026-Q4' },
      updateCadenceDays: 14,
    });
    // (1.4 − 1.8) / (0.9 − 1.8) = 0.444…
    expect(objective.keyResults[0].progress).toBeCloseTo(0.4444, 3);
    expect(objective.progress).toBeCloseTo(0.4444, 3);
    const read = await api.call('GET', `/v1/objectives/${objective.id}`, { token: ws.memberToken });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(objective);
  });

  test('list filters by period, status, team, owner and title', async () => {
    const ws = await api.workspace();
    const token = ws.adminToken;
    const q4 = (await api.call('POST', '/v1/periods', { token, body: CURRENT_PERIOD })).body;
    const q3 = (await api.call('POST', '/v1/periods', { token, body: PAST_PERIOD })).body;
    const team = (await api.call('POST', '/v1/teams', { token, body: { name: 'Payments' } })).body;
    const make = (body: object) => api.call('POST', '/v1/objectives', { token, body });
    await make({ title: 'Invoicing for enterprise', periodId: q4.id, teamId: team.id, ownerId: ws.memberId });
    await make({ title: 'SEPA payments', periodId: q4.id, status: 'dropped' });
    await make({ title: 'Partner API', periodId: q3.id, status: 'achieved' });
    const titles = async (query: string) =>
      (await api.call('GET', `/v1/objectives?${query}`, { token: ws.memberToken })).body.objectives.map(
        (o: { title: string }) => o.title,
      );
    expect(await titles('period=2026-Q4')).toEqual(['Invoicing for enterprise', 'SEPA payments']);
    expect(await titles('period=current')).toEqual(['Invoicing for enterprise', 'SEPA payments']);
    expect(await titles(`period=${q3.id}`)).toEqual(['Partner API']);
    expect(await titles('status=open')).toEqual(['Invoicing for enterprise']);
    expect((await titles('status=closed')).sort()).toEqual(['Partner API', 'SEPA payments']);
    expect(await titles(`team=${team.id}`)).toEqual(['Invoicing for enterprise']);
    expect(await titles('owner=me')).toEqual(['Invoicing for enterprise']);
    expect(await titles('q=sepa')).toEqual(['SEPA payments']);
    expect(await titles('q=100%25')).toEqual([]);
    const unknown = await api.call('GET', '/v1/objectives?period=2031-Q1', { token });
    expect(unknown.status).toBe(404);
  });

  test('patch changes fields; closing sets closedAt, reopening clears it', async () => {
    const ws = await api.workspace();
    const { objective } = await seedBasics(api.call, ws);
    const token = ws.memberToken;
    const patched = await api.call('PATCH', `/v1/objectives/${objective.id}`, {
      token,
      body: { title: 'Halve checkout latency', priorityWeight: 5 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'Halve checkout latency', priorityWeight: 5, closedAt: null });
    const closed = await api.call('PATCH', `/v1/objectives/${objective.id}`, { token, body: { status: 'achieved' } });
    expect(closed.body.status).toBe('achieved');
    expect(closed.body.closedAt).toBe(now.toISOString());
    const reopened = await api.call('PATCH', `/v1/objectives/${objective.id}`, { token, body: { status: 'active' } });
    expect(reopened.body.closedAt).toBeNull();
  });

  test('a parent that would make a cycle is refused, and nothing changes', async () => {
    const ws = await api.workspace();
    const token = ws.memberToken;
    const { objective: parent, period } = await seedBasics(api.call, ws);
    const child = (
      await api.call('POST', '/v1/objectives', {
        token,
        body: { title: 'Child', periodId: period.id, parentId: parent.id },
      })
    ).body;
    expect(child.parentId).toBe(parent.id);
    const cycle = await api.call('PATCH', `/v1/objectives/${parent.id}`, { token, body: { parentId: child.id } });
    expect(cycle.status).toBe(422);
    expect(cycle.body.error.issues[0].path).toBe('body.parentId');
    const self = await api.call('PATCH', `/v1/objectives/${parent.id}`, { token, body: { parentId: parent.id } });
    expect(self.status).toBe(422);
    expect((await api.call('GET', `/v1/objectives/${parent.id}`, { token })).body.parentId).toBeNull();
  });

  test('ids of people, teams, periods and parents must be of the workspace', async () => {
    const ws = await api.workspace();
    const other = await api.workspace();
    const mine = await seedBasics(api.call, ws);
    const theirs = await seedBasics(api.call, other);
    const res = await api.call('POST', '/v1/objectives', {
      token: ws.memberToken,
      body: { title: 'Sneaky', periodId: mine.period.id, parentId: theirs.objective.id },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.issues).toEqual([{ path: 'body.parentId', message: 'no such record in this workspace' }]);
    const wrongPeriod = await api.call('POST', '/v1/objectives', {
      token: ws.memberToken,
      body: { title: 'Sneaky', periodId: theirs.period.id },
    });
    expect(wrongPeriod.status).toBe(422);
    const list = await api.call('GET', '/v1/objectives', { token: ws.memberToken });
    expect(list.body.objectives).toHaveLength(1);
  });
});

describe('key results', () => {
  test('add and update; progress follows the current value', async () => {
    const ws = await api.workspace();
    const { objective } = await seedBasics(api.call, ws);
    const token = ws.memberToken;
    const kr = await api.call('POST', `/v1/objectives/${objective.id}/key-results`, {
      token,
      body: { title: 'Teams onboarded', targetValue: 200 },
    });
    expect(kr.status).toBe(201);
    expect(kr.body).toMatchObject({ startValue: 0, currentValue: 0, progress: 0, unit: '' });
    const updated = await api.call('PATCH', `/v1/key-results/${kr.body.id}`, { token, body: { currentValue: 50 } });
    expect(updated.body.progress).toBe(0.25);
    const read = await api.call('GET', `/v1/objectives/${objective.id}`, { token });
    expect(read.body.keyResults).toHaveLength(2);
    // mean of 0.444… and 0.25
    expect(read.body.progress).toBeCloseTo(0.3472, 3);
  });
});

describe('status updates', () => {
  test('health updates set health; a closing update closes the objective; later health is refused', async () => {
    const ws = await api.workspace();
    const { objective } = await seedBasics(api.call, ws);
    const token = ws.memberToken;
    const risk = await api.call('POST', `/v1/objectives/${objective.id}/updates`, {
      token,
      body: { status: 'at_risk', note: 'Fraud checks are slower than planned' },
    });
    expect(risk.status).toBe(201);
    expect(risk.body).toMatchObject({ status: 'at_risk', author: { id: ws.memberId, name: 'Max Member' } });
    let read = (await api.call('GET', `/v1/objectives/${objective.id}`, { token })).body;
    expect(read).toMatchObject({ health: 'at_risk', status: 'active', lastUpdateAt: now.toISOString() });

    await api.call('POST', `/v1/objectives/${objective.id}/updates`, { token, body: { status: 'achieved' } });
    read = (await api.call('GET', `/v1/objectives/${objective.id}`, { token })).body;
    expect(read).toMatchObject({ status: 'achieved', closedAt: now.toISOString() });

    const late = await api.call('POST', `/v1/objectives/${objective.id}/updates`, {
      token,
      body: { status: 'on_track' },
    });
    expect(late.status).toBe(422);
    const updates = await api.call('GET', `/v1/objectives/${objective.id}/updates`, { token });
    expect(updates.body.updates.map((u: { status: string }) => u.status).sort()).toEqual(['achieved', 'at_risk']);
  });
});
