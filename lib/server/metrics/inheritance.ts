/**
 * Links inherited through the ticket hierarchy: a link on a container (an epic, a parent, a
 * milestone, a label, a Project, an Asana project or section) makes every ticket under it serve
 * that objective, through any depth, for exactly the time the ticket was under it and the link was
 * live. The figures take these as links like any other, so every figure counts them by the same
 * rules, and a container's link that ends (or a ticket that leaves the container) changes no past
 * week.
 */
import type { MetricLink } from './model';

/** The ticket was under the container from `startedAt` until `endedAt` (null: still is). */
export interface Containment {
  itemId: string;
  containerId: string;
  startedAt: number;
  endedAt: number | null;
}

/** "Not for this goal": the ticket does not inherit the objective while the exception stands. */
export interface LinkException {
  itemId: string;
  objectiveId: string;
  createdAt: number;
  endedAt: number | null;
}

/** A time span, start inclusive, end exclusive (Infinity while open). */
type Span = readonly [number, number];

/** Sorted, disjoint, non-empty spans. */
function normalize(spans: Span[]): Span[] {
  const sorted = spans.filter(([from, to]) => from < to).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

function intersect(a: Span[], b: Span[]): Span[] {
  const out: Span[] = [];
  for (const [af, at] of a) {
    for (const [bf, bt] of b) {
      const from = Math.max(af, bf);
      const to = Math.min(at, bt);
      if (from < to) out.push([from, to]);
    }
  }
  return normalize(out);
}

function subtract(a: Span[], b: Span[]): Span[] {
  let rest = a;
  for (const [bf, bt] of b) {
    rest = rest.flatMap(([from, to]): Span[] => {
      if (bt <= from || bf >= to) return [[from, to]];
      const parts: Span[] = [];
      if (from < bf) parts.push([from, bf]);
      if (bt < to) parts.push([bt, to]);
      return parts;
    });
  }
  return rest;
}

const spanOf = (from: number, to: number | null): Span => [from, to ?? Number.POSITIVE_INFINITY];

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  }
  return map;
}

/**
 * When each container was above the ticket, through any path: nearest first. A cycle (A under B
 * under A) ends where it comes back; a container reached by two paths is above the ticket whenever
 * either path stands.
 */
export function ancestorSpans(
  itemId: string,
  upward: Map<string, Containment[]>,
  /** While a container stands in the way, nothing passes up through it (an exception on it). */
  blockedAt: (containerId: string) => Span[] = () => [],
): Map<string, Span[]> {
  const reach = new Map<string, Span[]>();
  const queue: { containerId: string; spans: Span[] }[] = [];
  const reachWith = (containerId: string, spans: Span[]) => {
    if (containerId === itemId) return;
    const known = reach.get(containerId) ?? [];
    const added = subtract(spans, known);
    if (added.length === 0) return;
    reach.set(containerId, normalize([...known, ...added]));
    queue.push({ containerId, spans: added });
  };
  for (const edge of upward.get(itemId) ?? []) reachWith(edge.containerId, [spanOf(edge.startedAt, edge.endedAt)]);
  // Each step adds time not reached before, over finitely many span ends, so this ends on cycles too.
  for (let next = queue.shift(); next; next = queue.shift()) {
    const passing = subtract(next.spans, blockedAt(next.containerId));
    for (const edge of upward.get(next.containerId) ?? []) {
      reachWith(edge.containerId, intersect(passing, [spanOf(edge.startedAt, edge.endedAt)]));
    }
  }
  return reach;
}

export interface Hierarchy {
  containments: readonly Containment[];
  /** Links on containers (and on tickets above others); a ticket's own links are passed separately. */
  containerLinks: readonly MetricLink[];
  exceptions: readonly LinkException[];
}

/**
 * The links an item serves through its containers, as links of its own with `via` naming the
 * container. Per objective, its own link comes first (an inherited one adds nothing while it
 * stands), then the nearest container's; an exception removes the objective while it stands.
 */
export function inheritedLinks(
  itemId: string,
  ownLinks: readonly MetricLink[],
  upward: Map<string, Containment[]>,
  linksOf: Map<string, MetricLink[]>,
  exceptionsOf: Map<string, LinkException[]>,
): MetricLink[] {
  const ancestors = ancestorSpans(itemId, upward);
  if (ancestors.size === 0) return [];
  // "Not for this goal" on a container between: the objective does not pass up through it, so the
  // tickets under it do not inherit it from above. Walked again for such objectives only.
  const exceptedAbove = new Map<string, Map<string, Span[]>>();
  for (const containerId of ancestors.keys()) {
    for (const e of exceptionsOf.get(containerId) ?? []) {
      const byContainer = exceptedAbove.get(e.objectiveId) ?? new Map<string, Span[]>();
      byContainer.set(containerId, [...(byContainer.get(containerId) ?? []), spanOf(e.createdAt, e.endedAt)]);
      exceptedAbove.set(e.objectiveId, byContainer);
    }
  }
  const reaches = new Map<string, Map<string, Span[]>>();
  const reachFor = (objectiveId: string) => {
    const blocked = exceptedAbove.get(objectiveId);
    if (!blocked) return ancestors;
    let reach = reaches.get(objectiveId);
    if (!reach) {
      reach = ancestorSpans(itemId, upward, (containerId) => normalize(blocked.get(containerId) ?? []));
      reaches.set(objectiveId, reach);
    }
    return reach;
  };
  const covered = new Map<string, Span[]>();
  for (const link of ownLinks) {
    covered.set(
      link.objectiveId,
      normalize([...(covered.get(link.objectiveId) ?? []), spanOf(link.createdAt, link.endedAt)]),
    );
  }
  for (const exception of exceptionsOf.get(itemId) ?? []) {
    const { objectiveId } = exception;
    covered.set(
      objectiveId,
      normalize([...(covered.get(objectiveId) ?? []), spanOf(exception.createdAt, exception.endedAt)]),
    );
  }
  const inherited: MetricLink[] = [];
  for (const containerId of ancestors.keys()) {
    for (const link of linksOf.get(containerId) ?? []) {
      const spans = reachFor(link.objectiveId).get(containerId) ?? [];
      const served = intersect(spans, [spanOf(link.createdAt, link.endedAt)]);
      const fresh = subtract(served, covered.get(link.objectiveId) ?? []);
      if (fresh.length === 0) continue;
      covered.set(link.objectiveId, normalize([...(covered.get(link.objectiveId) ?? []), ...fresh]));
      for (const [from, to] of fresh) {
        inherited.push({
          itemId,
          objectiveId: link.objectiveId,
          weight: link.weight,
          createdAt: from,
          endedAt: to === Number.POSITIVE_INFINITY ? null : to,
          via: containerId,
          viaLinkId: link.id,
        });
      }
    }
  }
  return inherited;
}

/** Every item's own links and those it inherits, for the figures. */
export function withInheritedLinks(
  itemIds: readonly string[],
  links: readonly MetricLink[],
  hierarchy: Hierarchy,
): MetricLink[] {
  if (hierarchy.containments.length === 0) return [...links];
  const upward = groupBy(hierarchy.containments, (c) => c.itemId);
  const own = groupBy(links, (l) => l.itemId);
  const linksOf = groupBy([...links, ...hierarchy.containerLinks], (l) => l.itemId);
  const exceptionsOf = groupBy(hierarchy.exceptions, (e) => e.itemId);
  const all = [...links];
  for (const itemId of itemIds) {
    if (!upward.has(itemId)) continue;
    all.push(...inheritedLinks(itemId, own.get(itemId) ?? [], upward, linksOf, exceptionsOf));
  }
  return all;
}
