/** Link writes: the hottest write, a ticket and its link in one statement. */
import { sql } from 'drizzle-orm';
import { projectOfRef } from '../lib/shared/contract';
import type { Db } from './db';
import type { links } from './db/schema';
import { itemKindOf, ticketRef } from './queries';
import type { TicketContexts } from './ticket-context';

type LinkRow = typeof links.$inferSelect;

/**
 * Records the ticket if no page has yet, and links it: one statement, so one round trip and one
 * commit, with the change notices sent by that commit. Drizzle's builder cost more CPU than the
 * database on this, the hottest write, hence SQL by hand. Returns the link, or null when a live
 * link of the ticket to the objective (or one with the idempotency key) already exists.
 */
export async function createLink(
  db: Db,
  contexts: TicketContexts,
  input: {
    workspaceId: string;
    ref: string;
    objectiveId: string;
    keyResultId: string | null;
    weight: number | null;
    idempotencyKey: string | null;
    idempotencyFingerprint: string | null;
    createdById: string;
    at: Date;
  },
): Promise<{ workItemId: string; link: LinkRow | null }> {
  const { workspaceId, ref: refString, at } = input;
  const ref = ticketRef(refString);
  const { ticket: ticketNotice, project: projectNotice } = contexts.linkNotices(workspaceId, refString);
  const result = await db.execute<Record<string, unknown>>(sql`
    with item as (
      insert into work_items (workspace_id, ref, kind, source, host, key, project, first_seen_at, last_seen_at)
      values (${workspaceId}, ${refString}, ${itemKindOf(ref)}, ${ref.source}, ${ref.host}, ${ref.key}, ${projectOfRef(ref)}, ${at}, ${at})
      on conflict (workspace_id, ref) do update set last_seen_at = work_items.last_seen_at
      returning id, project
    ), link as (
      insert into links (workspace_id, work_item_id, objective_id, key_result_id, weight, idempotency_key, idempotency_fingerprint, created_by_id, created_at)
      select ${workspaceId}, item.id, ${input.objectiveId}, ${input.keyResultId}, ${input.weight}, ${input.idempotencyKey}, ${input.idempotencyFingerprint}, ${input.createdById}, ${at}
      from item
      on conflict do nothing
      returning *
    ), notice as (
      select pg_notify(${ticketNotice.channel}, ${ticketNotice.payload}) from link
      union all
      select pg_notify(${projectNotice.channel}, ${projectNotice.payload} || item.project)
      from link, item where item.project is not null
    )
    select item.id as item_id, item.project as item_project, (select count(*) from notice) as notices, link.*
    from item left join link on true`);
  const row = result.rows[0] as Record<string, unknown>;
  if (!row.id) return { workItemId: row.item_id as string, link: null };
  contexts.linkCreated(workspaceId, refString, (row.item_project as string | null) ?? null);
  return {
    workItemId: row.item_id as string,
    link: {
      id: row.id as string,
      workspaceId,
      workItemId: row.work_item_id as string,
      objectiveId: row.objective_id as string,
      keyResultId: row.key_result_id as string | null,
      weight: row.weight as number | null,
      idempotencyKey: row.idempotency_key as string | null,
      idempotencyFingerprint: row.idempotency_fingerprint as string | null,
      createdById: row.created_by_id as string | null,
      createdAt: new Date(row.created_at as string),
      endedAt: null,
      endedById: null,
    },
  };
}
