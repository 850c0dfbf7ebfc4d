import { describe, expect, test } from 'vitest';
import { enc, setupApi } from '../support/api';
import { fullWorkspace } from '../support/full-workspace';
import { snapshotWorkspace } from '../support/snapshot';

const api = setupApi();

describe('a token of one workspace sees and changes nothing of another', async () => {
  const attacker = await api.workspace('Attacker');
  const victim = await api.workspace('Victim');
  await fullWorkspace(api.call, attacker);
  const v = await fullWorkspace(api.call, victim);
  const secret = v.objective.title;

  // [method, path, body, expected status]
  const attempts: [string, string, unknown, number][] = [
    ['GET', `/v1/objectives/${v.objective.id}`, undefined, 404],
    ['PATCH', `/v1/objectives/${v.objective.id}`, { title: 'Owned' }, 404],
    ['POST', `/v1/objectives/${v.objective.id}/key-results`, { title: 'x', targetValue: 1 }, 404],
    ['PATCH', `/v1/key-results/${v.keyResult.id}`, { currentValue: 99 }, 404],
    ['GET', `/v1/objectives/${v.objective.id}/updates`, undefined, 404],
    ['POST', `/v1/objectives/${v.objective.id}/updates`, { status: 'dropped' }, 404],
    ['DELETE', `/v1/links/${v.link.id}`, undefined, 404],
    ['DELETE', `/v1/tokens/${v.tokenId}`, undefined, 404],
    ['POST', '/v1/links', { ref: v.ref, objectiveId: v.objective.id }, 422],
    ['POST', '/v1/objectives', { title: 'x', periodId: v.period.id }, 422],
    ['POST', '/v1/objectives', { title: 'x', periodId: v.period.id, ownerId: victim.adminId }, 422],
    ['GET', `/v1/coverage?person=${victim.memberId}`, undefined, 404],
    ['GET', `/v1/coverage?team=${v.team.id}`, undefined, 404],
    ['GET', `/v1/review?team=${v.team.id}`, undefined, 404],
    ['POST', '/v1/reviews', { teamId: v.team.id }, 422],
    ['POST', '/v1/reviews', { decisions: [{ kind: 'unblock', summary: 'x', ownerId: victim.adminId }] }, 422],
    ['GET', `/v1/review?period=${v.period.id}`, undefined, 404],
    ['POST', '/v1/review/decisions', { kind: 'unblock', summary: 'x', teamId: v.team.id }, 422],
    ['POST', '/v1/users', { name: 'Mole', teamId: v.team.id }, 422],
    ['POST', '/v1/tokens', { name: 'x', userId: victim.memberId }, 422],
    ['GET', `/v1/objectives/export?period=${v.period.id}`, undefined, 404],
    [
      'POST',
      '/v1/objectives/import',
      { format: 'yaml', content: `objectives:\n  - id: ${v.objective.id}\n    title: Owned\n    period: 2026-Q4\n` },
      422,
    ],
  ];

  test.each(attempts)(
    '%s %s → %d, and no data of the other workspace in the answer',
    async (method, path, body, status) => {
      const before = await snapshotWorkspace(api.db, victim.id);
      const res = await api.call(method, path, { token: attacker.adminToken, body });
      expect(res.status).toBe(status);
      expect(JSON.stringify(res.body)).not.toContain(secret);
      expect(await snapshotWorkspace(api.db, victim.id)).toBe(before);
    },
  );

  test('lists and filters naming the other workspace’s ids come back empty', async () => {
    const before = await snapshotWorkspace(api.db, victim.id);
    const token = attacker.memberToken;
    const lists: [string, string][] = [
      [`/v1/links?objectiveId=${v.objective.id}&state=all`, 'links'],
      [`/v1/objectives?team=${v.team.id}`, 'objectives'],
      [`/v1/objectives?owner=${victim.adminId}`, 'objectives'],
      [`/v1/review/decisions?team=${v.team.id}`, 'decisions'],
    ];
    for (const [path, key] of lists) {
      const res = await api.call('GET', path, { token });
      expect(res.status, path).toBe(200);
      expect(res.body[key], path).toEqual([]);
    }
    expect(await snapshotWorkspace(api.db, victim.id)).toBe(before);
  });

  test('the same ticket reference is a separate record in each workspace', async () => {
    const before = await snapshotWorkspace(api.db, victim.id);
    const token = attacker.memberToken;
    const links = await api.call('GET', `/v1/links?ref=${enc(v.ref)}&state=all`, { token });
    expect(links.body.links.map((l: { id: string }) => l.id)).not.toContain(v.link.id);
    const ctx = await api.call('GET', `/v1/work-items/${enc(v.ref)}/context`, { token });
    expect(ctx.body.links.map((l: { id: string }) => l.id)).not.toContain(v.link.id);
    const put = await api.call('PUT', `/v1/work-items/${enc(v.ref)}`, { token, body: { title: 'Overwritten?' } });
    expect(put.status).toBe(200);
    expect(put.body.id).not.toBe(v.item.id);
    const victimView = await api.call('GET', `/v1/work-items/${enc(v.ref)}/context`, { token: victim.memberToken });
    expect(victimView.body.item.title).toBe(v.item.title);
    expect(await snapshotWorkspace(api.db, victim.id)).toBe(before);
  });

  test('workspace-wide reads count only the caller’s workspace', async () => {
    const token = attacker.memberToken;
    const users = await api.call('GET', '/v1/users', { token });
    expect(users.body.users.map((u: { id: string }) => u.id)).not.toContain(victim.adminId);
    const tokens = await api.call('GET', '/v1/tokens', { token: attacker.adminToken });
    expect(tokens.body.tokens.map((t: { id: string }) => t.id)).not.toContain(v.tokenId);
    const coverage = await api.call('GET', '/v1/coverage', { token });
    expect(coverage.body.activeItems).toBe(1);
    const held = await api.call('GET', '/v1/reviews', { token });
    expect(held.body.reviews.map((r: { id: string }) => r.id)).not.toContain(v.review.id);
    const decisions = await api.call('GET', '/v1/review/decisions', { token });
    expect(JSON.stringify(decisions.body)).not.toContain(v.review.id);
    const mine = await api.call('GET', '/v1/me/coverage', { token });
    expect(mine.status).toBe(200);
    // Both workspaces have the same titles and refs: only ids tell them apart.
    expect(mine.body.objectives).toHaveLength(1);
    expect(JSON.stringify(mine.body)).not.toContain(v.objective.id);
    const objectives = await api.call('GET', '/v1/objectives', { token });
    expect(objectives.body.objectives.map((o: { id: string }) => o.id)).not.toContain(v.objective.id);
  });
});
