/**
 * Fuzz: thousands of random and malformed requests over every route of the OpenAPI document, with
 * good, wrong, revoked and missing tokens. Whatever comes in: no 5xx, every refusal a JSON error in
 * the contract's shape, no row changed by a refused request, and nothing of another workspace
 * changed by anything. Property-based with fast-check: a failure prints its shrunk request.
 */

import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ErrorBody } from '../../lib/shared/contract';
import type { Db } from '../../server/db';
import { setupApi } from '../support/api';
import { fullWorkspace } from '../support/full-workspace';
import { OWNED_TABLES } from '../support/snapshot';

const api = setupApi();
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

/**
 * Every row a workspace owns, as one digest from one query (the fuzz loop takes two per request).
 * A token's last use is bookkeeping of authentication, not data a request changes.
 */
async function digest(db: Db, workspaceId: string): Promise<string> {
  const parts = OWNED_TABLES.map(
    (table) =>
      sql`select ${table} || (to_jsonb(t) - 'last_used_at')::text as row from ${sql.identifier(table)} t where workspace_id = ${workspaceId}`,
  );
  const union = sql.join(parts, sql` union all `);
  const result = await db.execute(
    sql`select md5(coalesce(string_agg(row, '|' order by row), '')) || (select (to_jsonb(w))::text from workspaces w where id = ${workspaceId}) as digest from (${union}) rows`,
  );
  return String(result.rows[0]?.digest);
}

/** Strings that have broken parsers, databases and renderers before. */
const STRANGE = [
  '',
  ' ',
  '\u0000',
  'nul\u0000inside',
  '\u202egnp.exe',
  '🧾🧾🧾',
  '\uD800',
  'e\u0301',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  "' or 1=1 --",
  '%00',
  '%2e%2e%2f',
  '../../etc/passwd',
  'NaN',
  '-1',
  '1e309',
  '9'.repeat(400),
  'x'.repeat(20_000),
  'null',
  '{}',
  '[]',
  'tl_',
  'github:github.com/a/b#1',
  'jira:acme.atlassian.net/PAY-1',
  '2026-13-45',
  '00000000-0000-0000-0000-000000000000',
];

/** Percent-encoding; a lone surrogate (which encodeURIComponent refuses) goes as the bytes a client would send. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

describe('fuzz over every route', async () => {
  const ws = await api.workspace('Fuzzed');
  const own = await fullWorkspace(api.call, ws);
  const bystander = await api.workspace('Bystander');
  const other = await fullWorkspace(api.call, bystander);
  const revoked = (await api.call('POST', '/v1/tokens', { token: ws.adminToken, body: { name: 'revoked' } })).body;
  await api.call('DELETE', `/v1/tokens/${revoked.id}`, { token: ws.adminToken });

  const doc = (await api.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  const routes = Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })),
  );

  /** One valid body per route that takes one: the fuzzer breaks them field by field. */
  const validBodies: Record<string, Record<string, unknown>> = {
    'POST /v1/periods': { name: 'Fuzz period', startsOn: '2027-01-01', endsOn: '2027-03-31' },
    'POST /v1/objectives': { title: 'Fuzzed objective', periodId: own.period.id },
    'PATCH /v1/objectives/{id}': { title: 'Renamed' },
    'POST /v1/objectives/{id}/key-results': { title: 'KR', targetValue: 3 },
    'PATCH /v1/key-results/{id}': { currentValue: 2 },
    'POST /v1/objectives/{id}/updates': { status: 'at_risk', note: 'fuzz' },
    'POST /v1/objectives/import': { format: 'csv', content: 'type,title,period\nobjective,X,2026-Q4', dryRun: true },
    'PUT /v1/work-items/{ref}': { title: 'Fuzzed ticket', assignees: ['maxm'], estimate: 2 },
    'POST /v1/links': { ref: own.ref, objectiveId: own.objective.id },
    'POST /v1/review/decisions': { kind: 'unblock', summary: 'Fuzz decision' },
    'POST /v1/reviews': { notes: 'fuzz', decisions: [{ kind: 'other', summary: 'fuzz' }] },
    'PATCH /v1/me': { githubLogin: 'fuzzer' },
    'PATCH /v1/workspace': { name: 'Fuzzed' },
    'POST /v1/teams': { name: 'Fuzz team' },
    'POST /v1/users': { name: 'Fuzz person' },
    'POST /v1/tokens': { name: 'fuzz' },
  };

  const strange = fc.constantFrom(...STRANGE);
  const ids = fc.oneof(
    fc.constantFrom(
      own.objective.id,
      own.keyResult.id,
      own.link.id,
      own.tokenId,
      own.team.id,
      other.objective.id,
      other.keyResult.id,
      other.link.id,
      other.tokenId,
      other.team.id,
    ),
    fc.uuid(),
    strange,
    fc.string({ maxLength: 40 }),
  );
  const refs = fc.oneof(fc.constantFrom(own.ref, other.ref), strange, fc.string({ maxLength: 60 }));
  const scalar = fc.oneof(
    strange,
    fc.string({ maxLength: 30 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    ids,
  );
  const anyJson = fc.jsonValue({ maxDepth: 3 });
  const queryKeys = fc.constantFrom(
    'period',
    'status',
    'team',
    'owner',
    'q',
    'person',
    'window',
    'weeks',
    'ref',
    'objectiveId',
    'state',
    'format',
    'limit',
    'unlinkedLimit',
    'unknown',
  );
  const query = fc.dictionary(queryKeys, fc.oneof(strange, fc.string({ maxLength: 20 }), ids.map(String)), {
    maxKeys: 3,
  });
  // Mostly tokens that pass, so the requests reach validation and the routes behind it.
  const tokens = fc.oneof(
    { weight: 5, arbitrary: fc.constant(ws.adminToken) },
    { weight: 3, arbitrary: fc.constant(ws.memberToken) },
    { weight: 1, arbitrary: fc.constantFrom(revoked.token, `tl_${'A'.repeat(43)}`, 'not-a-token', null) },
  );

  /** A valid body broken in one way, or something else entirely. */
  const bodyFor = (key: string) => {
    const valid = validBodies[key];
    const broken = valid
      ? fc.oneof(
          fc.constant(valid),
          fc.constantFrom(...Object.keys(valid)).chain((field) =>
            fc.oneof(
              scalar.map((value) => ({ ...valid, [field]: value })),
              anyJson.map((value) => ({ ...valid, [field]: value })),
              fc.constant(Object.fromEntries(Object.entries(valid).filter(([k]) => k !== field))),
            ),
          ),
          scalar.map((value) => ({ ...valid, extraField: value })),
        )
      : fc.constant(undefined);
    return fc.oneof(
      { weight: 6, arbitrary: broken.map((body) => (body === undefined ? undefined : JSON.stringify(body))) },
      { weight: 2, arbitrary: anyJson.map((body) => JSON.stringify(body)) },
      { weight: 1, arbitrary: fc.constantFrom('{"title": ', 'nul', '\u0000', '{"a":1}{"b":2}', '') },
      { weight: 1, arbitrary: fc.constant(`{"title":"${'x'.repeat(3 * 1024 * 1024)}"}`) },
    );
  };

  const request = fc.constantFrom(...routes).chain((route) =>
    fc.record({
      route: fc.constant(route),
      id: ids,
      ref: refs,
      query,
      token: tokens,
      body: bodyFor(`${route.method} ${route.path}`),
    }),
  );

  test(`${RUNS} random and malformed requests: no 5xx, JSON refusals, nothing changed by a refusal`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async ({ route, id, ref, query: params, token, body }) => {
        const path = route.path.replace('{id}', encode(String(id))).replace('{ref}', encode(String(ref)));
        const search = new URLSearchParams(params).toString();
        const before = await digest(api.db, ws.id);
        const bystanderBefore = await digest(api.db, bystander.id);
        const headers: Record<string, string> = {};
        if (token) headers.authorization = `Bearer ${token}`;
        if (body !== undefined) headers['content-type'] = 'application/json';
        const res = await api.app.request(`${path}${search ? `?${search}` : ''}`, {
          method: route.method,
          headers,
          ...(body !== undefined && route.method !== 'GET' && route.method !== 'DELETE' && { body }),
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const text = await res.text();
        expect(res.status, `${route.method} ${path}: ${text.slice(0, 300)}`).toBeLessThan(500);
        const type = res.headers.get('content-type') ?? '';
        if (res.status >= 400) {
          expect(type).toContain('application/json');
          const error = ErrorBody.safeParse(JSON.parse(text));
          expect(error.success, text.slice(0, 300)).toBe(true);
          expect(await digest(api.db, ws.id), `${route.method} ${path} was refused but changed rows`).toBe(before);
        } else if (!type.startsWith('text/')) {
          expect(() => JSON.parse(text)).not.toThrow();
        }
        expect(await digest(api.db, bystander.id), `${route.method} ${path} changed another workspace`).toBe(
          bystanderBefore,
        );
      }),
      { numRuns: RUNS },
    );
    const summary = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
    console.log(`fuzz: ${RUNS} requests over ${routes.length} routes, statuses ${summary.join(' ')}`);
    // The fuzzer reached past authentication and validation, not only into refusals.
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(401) ?? 0).toBeGreaterThan(0);
  }, 600_000);
});
