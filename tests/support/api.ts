import { randomBytes } from 'node:crypto';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { createToken, createUser, createWorkspace } from '../../server/accounts';
import { type AppOptions, createApp } from '../../server/app';
import { ChangeFeed } from '../../server/changes';
import type { Db } from '../../server/db';
import * as schema from '../../server/db/schema';
import { SecretBox } from '../../server/secrets';

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export type Call = <T = any>(
  method: string,
  path: string,
  options?: { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> },
) => Promise<Response<T>>;

/** A workspace with an admin and a member, each with a token. */
export interface TestWorkspace {
  id: string;
  adminToken: string;
  adminId: string;
  memberToken: string;
  memberId: string;
}

let counter = 0;

/** A key of the tests' own: the API tests seal host tokens under it. */
export const TEST_SECRETS = new SecretBox([randomBytes(32)]);

/** The app over the test database, in-process through `app.request()`. */
export function setupApi(options: Partial<AppOptions> = {}) {
  const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 4 });
  const db: Db = drizzle({ client: pool, schema });
  // The app caches only while the feed listens: tests start it first, so they exercise the caches.
  const feed = new ChangeFeed();
  let stopFeed: () => Promise<void> = async () => {};
  beforeAll(async () => {
    stopFeed = await feed.start(inject('databaseUrl'));
  });
  const app = createApp({
    feed,
    db,
    databaseKind: inject('databaseKind'),
    rateLimits: false,
    log: () => {},
    secrets: TEST_SECRETS,
    ...options,
  });
  afterAll(async () => {
    await stopFeed();
    await pool.end();
  });

  const call: Call = async (method, path, { token, body, rawBody, headers = {} } = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (token) (init.headers as Record<string, string>).authorization = `Bearer ${token}`;
    if (body !== undefined || rawBody !== undefined) {
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      init.body = rawBody ?? JSON.stringify(body);
    }
    const response = await app.request(path, init);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: response.status, body: parsed as any, headers: response.headers };
  };

  async function workspace(name = 'Acme'): Promise<TestWorkspace> {
    counter++;
    const ws = await createWorkspace(db, {
      name,
      slug: `${name.toLowerCase()}-${process.pid}-${Date.now()}-${counter}`,
    });
    const admin = await createUser(db, ws.id, { name: 'Ada Admin', email: 'ada@example.com', role: 'admin' });
    const member = await createUser(db, ws.id, {
      name: 'Max Member',
      email: 'max@example.com',
      role: 'member',
      identities: { githubLogin: 'maxm', jiraName: 'Max Member', asanaName: 'Max Member' },
    });
    const adminToken = await createToken(db, ws.id, admin.id, 'test');
    const memberToken = await createToken(db, ws.id, member.id, 'test');
    return {
      id: ws.id,
      adminId: admin.id,
      adminToken: adminToken.token,
      memberId: member.id,
      memberToken: memberToken.token,
    };
  }

  return { app, db, pool, call, workspace };
}

export const enc = encodeURIComponent;

/** Every row of a paged list, following `nextCursor` to the last page. */
export async function everyPage<T = any>(call: Call, path: string, key: string, token: string): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const response: Response = await call('GET', `${path}${cursor ? `${sep}cursor=${enc(cursor)}` : ''}`, { token });
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    rows.push(...response.body[key]);
    cursor = response.body.nextCursor;
  } while (cursor);
  return rows;
}
