/**
 * The workspace's scope as the server applies it: cached for the context read (one round trip),
 * and as a condition on work items for every figure, so that tickets outside a narrowed scope
 * leave the figures without being deleted.
 */
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ScopeEntry, ScopeEntryCreate } from '../lib/shared/contract';
import { formatRef, type TicketRef } from '../lib/shared/ref';
import {
  type AsanaPlace,
  describeTarget,
  inScope,
  type ScopeTarget,
  targetFromUrl,
  trackingTarget,
} from '../lib/shared/scope';
import { type ChangeFeed, Channel, notify } from './changes';
import type { Db } from './db';
import { containments, scopeEntries, users, workItems } from './db/schema';
import { ApiError, notFound, unprocessable } from './errors';
import { NotifiedCache } from './notified-cache';
import { afterCursor, cursorOf, orderOf, pageOf, type SortKey } from './paging';
import { iso } from './queries';

export class ScopeCatalog {
  private cache: NotifiedCache<ScopeTarget[]>;

  constructor(
    private db: Db,
    feed: ChangeFeed,
  ) {
    this.cache = new NotifiedCache(feed, Channel.scopeChanged, { ttlMs: 5 * 60_000, maxEntries: 1_000 });
  }

  get(workspaceId: string): Promise<ScopeTarget[]> {
    return this.cache.get(
      workspaceId,
      () =>
        this.db
          .select({
            source: scopeEntries.source,
            host: scopeEntries.host,
            kind: scopeEntries.kind,
            value: scopeEntries.value,
          })
          .from(scopeEntries)
          .where(eq(scopeEntries.workspaceId, workspaceId))
          .orderBy(asc(scopeEntries.createdAt)) as Promise<ScopeTarget[]>,
    );
  }

  /** After a change written here: this process reads afresh at once (the write told the others). */
  forget(workspaceId: string): void {
    this.cache.forget(workspaceId);
  }
}

/**
 * lib/shared/scope.ts `inScope` as SQL on work_items, from the ticket's key as the reference names it
 * (a page's `project` may say otherwise), tickets and containers alike: no entry at all, or one that
 * takes the item in.
 * An Asana task is in a project entry while its record places it there (its `projects` slot).
 */
export function itemInScope(workspaceId: string): SQL {
  return sql`(not exists (select 1 from ${scopeEntries} s where s.workspace_id = ${workspaceId})
    or exists (select 1 from ${scopeEntries} s
      where s.workspace_id = ${workspaceId} and s.source = ${workItems.source} and s.host = ${workItems.host}
        and (s.kind = 'host'
          or (s.kind = 'organization' and lower(split_part(${workItems.key}, '/', 1)) = lower(s.value))
          or (s.kind = 'repository' and ${workItems.key} !~ '^[^/]+/projects/[0-9]+$'
            and lower(substring(${workItems.key} from '^[^/#]+/[^/#]+')) = lower(s.value))
          or (s.kind = 'project' and s.source = 'jira' and split_part(split_part(${workItems.key}, '-', 1), '/', 1) = s.value)
          or (s.kind = 'project' and s.source = 'asana' and (${workItems.key} = 'project/' || s.value
            or exists (select 1 from ${containments} c join ${workItems} p on p.id = c.container_id
              where c.item_id = ${workItems.id} and c.slot = 'projects' and c.ended_at is null
                and p.key = 'project/' || s.value))))))`;
}

/** Refuses a ticket outside the scope: it is not recorded, and links nothing. */
export function assertInScope(entries: ScopeTarget[], ref: TicketRef, path: string, place?: AsanaPlace): void {
  if (inScope(entries, ref, place)) return;
  throw unprocessable(
    path,
    `${formatRef(ref)} is outside the workspace's scope; an admin can declare ${describeTarget(trackingTarget(ref, place))} to track it`,
  );
}

/**
 * Whether the scope asks where this ticket lives: only an Asana task, and only when the scope
 * names Asana projects. Every other check needs no read (a link is the hottest write).
 */
export function asksPlace(entries: readonly ScopeTarget[], ref: TicketRef): boolean {
  return ref.source === 'asana' && entries.some((e) => e.source === 'asana' && e.kind === 'project');
}

/** Where a ticket lives, as far as the scope asks (an Asana task's projects), from its containers. */
export function placeOf(containers: readonly { ref: string; slot: string }[]): AsanaPlace {
  return {
    projects: containers.flatMap((c) => {
      if (c.slot !== 'projects') return [];
      const key = c.ref.slice(c.ref.indexOf('/') + 1);
      return key.startsWith('project/') ? [key.slice('project/'.length)] : [];
    }),
  };
}

const declarers = alias(users, 'scope_declarer');
const SCOPE_ORDER: SortKey[] = [
  { column: scopeEntries.createdAt, kind: 'timestamp' },
  { column: scopeEntries.id, kind: 'uuid' },
];

/** A page of the scope's entries, oldest first; or the one of `id`. */
export async function listScope(db: Db, workspaceId: string, page: { limit: number; cursor?: string; id?: string }) {
  const rows = await db
    .select({
      entry: scopeEntries,
      createdBy: { id: declarers.id, name: declarers.name },
      cursor: cursorOf(SCOPE_ORDER),
    })
    .from(scopeEntries)
    .leftJoin(declarers, eq(declarers.id, scopeEntries.createdById))
    .where(
      and(
        eq(scopeEntries.workspaceId, workspaceId),
        page.id ? eq(scopeEntries.id, page.id) : undefined,
        afterCursor(SCOPE_ORDER, page.cursor),
      ),
    )
    .orderBy(...orderOf(SCOPE_ORDER))
    .limit(page.limit + 1);
  const { page: shown, nextCursor } = pageOf(rows, page.limit);
  const entries: ScopeEntry[] = shown.map(({ entry, createdBy }) => {
    const target = { source: entry.source, host: entry.host, kind: entry.kind, value: entry.value } as ScopeTarget;
    return { id: entry.id, ...target, description: describeTarget(target), createdBy, createdAt: iso(entry.createdAt) };
  });
  return { entries, nextCursor };
}

/** Declares a part of the scope, from its fields or a pasted URL; refuses one declared already. */
export async function declareScope(
  db: Db,
  workspaceId: string,
  input: ScopeEntryCreate,
  createdById: string | null,
): Promise<ScopeEntry> {
  let target: ScopeTarget;
  if ('url' in input) {
    const parsed = targetFromUrl(input.url, input.selfHosted);
    if (!parsed.ok) throw unprocessable('body.url', parsed.reason);
    target = parsed.target;
  } else {
    target = { ...input, value: input.value ?? '' };
  }
  const [row] = await db
    .insert(scopeEntries)
    .values({ workspaceId, ...target, createdById })
    .onConflictDoNothing()
    .returning({ id: scopeEntries.id });
  if (!row) throw new ApiError('conflict', `The scope already takes in ${describeTarget(target)}`);
  await notify(db, Channel.scopeChanged, workspaceId);
  const { entries } = await listScope(db, workspaceId, { id: row.id, limit: 1 });
  return entries[0] as ScopeEntry;
}

/** Removes a part of the scope: its tickets leave the figures, and are kept. */
export async function removeScope(db: Db, workspaceId: string, id: string): Promise<ScopeEntry> {
  const { entries } = await listScope(db, workspaceId, { id, limit: 1 });
  const entry = entries[0];
  if (!entry) throw notFound(`Scope entry ${id}`);
  await db.delete(scopeEntries).where(and(eq(scopeEntries.id, id), eq(scopeEntries.workspaceId, workspaceId)));
  await notify(db, Channel.scopeChanged, workspaceId);
  return entry;
}
