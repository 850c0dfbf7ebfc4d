/**
 * A connection's sync: the tickets of the workspace's scope on its site, read from the host's API
 * through its connector and recorded as the host says them (they outrank what pages showed).
 *
 * Each page of tickets is stored in one transaction with the cursor that follows it, so a sync cut
 * short (a crash, a kill) resumes after the last page it stored: nothing skipped, nothing twice.
 * One sync per connection runs at a time across every process (an advisory lock held for the run).
 * A full sync reads every ticket again and then asks the host about each in-scope ticket it did not
 * read: gone ones leave the figures, moved ones are followed to their new reference.
 */
import { and, eq, getTableColumns, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { SyncedTicket } from '../lib/hosts/apis/types';
import { GithubAppCredential, type SyncRun as SyncRunView } from '../lib/shared/contract';
import { CONTAINER_SLOTS, containerKindOf, projectOfRef, type Source } from '../lib/shared/ref';
import { inScope, type ScopeTarget } from '../lib/shared/scope';
import { Channel } from './changes';
import { listConnections, syncRunOf } from './connections';
import type { ConnectionAccess, Connector, ConnectorFactory, SyncPage } from './connectors/types';
import { assertContainersFit } from './containments';
import type { Database, Db } from './db';
import { connections, scopeEntries, syncCursors, syncRuns, workItems } from './db/schema';
import { notFound } from './errors';
import { afterCursor, cursorOf, orderOf, pageOf, type SortKey } from './paging';
import { ticketRef } from './queries';
import { itemInScope, placeOf } from './scope';
import type { SecretBox } from './secrets';
import { type SyncedRow, writeSyncedRows } from './sync-writes';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type SyncMode = 'full' | 'incremental' | 'tickets';
export type SyncRun = typeof syncRuns.$inferSelect;

export interface SyncDeps {
  database: Pick<Database, 'db' | 'pool'>;
  secrets: SecretBox;
  connectors: Record<Source, ConnectorFactory>;
  now?: () => Date;
}

export interface SyncRequest {
  workspaceId: string;
  connectionId: string;
  mode: SyncMode;
  /** For `tickets`: the references to read again (a webhook's). */
  refs?: string[];
  signal?: AbortSignal;
}

/**
 * The pages of `pages`, asking the host for the next one while the caller stores this one: the
 * host's answer and the database's write overlap instead of taking turns. Pages still come in
 * order, and a page is stored (with its cursor) only after every page before it.
 */
async function* readingAhead<T>(pages: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = iterator.next();
      // A failure of the read ahead surfaces when its page is asked for, not before.
      next.catch(() => {});
      yield current.value;
    }
  } finally {
    await iterator.return?.();
  }
}

/** Another process (or this one) is syncing the connection already. */
export class SyncBusy extends Error {}

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  failed: number;
}
const noCounts = (): Counts => ({ created: 0, updated: 0, unchanged: 0, removed: 0, failed: 0 });
const add = (a: Counts, b: Partial<Counts>) => {
  for (const k of Object.keys(b) as (keyof Counts)[]) a[k] += b[k] ?? 0;
};

/** Tickets created between two refreshes of the planner's statistics during a sync. */
const ANALYZE_EVERY = 5_000;

/** Tickets asked about at once after a full sync, and read per page of candidates. */
const RECONCILE_BATCH = 100;

/** Any fixed number: with the connection's hash it names the sync's advisory lock. */
const SYNC_LOCK_SPACE = 7_318_401;

/** The connection with its token unsealed, for the length of a sync or a check. */
export async function connectionAccess(
  db: Db,
  secrets: SecretBox,
  workspaceId: string,
  connectionId: string,
): Promise<ConnectionAccess> {
  const [row] = await db
    .select()
    .from(connections)
    .where(and(eq(connections.id, connectionId), eq(connections.workspaceId, workspaceId)));
  if (!row) throw notFound(`Connection ${connectionId}`);
  const opened = secrets.open(row.sealedToken);
  const githubApp = row.credential === 'github_app' ? GithubAppCredential.parse(JSON.parse(opened)) : null;
  return {
    id: row.id,
    host: row.host,
    baseUrl: row.baseUrl,
    site: row.site,
    email: row.email,
    token: githubApp ? '' : opened,
    githubApp,
  };
}

/** The connector's scopes for the workspace's scope entries on the connection's site, or why there are none. */
export async function scopesOf(db: Db, workspaceId: string, access: ConnectionAccess, connector: Connector) {
  const entries = await scopeTargets(db, workspaceId);
  const scopes = connector.scopes(entries);
  const hostWide = entries.some((e) => e.source === access.host && e.host === access.site && e.kind === 'host');
  const problems: string[] = [];
  if (hostWide && !scopes.some((s) => s.key === 'site:')) {
    problems.push(
      `${access.host} cannot list every ticket of ${access.site}: declare its organisations, repositories, workspaces or projects in the scope`,
    );
  }
  if (scopes.length === 0 && problems.length === 0) {
    problems.push(
      `the workspace's scope names nothing on ${access.site}: declare what to sync (throughline scope add …)`,
    );
  }
  return { scopes, problems };
}

/** Never a credential in what is stored or shown: a message that quotes the token loses it. */
const withoutToken = (message: string, token: string) =>
  (token.length >= 4 ? message.split(token).join('…') : message).slice(0, 2000);

export async function runSync(deps: SyncDeps, request: SyncRequest): Promise<SyncRun> {
  const { db, pool } = deps.database;
  const now = deps.now ?? (() => new Date());
  const signal = request.signal ?? new AbortController().signal;
  const access = await connectionAccess(db, deps.secrets, request.workspaceId, request.connectionId);
  const lock = await pool.connect();
  try {
    const { rows } = await lock.query<{ locked: boolean }>('select pg_try_advisory_lock($1, hashtext($2)) as locked', [
      SYNC_LOCK_SPACE,
      access.id,
    ]);
    if (!rows[0]?.locked) throw new SyncBusy(`connection ${access.id} is being synced already`);
    try {
      return await syncLocked(db, deps, access, request, now, signal);
    } finally {
      await lock.query('select pg_advisory_unlock($1, hashtext($2))', [SYNC_LOCK_SPACE, access.id]);
    }
  } finally {
    lock.release();
  }
}

async function syncLocked(
  db: Db,
  deps: SyncDeps,
  access: ConnectionAccess,
  request: SyncRequest,
  now: () => Date,
  signal: AbortSignal,
): Promise<SyncRun> {
  const startedAt = now();
  // Holding the lock, no other sync of the connection is alive: one still "running" was cut short.
  await db
    .update(syncRuns)
    .set({
      status: 'failed',
      finishedAt: startedAt,
      error: 'interrupted: the process running it stopped; the next sync resumed after its last stored page',
    })
    .where(and(eq(syncRuns.connectionId, access.id), eq(syncRuns.status, 'running')));
  const [run] = await db
    .insert(syncRuns)
    .values({ workspaceId: request.workspaceId, connectionId: access.id, mode: request.mode, startedAt })
    .returning();
  const runId = (run as SyncRun).id;
  const counts = noCounts();
  const connector = deps.connectors[access.host](access, {});
  const store = (page: SyncPage, scopeKey: string | null) =>
    storePage(db, request.workspaceId, access, page, scopeKey, now());
  try {
    /** What went wrong with a part of the sync; the other parts went on. */
    const problems: string[] = [];
    const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
    if (request.mode === 'tickets') {
      const entries = await scopeTargets(db, request.workspaceId);
      for (const ref of request.refs ?? []) {
        if (signal.aborted) break;
        try {
          add(counts, await resync(db, request.workspaceId, access, connector, ref, now(), entries));
        } catch (error) {
          counts.failed += 1;
          problems.push(`${ref}: ${messageOf(error)}`);
        }
      }
    } else {
      const { scopes, problems: unlisted } = await scopesOf(db, request.workspaceId, access, connector);
      if (scopes.length === 0) throw new Error(unlisted.join('; '));
      for (const scope of scopes) {
        if (signal.aborted) break;
        const stored =
          request.mode === 'full'
            ? null
            : ((
                await db
                  .select({ cursor: syncCursors.cursor })
                  .from(syncCursors)
                  .where(and(eq(syncCursors.connectionId, access.id), eq(syncCursors.scopeKey, scope.key)))
              )[0]?.cursor ?? null);
        try {
          for await (const page of readingAhead(connector.changes(scope, stored, signal))) {
            const before = counts.created;
            add(counts, await store(page, scope.key));
            await db.update(syncRuns).set(counts).where(eq(syncRuns.id, runId));
            // A first sync grows the tables faster than autovacuum re-reads their statistics: on the
            // old ones the planner takes a workspace's thousands of tickets for a few dozen and scans them.
            if (Math.floor(counts.created / ANALYZE_EVERY) > Math.floor(before / ANALYZE_EVERY)) {
              await db.execute(sql`analyze work_items, containments`);
            }
          }
        } catch (error) {
          // One scope the host will not list (a repository the token cannot read) holds back no other.
          const message = messageOf(error);
          problems.push(message.includes(scope.description) ? message : `${scope.description}: ${message}`);
        }
      }
      // Only after every scope was read whole may an unread ticket be asked about.
      if (request.mode === 'full' && !signal.aborted && problems.length === 0) {
        add(counts, await reconcile(db, request.workspaceId, access, connector, startedAt, now, signal));
      }
    }
    if (problems.length > 0) throw new Error(problems.join('; '));
    if (signal.aborted) throw new Error('the sync was stopped before it finished');
    const [done] = await db
      .update(syncRuns)
      .set({ ...counts, status: 'succeeded', finishedAt: now() })
      .where(eq(syncRuns.id, runId))
      .returning();
    return done as SyncRun;
  } catch (error) {
    const message = withoutToken(error instanceof Error ? error.message : String(error), access.token);
    const [failed] = await db
      .update(syncRuns)
      .set({ ...counts, status: 'failed', finishedAt: now(), error: message })
      .where(eq(syncRuns.id, runId))
      .returning();
    return failed as SyncRun;
  }
}

/**
 * What of a ticket the API can hold: the reference its own (on the connection's site), fields
 * clipped to the contract's limits, containers that fit their slots. Throws when it cannot.
 */
function syncedRow(access: ConnectionAccess, ticket: SyncedTicket): SyncedRow {
  const ref = ticketRef(ticket.ref);
  if (ref.source !== access.host || ref.host !== access.site) {
    throw new Error(`${ticket.ref} is not on ${access.host}:${access.site}`);
  }
  if (containerKindOf(ref.source, ref.key)) throw new Error(`${ticket.ref} names a container, not a ticket`);
  assertContainersFit(ticket.ref, ticket.containers);
  return {
    ref: ticket.ref,
    hostId: ticket.hostId.slice(0, 200),
    url: ticket.url.length <= 2048 ? ticket.url : null,
    title: ticket.title.slice(0, 1000),
    state: ticket.state.slice(0, 100),
    stateCategory: ticket.stateCategory,
    assignees: ticket.assignees.slice(0, 50).map((a) => ({ ...a, name: a.name.slice(0, 200), id: a.id.slice(0, 200) })),
    estimate: ticket.estimate !== null && ticket.estimate >= 0 && ticket.estimate <= 10_000 ? ticket.estimate : null,
    containers: ticket.containers,
    createdAt: new Date(ticket.createdAt),
    updatedAt: new Date(ticket.updatedAt),
    closedAt: ticket.stateCategory === 'done' ? new Date(ticket.closedAt ?? ticket.updatedAt) : null,
  };
}

/**
 * Stores one page in one transaction: its tickets (one whose update time the host has not moved
 * is left as it is), the tickets the host says are gone, and the cursor after the page. A ticket
 * the API cannot hold is counted failed, and the page goes on without it.
 */
async function storePage(
  db: Db,
  workspaceId: string,
  access: ConnectionAccess,
  page: SyncPage,
  scopeKey: string | null,
  at: Date,
): Promise<Partial<Counts>> {
  const counts = noCounts();
  const changed: string[] = [];
  const rows = new Map<string, SyncedRow>();
  for (const ticket of page.tickets) {
    try {
      rows.set(ticket.ref, syncedRow(access, ticket));
    } catch {
      counts.failed += 1;
    }
  }
  await db.transaction(async (tx) => {
    const refs = [...rows.keys()];
    const hostIds = [...rows.values()].map((r) => r.hostId);
    const columns = {
      id: workItems.id,
      ref: workItems.ref,
      hostId: workItems.hostId,
      updatedOnHost: workItems.updatedOnHost,
      removedAt: workItems.removedAt,
    };
    // Two lookups, each on its own index: joined by `or`, PostgreSQL reads the whole table.
    const [byRefRows, byHostIdRows] = refs.length
      ? await Promise.all([
          tx
            .select(columns)
            .from(workItems)
            .where(and(eq(workItems.workspaceId, workspaceId), inArray(workItems.ref, refs))),
          tx
            .select(columns)
            .from(workItems)
            .where(
              and(
                eq(workItems.workspaceId, workspaceId),
                eq(workItems.source, access.host),
                eq(workItems.host, access.site),
                inArray(workItems.hostId, hostIds),
              ),
            ),
        ])
      : [[], []];
    const known = [...byRefRows, ...byHostIdRows];
    const byRef = new Map(known.map((k) => [k.ref, k]));
    const unchanged: string[] = [];
    const toWrite: SyncedRow[] = [];
    for (const row of rows.values()) {
      const was = byRef.get(row.ref);
      if (
        was &&
        was.hostId === row.hostId &&
        was.removedAt === null &&
        was.updatedOnHost?.getTime() === row.updatedAt.getTime()
      ) {
        unchanged.push(was.id);
        continue;
      }
      // The same host id under another reference: the ticket moved.
      const before = known.find((k) => k.hostId === row.hostId && k.ref !== row.ref);
      if (before) await followMove(tx, workspaceId, before, row, byRef.has(row.ref));
      toWrite.push(row);
    }
    const written = await writeSyncedRows(tx, workspaceId, toWrite, at);
    for (const [ref, outcome] of written) {
      counts[outcome.created ? 'created' : 'updated'] += 1;
      changed.push(ref);
    }
    await matchIdentities(tx, workspaceId, access.host, toWrite);
    if (unchanged.length) {
      await tx.update(workItems).set({ syncedAt: at }).where(inArray(workItems.id, unchanged));
      counts.unchanged += unchanged.length;
    }
    if (page.removed.length) {
      const gone = await tx
        .update(workItems)
        .set({ removedAt: at })
        .where(
          and(
            eq(workItems.workspaceId, workspaceId),
            inArray(workItems.ref, page.removed),
            isNull(workItems.removedAt),
          ),
        )
        .returning({ ref: workItems.ref });
      counts.removed += gone.length;
      changed.push(...gone.map((g) => g.ref));
    }
    if (scopeKey !== null) {
      await tx
        .insert(syncCursors)
        .values({ connectionId: access.id, scopeKey, cursor: page.cursor, updatedAt: at })
        .onConflictDoUpdate({
          target: [syncCursors.connectionId, syncCursors.scopeKey],
          set: { cursor: page.cursor, updatedAt: at },
        });
    }
    await noticeChanged(tx, workspaceId, changed);
  });
  return counts;
}

/** Every process drops what it cached of these tickets once the transaction commits. */
async function noticeChanged(tx: Tx, workspaceId: string, refs: string[]): Promise<void> {
  if (refs.length === 0) return;
  const payloads = refs.map((ref) => `sync ${workspaceId} ${ref}`);
  await tx.execute(
    sql`select pg_notify(${Channel.workItemChanged}, p) from unnest(${sql.param(payloads)}::text[]) as p`,
  );
}

/**
 * A ticket known under another reference with the same host id moved: the known row takes the
 * new reference, with its links and history; where the new reference is known too (a page
 * recorded it first), the old row is gone and its links stay as history.
 */
async function followMove(
  tx: Tx,
  workspaceId: string,
  before: { id: string; ref: string },
  row: SyncedRow,
  /** Whether the new reference is known already (the page's lookup said). */
  taken: boolean,
): Promise<void> {
  if (taken) {
    await tx.update(workItems).set({ hostId: null, removedAt: row.updatedAt }).where(eq(workItems.id, before.id));
  } else {
    const ref = ticketRef(row.ref);
    await tx
      .update(workItems)
      .set({ ref: row.ref, key: ref.key, project: projectOfRef(ref) })
      .where(eq(workItems.id, before.id));
  }
  await noticeChanged(tx, workspaceId, [before.ref]);
}

/**
 * The host's accounts name the people: a person known by a Jira or Asana display name gets that
 * account's id, which outlives a change of name. Only where exactly one person has that name.
 */
async function matchIdentities(tx: Tx, workspaceId: string, host: Source, rows: SyncedRow[]): Promise<void> {
  if (host === 'github') return;
  const idsByName = new Map<string, Set<string>>();
  for (const a of rows.flatMap((r) => r.assignees))
    idsByName.set(a.name, (idsByName.get(a.name) ?? new Set()).add(a.id));
  // Two accounts of one name say nothing of which is the person's.
  const accounts = new Map(
    [...idsByName].flatMap(([name, ids]) => (ids.size === 1 ? [[name, [...ids][0] as string]] : [])),
  );
  if (accounts.size === 0) return;
  const [idColumn, nameColumn] = host === 'jira' ? ['jira_account_id', 'jira_name'] : ['asana_gid', 'asana_name'];
  await tx.execute(sql`
    update users u set ${sql.raw(idColumn)} = a.id
    from unnest(${sql.param([...accounts.keys()])}::text[], ${sql.param([...accounts.values()])}::text[]) as a(name, id)
    where u.workspace_id = ${workspaceId} and u.${sql.raw(idColumn)} is null and u.${sql.raw(nameColumn)} = a.name
      and (select count(*) from users v where v.workspace_id = ${workspaceId} and v.${sql.raw(nameColumn)} = a.name) = 1`);
}

/** The workspace's scope entries, as the scope's rules take them. */
async function scopeTargets(db: Db, workspaceId: string): Promise<ScopeTarget[]> {
  return (await db
    .select({
      source: scopeEntries.source,
      host: scopeEntries.host,
      kind: scopeEntries.kind,
      value: scopeEntries.value,
    })
    .from(scopeEntries)
    .where(eq(scopeEntries.workspaceId, workspaceId))) as ScopeTarget[];
}

/**
 * Reads one ticket again: recorded as found (perhaps moved), or marked gone. With `entries`, a
 * ticket outside the scope (a webhook of the whole organisation names every repository's) is not
 * recorded, as a page's would not be.
 */
async function resync(
  db: Db,
  workspaceId: string,
  access: ConnectionAccess,
  connector: Connector,
  refString: string,
  at: Date,
  entries?: ScopeTarget[],
): Promise<Partial<Counts>> {
  const ref = ticketRef(refString);
  const fetched = await connector.fetch(ref);
  if (fetched.status === 'found' && entries) {
    const now = ticketRef(fetched.ticket.ref);
    const place = placeOf(
      CONTAINER_SLOTS.flatMap((slot) => (fetched.ticket.containers[slot] ?? []).map((c) => ({ ref: c.ref, slot }))),
    );
    if (!inScope(entries, now, place)) return {};
  }
  if (fetched.status === 'found')
    return storePage(db, workspaceId, access, { tickets: [fetched.ticket], removed: [], cursor: '' }, null, at);
  return storePage(db, workspaceId, access, { tickets: [], removed: [refString], cursor: '' }, null, at);
}

/**
 * After a full sync: every in-scope ticket of the site that the sync did not read is asked about
 * on its own. The host says it is gone (deleted, or no longer readable as such) or where it is now.
 */
async function reconcile(
  db: Db,
  workspaceId: string,
  access: ConnectionAccess,
  connector: Connector,
  startedAt: Date,
  now: () => Date,
  signal: AbortSignal,
): Promise<Partial<Counts>> {
  const counts = noCounts();
  let after = '';
  while (!signal.aborted) {
    const unread = await db
      .select({ id: workItems.id, ref: workItems.ref })
      .from(workItems)
      .where(
        and(
          eq(workItems.workspaceId, workspaceId),
          eq(workItems.source, access.host),
          eq(workItems.host, access.site),
          eq(workItems.kind, 'ticket'),
          isNull(workItems.removedAt),
          or(isNull(workItems.syncedAt), lt(workItems.syncedAt, startedAt)),
          gt(workItems.ref, after),
          itemInScope(workspaceId),
        ),
      )
      .orderBy(workItems.ref)
      .limit(RECONCILE_BATCH);
    for (const item of unread) {
      // One the host will not say anything of (its repository unreadable to this token) stays as
      // it is, counted failed: it must not stop the others being asked about.
      const outcome = await resync(db, workspaceId, access, connector, item.ref, now()).catch(() => ({ failed: 1 }));
      add(counts, outcome);
    }
    if (unread.length < RECONCILE_BATCH) return counts;
    after = (unread.at(-1) as { ref: string }).ref;
  }
  return counts;
}

/** What the host says of the connection's credential and of each scope it would sync, in words. */
export async function checkConnection(
  db: Db,
  secrets: SecretBox,
  connectors: Record<Source, ConnectorFactory>,
  workspaceId: string,
  connectionId: string,
): Promise<{ ok: boolean; account: string | null; problems: string[] }> {
  const access = await connectionAccess(db, secrets, workspaceId, connectionId);
  const connector = connectors[access.host](access, {});
  const { scopes, problems } = await scopesOf(db, workspaceId, access, connector);
  const checked = await connector.check(scopes);
  const all = [...checked.problems, ...problems].map((p) => withoutToken(p, access.token));
  return { ok: all.length === 0, account: checked.account, problems: all };
}

const RUN_ORDER: SortKey[] = [
  { column: syncRuns.startedAt, kind: 'timestamp', descending: true },
  { column: syncRuns.id, kind: 'uuid', descending: true },
];

/** A page of the connection's syncs, newest first. */
export async function listSyncRuns(
  db: Db,
  workspaceId: string,
  connectionId: string,
  page: { limit: number; cursor?: string },
): Promise<{ runs: SyncRunView[]; nextCursor: string | null }> {
  const { connections: found } = await listConnections(db, workspaceId, { id: connectionId, limit: 1 });
  if (found.length === 0) throw notFound(`Connection ${connectionId}`);
  const rows = await db
    .select({ ...getTableColumns(syncRuns), cursor: cursorOf(RUN_ORDER) })
    .from(syncRuns)
    .where(
      and(
        eq(syncRuns.workspaceId, workspaceId),
        eq(syncRuns.connectionId, connectionId),
        afterCursor(RUN_ORDER, page.cursor),
      ),
    )
    .orderBy(...orderOf(RUN_ORDER))
    .limit(page.limit + 1);
  const { page: shown, nextCursor } = pageOf(rows, page.limit);
  return { runs: shown.map(({ cursor: _cursor, ...run }) => syncRunOf(run)), nextCursor };
}
