/**
 * What a page's read of a ticket becomes as a record for the goals API, and what a later read of
 * the same page adds to it (a host page that is still loading shows its fields one by one). Types
 * only from the contract: the content scripts carry no schema library.
 */
import { recordedContainers, type TicketDetails } from '../hosts/pages/types';
import type { WorkItemRecord } from '../shared/contract';
import { CONTAINER_SLOTS, type ContainerSlot } from '../shared/ref';

/** The fields the page shows, clipped to the contract's limits; a field it does not show is left out. */
export function pageRecord(details: TicketDetails, url: string): WorkItemRecord {
  const containers = recordedContainers(details.containers);
  return {
    url,
    ...(details.title !== null && { title: details.title.slice(0, 1000) }),
    ...(details.state !== null && { state: details.state.slice(0, 100) }),
    ...(details.closed !== null && { closed: details.closed }),
    // Not shown on this page: left out, so the recorded assignees stay (a page is a weak witness).
    ...(details.assignees !== null && { assignees: details.assignees.slice(0, 50).map((a) => a.slice(0, 200)) }),
    ...(details.project !== null && { project: details.project.slice(0, 300) }),
    ...(details.estimate !== null && { estimate: details.estimate }),
    // Only the slots the page shows: one it does not show keeps what is known of it.
    ...(containers && { containers }),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What `later` shows that `earlier` did not (a field that arrived, or one whose value changed), as a
 * record of those fields alone; null when it adds nothing. A field gone from the page is not news.
 */
export function recordAddition(earlier: WorkItemRecord, later: WorkItemRecord): WorkItemRecord | null {
  const addition: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(later)) {
    if (field === 'containers' || field === 'url') continue;
    if (!same(earlier[field as keyof WorkItemRecord], value)) addition[field] = value;
  }
  const containers = Object.fromEntries(
    CONTAINER_SLOTS.filter(
      (slot) => later.containers?.[slot] !== undefined && !same(earlier.containers?.[slot], later.containers?.[slot]),
    ).map((slot) => [slot, later.containers?.[slot]]),
  );
  if (Object.keys(containers).length) addition.containers = containers;
  return Object.keys(addition).length ? { url: later.url, ...addition } : null;
}

/** Whether the record places the ticket elsewhere than the goals API knows it: its goals may change. */
export function containersMoved(
  record: WorkItemRecord,
  known: readonly { ref: string; slot: ContainerSlot }[],
): boolean {
  return CONTAINER_SLOTS.some((slot) => {
    const said = record.containers?.[slot];
    if (said === undefined) return false;
    const knownRefs = known.filter((c) => c.slot === slot).map((c) => c.ref);
    const saidRefs = said.map((c) => c.ref);
    return knownRefs.length !== new Set(saidRefs).size || saidRefs.some((ref) => !knownRefs.includes(ref));
  });
}
