/**
 * A page of tickets from a host's API, written in a few multi-row statements whatever its size:
 * the tickets, the containers they name, and where each sits. A connector's record is the
 * strongest source there is (server/record-writes.ts), so every field it says replaces what was
 * known, and every slot it says replaces that slot's live containments (the history keeps the
 * ended ones), exactly as a single record would; only the statements are fewer.
 */
import { sql } from 'drizzle-orm';
import type { SyncedTicket } from '../lib/hosts/apis/types';
import { CONTAINER_SLOTS, type ContainerSlot, projectOfRef } from '../lib/shared/ref';
import type { Db } from './db';
import { itemKindOf, ticketRef } from './queries';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * One ticket as the sync writes it: checked already, fields clipped to the contract's limits, a
 * URL too long to keep left out, the host's times as dates.
 */
export type SyncedRow = Omit<SyncedTicket, 'url' | 'createdAt' | 'updatedAt' | 'closedAt'> & {
  url: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
};

/** The fields every synced record says, as `field_sources` names them. */
const SAID_FIELDS = ['url', 'title', 'state', 'closed', 'assignees', 'estimate'] as const;

const textArray = (values: readonly (string | null)[]) => sql`${sql.param(values)}::text[]`;

/**
 * Writes the rows and their containments; returns, per reference, whether it was created and
 * whether where it sits changed. Rows whose slots differ are grouped so that each statement says
 * the same slots for all its rows.
 */
export async function writeSyncedRows(
  tx: Tx,
  workspaceId: string,
  rows: SyncedRow[],
  at: Date,
): Promise<Map<string, { created: boolean; containersChanged: boolean }>> {
  const outcome = new Map<string, { created: boolean; containersChanged: boolean }>();
  if (rows.length === 0) return outcome;
  const itemIds = await upsertItems(tx, workspaceId, rows, at, outcome);
  const bySlots = new Map<string, SyncedRow[]>();
  for (const row of rows) {
    const slots = CONTAINER_SLOTS.filter((slot) => row.containers[slot] !== undefined).join(',');
    bySlots.set(slots, [...(bySlots.get(slots) ?? []), row]);
  }
  for (const [slotList, group] of bySlots) {
    if (!slotList) continue;
    const moved = await placeItems(tx, workspaceId, group, slotList.split(',') as ContainerSlot[], itemIds, at);
    for (const ref of moved) {
      const entry = outcome.get(ref);
      if (entry) entry.containersChanged = true;
    }
  }
  return outcome;
}

async function upsertItems(
  tx: Tx,
  workspaceId: string,
  rows: SyncedRow[],
  at: Date,
  outcome: Map<string, { created: boolean; containersChanged: boolean }>,
): Promise<Map<string, string>> {
  const refs = rows.map((r) => ticketRef(r.ref));
  const stamp = JSON.stringify({ source: 'api', at: at.toISOString() });
  const sources = `{${SAID_FIELDS.map((f) => `"${f}": ${stamp}`).join(', ')}}`;
  // Containers said are stamped per row: the slots a host has may differ between its tickets.
  const slotSources = rows.map((row) =>
    JSON.stringify(
      Object.fromEntries(
        CONTAINER_SLOTS.filter((slot) => row.containers[slot] !== undefined).map((slot) => [
          `containers.${slot}`,
          JSON.parse(stamp),
        ]),
      ),
    ),
  );
  const result = await tx.execute<{ id: string; ref: string; inserted: boolean }>(sql`
    insert into work_items as w (workspace_id, ref, kind, source, host, key, project, url, title, state,
      closed_at, assignees, assignee_ids, estimate, host_id, state_category, created_on_host, updated_on_host,
      synced_at, removed_at, field_sources, first_seen_at, last_seen_at)
    select ${workspaceId}::uuid, r.ref, r.kind, r.source, r.host, r.key, r.project, r.url, r.title, r.state,
      r.closed_at, r.assignees, r.assignee_ids, r.estimate, r.host_id, r.state_category, r.created_on_host,
      r.updated_on_host, ${at}::timestamptz, null, ${sources}::jsonb || r.slot_sources, ${at}::timestamptz,
      ${at}::timestamptz
    from unnest(
      ${textArray(rows.map((r) => r.ref))}, ${textArray(refs.map((r) => itemKindOf(r)))},
      ${textArray(refs.map((r) => r.source))}, ${textArray(refs.map((r) => r.host))},
      ${textArray(refs.map((r) => r.key))}, ${textArray(refs.map((r) => projectOfRef(r)))},
      ${textArray(rows.map((r) => r.url))}, ${textArray(rows.map((r) => r.title))},
      ${textArray(rows.map((r) => r.state))}, ${textArray(rows.map((r) => r.closedAt?.toISOString() ?? null))}::timestamptz[],
      ${sql.param(rows.map((r) => JSON.stringify(r.assignees.map((a) => a.name))))}::text[],
      ${sql.param(rows.map((r) => JSON.stringify(r.assignees.map((a) => a.id))))}::text[],
      ${sql.param(rows.map((r) => r.estimate))}::float8[], ${textArray(rows.map((r) => r.hostId))},
      ${textArray(rows.map((r) => r.stateCategory))}, ${textArray(rows.map((r) => r.createdAt.toISOString()))}::timestamptz[],
      ${textArray(rows.map((r) => r.updatedAt.toISOString()))}::timestamptz[], ${sql.param(slotSources)}::jsonb[]
    ) as u(ref, kind, source, host, key, project, url, title, state, closed_at, assignees_json, assignee_ids_json,
      estimate, host_id, state_category, created_on_host, updated_on_host, slot_sources),
    lateral (select u.*,
      array(select jsonb_array_elements_text(u.assignees_json::jsonb)) as assignees,
      array(select jsonb_array_elements_text(u.assignee_ids_json::jsonb)) as assignee_ids) as r
    on conflict (workspace_id, ref) do update set
      kind = excluded.kind, url = excluded.url, title = excluded.title, state = excluded.state,
      closed_at = excluded.closed_at, assignees = excluded.assignees, assignee_ids = excluded.assignee_ids,
      estimate = excluded.estimate, host_id = excluded.host_id, state_category = excluded.state_category,
      created_on_host = excluded.created_on_host, updated_on_host = excluded.updated_on_host,
      synced_at = excluded.synced_at, removed_at = null, field_sources = w.field_sources || excluded.field_sources,
      last_seen_at = excluded.last_seen_at
    returning id, ref, (xmax = 0) as inserted`);
  const ids = new Map<string, string>();
  for (const row of result.rows) {
    ids.set(row.ref, row.id);
    outcome.set(row.ref, { created: row.inserted, containersChanged: false });
  }
  return ids;
}

/**
 * The group's live containments in its slots become exactly what the records say: containers
 * named for the first time are recorded (a title only where none is known), the others end.
 * Returns the references whose containments changed.
 */
async function placeItems(
  tx: Tx,
  workspaceId: string,
  rows: SyncedRow[],
  slots: ContainerSlot[],
  itemIds: Map<string, string>,
  at: Date,
): Promise<Set<string>> {
  const named = new Map<string, string | null>();
  const wanted: { item: string; slot: ContainerSlot; container: string }[] = [];
  for (const row of rows) {
    const item = itemIds.get(row.ref);
    if (!item) continue;
    for (const slot of slots) {
      for (const read of row.containers[slot] ?? []) {
        if (!named.has(read.ref) || (named.get(read.ref) === null && read.title)) named.set(read.ref, read.title);
        wanted.push({ item, slot, container: read.ref });
      }
    }
  }
  const containerIds = new Map<string, string>();
  if (named.size) {
    const containerRefs = [...named.keys()];
    const parsed = containerRefs.map((r) => ticketRef(r));
    const made = await tx.execute<{ id: string; ref: string }>(sql`
      insert into work_items as w (workspace_id, ref, kind, source, host, key, project, title, first_seen_at, last_seen_at)
      select ${workspaceId}::uuid, u.ref, 'container', u.source, u.host, u.key, u.project, coalesce(u.title, ''),
        ${at}::timestamptz, ${at}::timestamptz
      from unnest(${textArray(containerRefs)}, ${textArray(parsed.map((r) => r.source))},
        ${textArray(parsed.map((r) => r.host))}, ${textArray(parsed.map((r) => r.key))},
        ${textArray(parsed.map((r) => projectOfRef(r)))}, ${textArray(containerRefs.map((r) => named.get(r) ?? null))})
        as u(ref, source, host, key, project, title)
      on conflict (workspace_id, ref) do update set title = coalesce(nullif(w.title, ''), excluded.title)
      returning id, ref`);
    for (const row of made.rows) containerIds.set(row.ref, row.id);
  }
  const items = rows.flatMap((r) => itemIds.get(r.ref) ?? []);
  const pairs = wanted.filter((w) => containerIds.has(w.container));
  const pairItems = textArray(pairs.map((p) => p.item));
  const pairSlots = textArray(pairs.map((p) => p.slot));
  const pairContainers = textArray(pairs.map((p) => containerIds.get(p.container) as string));
  const ended = await tx.execute<{ item_id: string }>(sql`
    update containments c set ended_at = ${at}::timestamptz
    where c.item_id = any(${textArray(items)}::uuid[]) and c.slot = any(${textArray(slots)})
      and c.ended_at is null
      and not exists (select 1 from unnest(${pairItems}::uuid[], ${pairSlots}, ${pairContainers}::uuid[]) as p(item, slot, container)
        where p.item = c.item_id and p.slot = c.slot and p.container = c.container_id)
    returning c.item_id`);
  const started = pairs.length
    ? await tx.execute<{ item_id: string }>(sql`
      insert into containments (workspace_id, item_id, container_id, slot, started_at)
      select distinct ${workspaceId}::uuid, p.item, p.container, p.slot, ${at}::timestamptz
      from unnest(${pairItems}::uuid[], ${pairSlots}, ${pairContainers}::uuid[]) as p(item, slot, container)
      on conflict (item_id, slot, container_id) where ended_at is null do nothing
      returning item_id`)
    : { rows: [] };
  const changedIds = new Set([...ended.rows, ...started.rows].map((r) => r.item_id));
  return new Set(rows.filter((r) => changedIds.has(itemIds.get(r.ref) ?? '')).map((r) => r.ref));
}
