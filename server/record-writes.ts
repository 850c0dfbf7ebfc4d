/**
 * Recording what a source says of a ticket. Every field keeps where it came from and when
 * (`work_items.field_sources`), and a weaker source never overwrites a stronger one: a page read
 * fills what no host API said, and leaves alone what one did. A field a record leaves out keeps
 * its value, whoever set it.
 */
import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { WorkItemRecord } from '../lib/shared/contract';
import { CONTAINER_SLOTS, projectOfRef } from '../lib/shared/ref';
import { recordContainers } from './containments';
import type { Db } from './db';
import { workItems } from './db/schema';
import { itemKindOf, ticketRef } from './queries';

/** Who says it, weakest first: what a page showed, then what the host's API answered. */
export const RECORD_SOURCES = ['page', 'api'] as const;
export type RecordSource = (typeof RECORD_SOURCES)[number];
const rankOf = (source: RecordSource) => RECORD_SOURCES.indexOf(source) + 1;

type WorkItemRow = typeof workItems.$inferSelect;

/** Whether the field's value came from a stronger source than `source`, so it stays. */
function heldAgainst(field: string, source: RecordSource): SQL {
  // Ranks are this module's own small integers, written into the statement so that they are typed as such.
  const cases = RECORD_SOURCES.map((s) => sql`when ${s}::text then ${sql.raw(String(rankOf(s)))}`);
  return sql`coalesce(case ${workItems.fieldSources}->${field}::text->>'source' ${sql.join(cases, sql` `)} end, 0) > ${sql.raw(String(rankOf(source)))}`;
}

export async function recordWorkItem(
  db: Db,
  input: { workspaceId: string; ref: string; record: WorkItemRecord; source: RecordSource; at: Date },
): Promise<{ item: WorkItemRow; inserted: boolean; containersChanged: boolean }> {
  const { workspaceId, record, source, at } = input;
  const ref = ticketRef(input.ref);
  const fields = {
    ...(record.url !== undefined && { url: record.url }),
    ...(record.title !== undefined && { title: record.title }),
    ...(record.state !== undefined && { state: record.state }),
    ...(record.assignees !== undefined && { assignees: record.assignees }),
    ...(record.project !== undefined && { project: record.project }),
    ...(record.estimate !== undefined && { estimate: record.estimate }),
  };
  const columns = getTableColumns(workItems);
  const said = [
    ...Object.keys(fields),
    ...(record.closed !== undefined ? ['closed'] : []),
    ...CONTAINER_SLOTS.filter((slot) => record.containers?.[slot] !== undefined).map((slot) => `containers.${slot}`),
  ];
  const stamp = { source, at: at.toISOString() };
  const updates: Partial<Record<keyof typeof columns, SQL>> = {};
  for (const [name, value] of Object.entries(fields)) {
    const column = columns[name as keyof typeof fields];
    // As one parameter, encoded as the column encodes it (an array stays one text[] value).
    updates[name as keyof typeof fields] =
      sql`case when ${heldAgainst(name, source)} then ${column} else ${sql.param(value, column)} end`;
  }
  if (record.closed !== undefined) {
    const closedAt = record.closed ? sql`coalesce(${workItems.closedAt}, ${at})` : sql`null`;
    updates.closedAt = sql`case when ${heldAgainst('closed', source)} then ${workItems.closedAt} else ${closedAt} end`;
  }
  const sourcesSaid = said.map(
    (field) =>
      sql`${field}::text, case when ${heldAgainst(field, source)} then ${workItems.fieldSources}->${field}::text else ${JSON.stringify(stamp)}::jsonb end`,
  );
  const fieldSources = said.length
    ? sql`${workItems.fieldSources} || jsonb_build_object(${sql.join(sourcesSaid, sql`, `)})`
    : sql`${workItems.fieldSources}`;

  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(workItems)
      .values({
        workspaceId,
        ref: input.ref,
        kind: itemKindOf(ref),
        ...ref,
        project: projectOfRef(ref),
        ...fields,
        closedAt: record.closed ? at : null,
        fieldSources: Object.fromEntries(said.map((field) => [field, stamp])),
        firstSeenAt: at,
        lastSeenAt: at,
      })
      .onConflictDoUpdate({
        target: [workItems.workspaceId, workItems.ref],
        // Recorded by a source: a ticket first named as another's parent or epic is work of its own now.
        set: { ...updates, kind: itemKindOf(ref), fieldSources, lastSeenAt: at },
      })
      .returning({ ...columns, inserted: sql<boolean>`(xmax = 0)` });
    const { inserted, ...item } = row as WorkItemRow & { inserted: boolean };
    // Container slots a stronger source holds stay as it said.
    const sources = item.fieldSources as Partial<Record<string, { source: string }>>;
    const containers = Object.fromEntries(
      CONTAINER_SLOTS.filter(
        (slot) => record.containers?.[slot] !== undefined && sources[`containers.${slot}`]?.source === source,
      ).map((slot) => [slot, record.containers?.[slot]]),
    );
    const containersChanged = await recordContainers(tx, workspaceId, item.id, containers, at);
    return { item, inserted, containersChanged };
  });
}
