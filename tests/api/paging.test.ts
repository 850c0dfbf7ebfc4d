/**
 * Every list pages with an opaque cursor: a stable order, each row once, none skipped, even while
 * rows are inserted between two pages; the last page says it is the last; bad cursors are 400s.
 */
import { describe, expect, test } from 'vitest';
import { PAGE_LIMITS } from '../../lib/shared/contract';
import { enc, setupApi, type TestWorkspace } from '../support/api';
import { seedBasics } from '../support/fixtures';

let clock = new Date('2026-11-21T12:00:00Z');
const api = setupApi({ now: () => clock });
const tick = () => {
  clock = new Date(clock.getTime() + 1_000);
};

interface ListSpec {
  name: string;
  /** The list's path with its filters, without paging parameters. */
  path: string;
  key: string;
  cursorParam?: string;
  limitParam?: string;
  nextKey?: string;
  idOf?: (row: { id?: string; ref?: string }) => string;
  /** Whose list it is: the admin's unless said. */
  token?: string;
  /** Adds one row to the list. */
  add: (i: number) => Promise<void>;
}

async function readPage(spec: ListSpec, token: string, limit: number, cursor: string | null) {
  const sep = spec.path.includes('?') ? '&' : '?';
  const paging = `${spec.limitParam ?? 'limit'}=${limit}${cursor ? `&${spec.cursorParam ?? 'cursor'}=${cursor}` : ''}`;
  const response = await api.call('GET', `${spec.path}${sep}${paging}`, { token });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const idOf = spec.idOf ?? ((row) => row.id as string);
  return {
    ids: (response.body[spec.key] as { id?: string; ref?: string }[]).map(idOf),
    next: response.body[spec.nextKey ?? 'nextCursor'] as string | null,
  };
}

async function listSpecs(ws: TestWorkspace): Promise<ListSpec[]> {
  const token = ws.adminToken;
  const post = async (path: string, body: unknown) => {
    const response = await api.call('POST', path, { token, body });
    expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBe(201);
    return response.body;
  };
  const { period, objective } = await seedBasics(api.call, ws);
  // Recorded a moment before the figures are read, so that they count as active.
  const record = async (ref: string, assignees: string[] = []) => {
    await api.call('PUT', `/v1/work-items/${enc(ref)}`, {
      token,
      body: { title: `Ticket ${ref}`, state: 'open', assignees, estimate: 3 },
    });
    tick();
  };
  return [
    {
      name: 'links',
      path: `/v1/links?objectiveId=${objective.id}&state=all`,
      key: 'links',
      add: async (i) => {
        await post('/v1/links', { ref: `github:github.com/acme/paging#${i + 1}`, objectiveId: objective.id });
      },
    },
    {
      name: 'objectives',
      path: `/v1/objectives?period=${period.id}`,
      key: 'objectives',
      // Equal priorities and titles: only the id orders them.
      add: async (i) => {
        await post('/v1/objectives', { title: 'Same title', periodId: period.id, priorityWeight: i % 2 ? 2 : 1.5 });
      },
    },
    {
      name: 'users',
      path: '/v1/users',
      key: 'users',
      add: async () => {
        await post('/v1/users', { name: 'Sam Same' });
      },
    },
    {
      name: 'teams',
      path: '/v1/teams',
      key: 'teams',
      add: async (i) => {
        await post('/v1/teams', { name: `Team ${String.fromCharCode(90 - (i % 26))}${i}` });
      },
    },
    {
      name: 'tokens',
      path: '/v1/tokens',
      key: 'tokens',
      add: async (i) => {
        await post('/v1/tokens', { name: `laptop ${i}` });
      },
    },
    {
      name: 'periods',
      path: '/v1/periods',
      key: 'periods',
      add: async (i) => {
        await post('/v1/periods', { name: `P${i}`, startsOn: '2025-01-01', endsOn: '2025-03-31' });
      },
    },
    {
      name: 'status updates',
      path: `/v1/objectives/${objective.id}/updates`,
      key: 'updates',
      add: async (i) => {
        await post(`/v1/objectives/${objective.id}/updates`, { status: 'on_track', note: `week ${i}` });
      },
    },
    {
      name: 'held reviews',
      path: '/v1/reviews',
      key: 'reviews',
      // The clock stands still: every review is held at the same instant.
      add: async () => {
        await post('/v1/reviews', { notes: 'weekly' });
      },
    },
    {
      name: 'decisions',
      path: '/v1/review/decisions',
      key: 'decisions',
      add: async (i) => {
        await post('/v1/review/decisions', { kind: 'other', summary: `decision ${i}` });
      },
    },
    {
      name: 'the review’s unlinked tickets',
      path: '/v1/review',
      key: 'unlinked',
      cursorParam: 'unlinkedCursor',
      limitParam: 'unlinkedLimit',
      nextKey: 'unlinkedNextCursor',
      idOf: (row) => row.ref as string,
      add: async (i) => {
        await record(`jira:acme.atlassian.net/PAY-${i + 1}`);
      },
    },
    {
      name: 'my unlinked tickets',
      path: '/v1/me/coverage',
      token: ws.memberToken,
      key: 'unlinked',
      cursorParam: 'unlinkedCursor',
      limitParam: 'unlinkedLimit',
      nextKey: 'unlinkedNextCursor',
      idOf: (row) => row.ref as string,
      add: async (i) => {
        await record(`asana:app.asana.com/12070000000${String(i).padStart(5, '0')}`, ['Max Member']);
      },
    },
  ];
}

describe('paging', () => {
  test('every list: stable order, no row skipped or repeated while rows are inserted between pages', async () => {
    const ws = await api.workspace();
    const specs = await listSpecs(ws);
    for (const spec of specs) {
      for (let i = 0; i < 7; i++) await spec.add(i);
      const token = spec.token ?? ws.adminToken;
      const whole = await readPage(spec, token, 100, null);
      expect(whole.next, `${spec.name}: one page holds it all`).toBeNull();
      expect(whole.ids.length, spec.name).toBeGreaterThanOrEqual(7);

      const seen: string[] = [];
      let cursor: string | null = null;
      let added = 7;
      do {
        const page = await readPage(spec, token, 2, cursor);
        expect(page.ids.length, spec.name).toBeLessThanOrEqual(2);
        seen.push(...page.ids);
        cursor = page.next;
        // A row arrives between two pages.
        if (cursor) await spec.add(added++);
      } while (cursor);

      expect(new Set(seen).size, `${spec.name}: no row twice`).toBe(seen.length);
      const before = new Set(whole.ids);
      expect(
        seen.filter((id) => before.has(id)),
        `${spec.name}: every row there at the start, once, in order`,
      ).toEqual(whole.ids);
    }
  });

  test('the last page has no cursor, and a page of the exact size says there is no more', async () => {
    const ws = await api.workspace();
    const token = ws.adminToken;
    for (const name of ['One', 'Two']) await api.call('POST', '/v1/teams', { token, body: { name } });
    const first = await api.call('GET', '/v1/teams?limit=2', { token });
    expect(first.body.teams.map((t: { name: string }) => t.name)).toEqual(['One', 'Two']);
    expect(first.body.nextCursor).toBeNull();
    const short = await api.call('GET', '/v1/teams?limit=1', { token });
    expect(short.body.teams).toHaveLength(1);
    expect(typeof short.body.nextCursor).toBe('string');
  });

  test('a page holds at most the documented maximum; asking for more names the limit', async () => {
    const ws = await api.workspace();
    const tooMany = await api.call('GET', `/v1/links?limit=${PAGE_LIMITS.links + 1}`, { token: ws.adminToken });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.issues).toContainEqual({
      path: 'query.limit',
      message: `must be at most ${PAGE_LIMITS.links}`,
    });
  });

  test('a cursor that is not one of the list’s is a 400 naming it, never a 500', async () => {
    const ws = await api.workspace();
    const token = ws.adminToken;
    for (const name of ['A', 'B']) await api.call('POST', '/v1/teams', { token, body: { name } });
    const teamsCursor = (await api.call('GET', '/v1/teams?limit=1', { token })).body.nextCursor as string;
    const forged = (values: unknown) => Buffer.from(JSON.stringify(values)).toString('base64url');
    const cases: [string, string][] = [
      ['/v1/links', 'not base64 json'],
      ['/v1/links', teamsCursor],
      ['/v1/objectives', forged([1e300, 'x', '00000000-0000-4000-8000-000000000000'])],
      ['/v1/tokens', forged(['0000-01-01T00:00:00Z', '00000000-0000-4000-8000-000000000000'])],
      ['/v1/links', forged(['2026-01-01T00:00:00+16:00', '00000000-0000-4000-8000-000000000000'])],
      ['/v1/teams', forged(['nul \u0000', '00000000-0000-4000-8000-000000000000'])],
      ['/v1/teams', forged({ name: 'A' })],
    ];
    for (const [path, cursor] of cases) {
      const response = await api.call('GET', `${path}?cursor=${enc(cursor)}`, { token });
      expect(response.status, `${path} ${cursor}`).toBe(400);
      expect(response.body.error.issues[0].path).toBe('query.cursor');
    }
    await seedBasics(api.call, ws);
    const review = await api.call('GET', `/v1/review?unlinkedCursor=${forged(['x'])}`, { token });
    expect(review.status).toBe(400);
    expect(review.body.error.issues[0].path).toBe('query.unlinkedCursor');
  });
});
