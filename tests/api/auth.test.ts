import { eq } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { apiTokens } from '../../server/db/schema';
import { hashToken } from '../../server/tokens';
import { setupApi } from '../support/api';

const api = setupApi();

describe('tokens', () => {
  test('no token, a malformed header, or an unknown token: 401 JSON', async () => {
    const headerSets: Record<string, string>[] = [
      {},
      { authorization: 'Basic abc' },
      { authorization: 'Bearer tl_nope' },
    ];
    for (const headers of headerSets) {
      const res = await api.call('GET', '/v1/me', { headers });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    const unknown = await api.call('GET', '/v1/me', { token: `tl_${'A'.repeat(43)}` });
    expect(unknown.status).toBe(401);
  });

  test('tokens are stored as SHA-256 hashes with a short display prefix, never in clear', async () => {
    const ws = await api.workspace();
    const created = await api.call('POST', '/v1/tokens', { token: ws.memberToken, body: { name: 'laptop' } });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^tl_[A-Za-z0-9_-]{43}$/);
    expect(created.body.displayPrefix).toBe(created.body.token.slice(0, 9));
    const [row] = await api.db.select().from(apiTokens).where(eq(apiTokens.id, created.body.id));
    expect(row?.hash).toBe(hashToken(created.body.token));
    expect(JSON.stringify(row)).not.toContain(created.body.token);
    const listed = await api.call('GET', '/v1/tokens', { token: ws.memberToken });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
  });

  test('a revoked token is refused at once', async () => {
    const ws = await api.workspace();
    const created = (await api.call('POST', '/v1/tokens', { token: ws.memberToken, body: { name: 'ci' } })).body;
    expect((await api.call('GET', '/v1/me', { token: created.token })).status).toBe(200);
    const revoked = await api.call('DELETE', `/v1/tokens/${created.id}`, { token: ws.memberToken });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const after = await api.call('GET', '/v1/me', { token: created.token });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/revoked/);
    // The member's other token still works.
    expect((await api.call('GET', '/v1/me', { token: ws.memberToken })).status).toBe(200);
  });

  test('a member lists and revokes only their own tokens; an admin any of the workspace', async () => {
    const ws = await api.workspace();
    const adminTokens = await api.call('GET', '/v1/tokens', { token: ws.adminToken });
    const memberTokens = await api.call('GET', '/v1/tokens', { token: ws.memberToken });
    expect(adminTokens.body.tokens).toHaveLength(2);
    expect(memberTokens.body.tokens).toHaveLength(1);
    const adminTokenId = adminTokens.body.tokens.find((t: { user: { id: string } }) => t.user.id === ws.adminId).id;
    const denied = await api.call('DELETE', `/v1/tokens/${adminTokenId}`, { token: ws.memberToken });
    expect(denied.status).toBe(404);
    expect((await api.call('GET', '/v1/me', { token: ws.adminToken })).status).toBe(200);
    const memberTokenId = memberTokens.body.tokens[0].id;
    expect((await api.call('DELETE', `/v1/tokens/${memberTokenId}`, { token: ws.adminToken })).status).toBe(200);
    expect((await api.call('GET', '/v1/me', { token: ws.memberToken })).status).toBe(401);
  });

  test('only an admin creates a token for someone else', async () => {
    const ws = await api.workspace();
    const denied = await api.call('POST', '/v1/tokens', {
      token: ws.memberToken,
      body: { name: 'x', userId: ws.adminId },
    });
    expect(denied.status).toBe(403);
    const allowed = await api.call('POST', '/v1/tokens', {
      token: ws.adminToken,
      body: { name: 'x', userId: ws.memberId },
    });
    expect(allowed.status).toBe(201);
    expect(allowed.body.user.id).toBe(ws.memberId);
  });
});

describe('roles', () => {
  test('members cannot manage the workspace, teams or people', async () => {
    const ws = await api.workspace();
    const token = ws.memberToken;
    const attempts = [
      api.call('PATCH', '/v1/workspace', { token, body: { name: 'Mine now' } }),
      api.call('POST', '/v1/teams', { token, body: { name: 'Shadow team' } }),
      api.call('POST', '/v1/users', { token, body: { name: 'Mallory' } }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await api.call('GET', '/v1/teams', { token })).body.teams).toEqual([]);
    expect((await api.call('GET', '/v1/users', { token })).body.users).toHaveLength(2);
  });

  test('an admin adds a person, who gets a working token once', async () => {
    const ws = await api.workspace();
    const team = (await api.call('POST', '/v1/teams', { token: ws.adminToken, body: { name: 'Payments' } })).body;
    const res = await api.call('POST', '/v1/users', {
      token: ws.adminToken,
      body: { name: 'Priya', email: 'priya@example.com', teamId: team.id, identities: { githubLogin: 'priyan' } },
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ name: 'Priya', role: 'member', team: { id: team.id, name: 'Payments' } });
    const me = await api.call('GET', '/v1/me', { token: res.body.token.token });
    expect(me.body.user.identities.githubLogin).toBe('priyan');
    const dup = await api.call('POST', '/v1/users', {
      token: ws.adminToken,
      body: { name: 'P2', email: 'priya@example.com' },
    });
    expect(dup.status).toBe(409);
  });

  test('an admin changes the metric thresholds; a partial change keeps the rest', async () => {
    const ws = await api.workspace();
    const before = await api.call('GET', '/v1/workspace', { token: ws.memberToken });
    expect(before.body.thresholds.allocationDriftWarn).toBe(0.15);
    const res = await api.call('PATCH', '/v1/workspace', {
      token: ws.adminToken,
      body: { thresholds: { allocationDriftWarn: 0.2 } },
    });
    expect(res.status).toBe(200);
    expect(res.body.thresholds).toEqual({ ...before.body.thresholds, allocationDriftWarn: 0.2 });
  });
});

describe('me', () => {
  test('reads and sets the caller’s host identities', async () => {
    const ws = await api.workspace();
    const res = await api.call('PATCH', '/v1/me', {
      token: ws.memberToken,
      body: { githubLogin: 'max-m', jiraAccountId: '5b10a2844c20165700ede21g' },
    });
    expect(res.status).toBe(200);
    expect(res.body.user.identities).toEqual({
      githubLogin: 'max-m',
      jiraName: 'Max Member',
      jiraAccountId: '5b10a2844c20165700ede21g',
      asanaName: 'Max Member',
      asanaGid: null,
    });
  });
});

describe('rate limits', () => {
  const limited = setupApi({ rateLimits: { perMinute: 5, credentialsPerMinute: 2 } });

  test('past the limit: 429 with Retry-After, per token', async () => {
    const ws = await limited.workspace();
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await limited.call('GET', '/v1/me', { token: ws.memberToken })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const res = await limited.call('GET', '/v1/me', { token: ws.memberToken });
    expect(res.body.error.code).toBe('rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.call('GET', '/v1/me', { token: ws.adminToken })).status).toBe(200);
  });

  test('token creation has a stricter limit', async () => {
    const ws = await limited.workspace();
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await limited.call('POST', '/v1/tokens', { token: ws.adminToken, body: { name: `t${i}` } })).status,
      );
    }
    expect(statuses).toEqual([201, 201, 429]);
  });
});

describe('service endpoints', () => {
  test('healthz answers without a token', async () => {
    const res = await api.call('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
  });

  test('the OpenAPI document is generated from the contract and lists every route', async () => {
    const res = await api.call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths).sort();
    expect(paths).toEqual(
      [
        '/v1/host-selectors',
        '/v1/key-results/{id}',
        '/v1/links',
        '/v1/links/{id}',
        '/v1/link-exceptions',
        '/v1/link-exceptions/{id}',
        '/v1/me',
        '/v1/me/coverage',
        '/v1/objectives',
        '/v1/objectives/export',
        '/v1/objectives/import',
        '/v1/objectives/{id}',
        '/v1/objectives/{id}/key-results',
        '/v1/objectives/{id}/updates',
        '/v1/periods',
        '/v1/connections',
        '/v1/connections/{id}',
        '/v1/connections/{id}/check',
        '/v1/connections/{id}/syncs',
        '/v1/coverage',
        '/v1/review',
        '/v1/review/decisions',
        '/v1/reviews',
        '/v1/scope',
        '/v1/scope/{id}',
        '/v1/teams',
        '/v1/tokens',
        '/v1/tokens/{id}',
        '/v1/users',
        '/v1/work-items/{ref}',
        '/v1/work-items/{ref}/context',
        '/v1/workspace',
      ].sort(),
    );
    const link = res.body.paths['/v1/links'].post;
    expect(link.requestBody.content['application/json'].schema.required).toEqual(['ref', 'objectiveId']);
    expect(Object.keys(link.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '401', '422', '429']));
  });

  test('an unknown route is a JSON 404', async () => {
    const ws = await api.workspace();
    const res = await api.call('GET', '/v1/nothing-here', { token: ws.memberToken });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
