/**
 * Keyset paging for every list the API answers: a page is the rows after the cursor's row in a
 * fixed, total order (the list's own order with the row's id last), so rows inserted between two
 * requests never make a row of the list appear twice or not at all.
 *
 * The cursor is the last row's sort values as PostgreSQL writes them in JSON (timestamps to the
 * microsecond, which a JavaScript Date would round), base64url-encoded so that clients treat it as
 * opaque. Drizzle has no keyset helper, hence this module.
 */
import { type AnyColumn, and, asc, desc, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { text } from '../lib/shared/contract';
import { ApiError } from './errors';

export interface SortKey {
  column: AnyColumn;
  descending?: boolean;
  /** What the cursor's value for this key must look like, so a forged cursor is a 400, never a 500. */
  kind: 'timestamp' | 'uuid' | 'text' | 'number' | 'date';
}

// Each within what PostgreSQL accepts for the column's type (no year 0, no NUL, a real's range).
const fromYearOne = (value: string) => !value.startsWith('0000');
// PostgreSQL takes offsets up to ±15:59 (it writes +00:00 itself); zod's check allows up to 23:59.
const postgresOffset = (value: string) => /(?:Z|[+-](?:0\d|1[0-5]):?[0-5]\d)$/.test(value);
const VALUE_OF_KIND = {
  timestamp: z.iso.datetime({ offset: true }).refine(fromYearOne).refine(postgresOffset),
  uuid: z.uuid(),
  text: text(2_000),
  number: z.number().min(-1e37).max(1e37),
  date: z.iso.date().refine(fromYearOne),
} as const;

/** The expression to select beside a row: its cursor, should it be the last of a page. */
export function cursorOf(keys: SortKey[]): SQL<string> {
  return sql<string>`json_build_array(${sql.join(
    keys.map((k) => k.column),
    sql`, `,
  )})::text`;
}

export function orderOf(keys: SortKey[]): SQL[] {
  return keys.map((k) => (k.descending ? desc(k.column) : asc(k.column)));
}

const invalidCursor = (path: string) =>
  new ApiError('invalid_request', `${path}: is not a cursor of this list; start again without it`, [
    { path, message: 'is not a cursor of this list; start again without it' },
  ]);

function cursorJson(cursor: string, path: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor(path);
  }
}

/** Decodes a cursor for `keys`; throws a 400 naming `path` when it is not one of this list's. */
function decodeCursor(keys: SortKey[], cursor: string, path: string): unknown[] {
  const values = cursorJson(cursor, path);
  if (!Array.isArray(values) || values.length !== keys.length) throw invalidCursor(path);
  keys.forEach((key, i) => {
    if (!VALUE_OF_KIND[key.kind].safeParse(values[i]).success) throw invalidCursor(path);
  });
  return values;
}

const encodeCursor = (json: string) => Buffer.from(json, 'utf8').toString('base64url');

/** The condition "after the cursor's row" in the order of `keys` (mixed directions allowed). */
export function afterCursor(keys: SortKey[], cursor: string | undefined, path = 'query.cursor'): SQL | undefined {
  if (cursor === undefined) return undefined;
  const values = decodeCursor(keys, cursor, path);
  // (a, b, c) after (x, y, z): a beyond x, or a = x and (b, c) after (y, z).
  const after = (i: number): SQL => {
    const key = keys[i] as SortKey;
    // Raw parameters, not Drizzle's eq/gt: those would pass the JSON text through the column's
    // encoder (a Date's toISOString for timestamps); PostgreSQL casts it to the column's type itself.
    const value = values[i];
    const beyond = key.descending ? sql`${key.column} < ${value}` : sql`${key.column} > ${value}`;
    if (i === keys.length - 1) return beyond;
    return or(beyond, and(sql`${key.column} = ${value}`, after(i + 1))) as SQL;
  };
  return after(0);
}

/**
 * Rows were read with `limit + 1`: the page is the first `limit`, and the next cursor is the last
 * row's when there was one more.
 */
export function pageOf<T extends { cursor: string }>(rows: T[], limit: number) {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last ? encodeCursor(last.cursor) : null };
}

/**
 * The same paging over a list sorted in memory (the figures computed in Node): the rows after the
 * cursor's key in `compare`'s total order, then `limit` of them.
 */
export function pageSorted<T, K extends unknown[]>(
  sorted: T[],
  options: {
    keyOf: (row: T) => K;
    compare: (a: K, b: K) => number;
    keySchema: z.ZodType<K>;
    cursor: string | undefined;
    limit: number;
    path: string;
  },
) {
  let start = 0;
  if (options.cursor !== undefined) {
    const parsed = options.keySchema.safeParse(cursorJson(options.cursor, options.path));
    if (!parsed.success) throw invalidCursor(options.path);
    const after = parsed.data;
    start = sorted.findIndex((row) => options.compare(options.keyOf(row), after) > 0);
    if (start < 0) start = sorted.length;
  }
  const page = sorted.slice(start, start + options.limit);
  const last = page[page.length - 1];
  const more = start + options.limit < sorted.length;
  return { page, nextCursor: more && last ? encodeCursor(JSON.stringify(options.keyOf(last))) : null };
}
