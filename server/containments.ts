/**
 * Where a ticket sits, as reads report it: each slot a read showed replaces that slot's live
 * containments (the history keeps the ended ones), and a slot it did not show stays as known.
 */
import { and, eq, isNull, notInArray, sql } from 'drizzle-orm';
import type { ContainerReads } from '../lib/shared/contract';
import {
  CONTAINER_SLOTS,
  type ContainerKind,
  type ContainerSlot,
  containerKindOf,
  projectOfRef,
} from '../lib/shared/ref';
import type { Db } from './db';
import { containments, workItems } from './db/schema';
import { unprocessable } from './errors';
import { ticketRef } from './queries';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** What each slot may name: a ticket, or containers of these kinds (an Asana project is `project`). */
const SLOT_HOLDS: Record<ContainerSlot, 'ticket' | readonly ContainerKind[]> = {
  parent: 'ticket',
  epic: 'ticket',
  milestone: ['milestone'],
  labels: ['label'],
  projects: ['project'],
  section: ['section'],
};
const SLOT_NAMES: Record<ContainerSlot, string> = {
  parent: 'parent',
  epic: 'epic',
  milestone: 'milestone',
  labels: 'label',
  projects: 'project',
  section: 'section',
};
const describeWanted = (wanted: 'ticket' | readonly ContainerKind[]) =>
  wanted === 'ticket' ? 'a ticket' : wanted.map((kind) => `a ${kind}`).join(' or ');

/** Refuses containers that cannot hold the ticket: itself, one on another host, or one of the wrong kind for its slot. */
export function assertContainersFit(ref: string, reads: ContainerReads): void {
  const own = ticketRef(ref);
  for (const slot of CONTAINER_SLOTS) {
    (reads[slot] ?? []).forEach((read, i) => {
      const path = `body.containers.${slot}.${i}.ref`;
      if (read.ref === ref) throw unprocessable(path, 'a ticket cannot contain itself');
      const container = ticketRef(read.ref);
      if (container.source !== own.source || container.host !== own.host) {
        throw unprocessable(path, `${read.ref} is not on ${own.source}:${own.host}, where the ticket is`);
      }
      const kind = containerKindOf(container.source, container.key);
      const wanted = SLOT_HOLDS[slot];
      if ((wanted === 'ticket') !== (kind === null) || (kind !== null && !wanted.includes(kind))) {
        throw unprocessable(
          path,
          `a ${SLOT_NAMES[slot]} is ${describeWanted(wanted)}, not ${kind ? `a ${kind}` : 'a ticket'}`,
        );
      }
    });
  }
}

/**
 * Records the slots of `reads` for the item at `at`; returns whether any containment began or
 * ended. Containers are recorded as items when first named (a title fills in only where none is
 * known: the container's own page says more); a ticket among them becomes one when it is recorded.
 */
export async function recordContainers(
  tx: Tx,
  workspaceId: string,
  itemId: string,
  reads: ContainerReads,
  at: Date,
): Promise<boolean> {
  let changed = false;
  for (const slot of CONTAINER_SLOTS) {
    const read = reads[slot];
    if (read === undefined) continue;
    const unique = [...new Map(read.map((r) => [r.ref, r])).values()];
    const containerIds = unique.length
      ? (
          await tx
            .insert(workItems)
            .values(
              unique.map((r) => {
                const ref = ticketRef(r.ref);
                return {
                  workspaceId,
                  ref: r.ref,
                  // Even an epic or a parent task: named only as another's container, it is no work
                  // of its own in the figures (its state and effort unknown) until a source records it.
                  kind: 'container' as const,
                  ...ref,
                  project: projectOfRef(ref),
                  title: r.title ?? '',
                  firstSeenAt: at,
                  lastSeenAt: at,
                };
              }),
            )
            .onConflictDoUpdate({
              target: [workItems.workspaceId, workItems.ref],
              set: { title: sql`coalesce(nullif(${workItems.title}, ''), excluded.title)` },
            })
            .returning({ id: workItems.id })
        ).map((r) => r.id)
      : [];
    const ended = await tx
      .update(containments)
      .set({ endedAt: at })
      .where(
        and(
          eq(containments.itemId, itemId),
          eq(containments.slot, slot),
          isNull(containments.endedAt),
          containerIds.length ? notInArray(containments.containerId, containerIds) : undefined,
        ),
      )
      .returning({ id: containments.id });
    const started = containerIds.length
      ? await tx
          .insert(containments)
          .values(containerIds.map((containerId) => ({ workspaceId, itemId, containerId, slot, startedAt: at })))
          .onConflictDoNothing({
            target: [containments.itemId, containments.slot, containments.containerId],
            where: isNull(containments.endedAt),
          })
          .returning({ id: containments.id })
      : [];
    if (ended.length > 0 || started.length > 0) changed = true;
  }
  return changed;
}
