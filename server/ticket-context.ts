/**
 * The ticket-context read, the API's hottest path: every sidebar view of every ticket asks it.
 * A ticket's record and live links, and the link counts of its project, are cached in memory
 * (NotifiedCache) and assembled with the workspace's objectives (ObjectiveCatalog) per request.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { isObjectiveCurrent, staleReason, verdictOf } from '../lib/server/metrics';
import { rankSuggestions } from '../lib/server/suggest';
import {
  type ContainerSlot,
  type InheritedFrom,
  type PersonRef,
  projectOfRef,
  type Suggestion,
  type WorkItemContext,
} from '../lib/shared/contract';
import { parseRef } from '../lib/shared/ref';
import { type AsanaPlace, inScope, trackingTarget } from '../lib/shared/scope';
import type { CatalogObjective, ObjectiveCatalog } from './catalog';
import { type ChangeFeed, Channel } from './changes';
import type { Db } from './db';
import { containments, linkExceptions, links, users, workItems } from './db/schema';
import { NotifiedCache } from './notified-cache';
import { iso, ticketRef, toWorkItem } from './queries';
import { placeOf, type ScopeCatalog } from './scope';

type WorkItemRow = typeof workItems.$inferSelect;
type LinkRow = typeof links.$inferSelect;
interface ContainerRow {
  ref: string;
  slot: ContainerSlot;
  title: string;
  url: string | null;
}
interface ExceptionRow {
  id: string;
  objectiveId: string;
  createdAt: string;
  createdBy: PersonRef | null;
}
interface TicketRows {
  item: WorkItemRow | undefined;
  links: { link: LinkRow; createdBy: PersonRef | null }[];
  /** Where the ticket sits now. */
  containers: ContainerRow[];
  /** Its standing "not for this goal" exceptions. */
  exceptions: ExceptionRow[];
}

// Prepared once per connection: the hot queries skip parsing and planning.
function preparedQueries(db: Db) {
  return {
    itemWithLiveLinks: db
      .select({
        item: workItems,
        link: links,
        createdBy: { id: users.id, name: users.name },
        containers: sql<ContainerRow[]>`(select coalesce(json_agg(json_build_object(
            'ref', w.ref, 'slot', c.slot, 'title', w.title, 'url', w.url) order by c.started_at, c.container_id), '[]')
          from ${containments} c join ${workItems} w on w.id = c.container_id
          where c.item_id = ${workItems.id} and c.ended_at is null)`,
        exceptions: sql<ExceptionRow[]>`(select coalesce(json_agg(json_build_object(
            'id', e.id, 'objectiveId', e.objective_id, 'createdAt', e.created_at,
            'createdBy', case when u.id is null then null else json_build_object('id', u.id, 'name', u.name) end)), '[]')
          from ${linkExceptions} e left join ${users} u on u.id = e.created_by_id
          where e.item_id = ${workItems.id} and e.ended_at is null)`,
      })
      .from(workItems)
      .leftJoin(links, and(eq(links.workItemId, workItems.id), isNull(links.endedAt)))
      .leftJoin(users, eq(users.id, links.createdById))
      .where(and(eq(workItems.workspaceId, sql.placeholder('workspaceId')), eq(workItems.ref, sql.placeholder('ref'))))
      .prepare('context_item_with_live_links'),
    projectLinkCounts: db
      .select({ objectiveId: links.objectiveId, count: sql<number>`count(*)::int` })
      .from(links)
      .innerJoin(workItems, eq(workItems.id, links.workItemId))
      .where(
        and(
          eq(links.workspaceId, sql.placeholder('workspaceId')),
          isNull(links.endedAt),
          eq(workItems.workspaceId, sql.placeholder('workspaceId')),
          eq(workItems.project, sql.placeholder('project')),
        ),
      )
      .groupBy(links.objectiveId)
      .prepare('context_project_link_counts'),
  };
}

const key = (workspaceId: string, name: string) => `${workspaceId} ${name}`;

export class TicketContexts {
  private queries: ReturnType<typeof preparedQueries>;
  private tickets: NotifiedCache<TicketRows>;
  private projects: NotifiedCache<Map<string, number>>;

  constructor(
    private db: Db,
    feed: ChangeFeed,
    private catalog: ObjectiveCatalog,
    private scope: ScopeCatalog,
  ) {
    this.queries = preparedQueries(db);
    this.tickets = new NotifiedCache(feed, Channel.workItemChanged, { ttlMs: 10 * 60_000, maxEntries: 100_000 });
    // Counts feed only suggestions; a ticket moved to another project may lag by the TTL.
    this.projects = new NotifiedCache(feed, Channel.projectLinksChanged, { ttlMs: 60_000, maxEntries: 10_000 });
  }

  private ticketRows(workspaceId: string, ref: string): Promise<TicketRows> {
    return this.tickets.get(key(workspaceId, ref), async () => {
      const rows = await this.queries.itemWithLiveLinks.execute({ workspaceId, ref });
      return {
        item: rows[0]?.item,
        links: rows.flatMap(({ link, createdBy }) => (link ? [{ link, createdBy }] : [])),
        containers: rows[0]?.containers ?? [],
        exceptions: rows[0]?.exceptions ?? [],
      };
    });
  }

  private projectLinkCounts(workspaceId: string, project: string): Promise<Map<string, number>> {
    return this.projects.get(key(workspaceId, project), async () => {
      const rows = await this.queries.projectLinkCounts.execute({ workspaceId, project });
      return new Map(rows.map((r) => [r.objectiveId, r.count]));
    });
  }

  /**
   * A page recorded the ticket: the cached record becomes the new one (unless a newer one is
   * there), links unchanged; a record that moved it between containers drops what was cached.
   */
  recorded(workspaceId: string, item: WorkItemRow, containersChanged: boolean): Promise<void> {
    if (containersChanged) return this.tickets.invalidate(this.db, key(workspaceId, item.ref));
    return this.tickets.update(this.db, key(workspaceId, item.ref), (rows) =>
      rows.item && rows.item.lastSeenAt > item.lastSeenAt ? rows : { ...rows, item },
    );
  }

  /** Where the ticket lives as far as the scope asks (an Asana task's projects), as recorded. */
  async place(workspaceId: string, ref: string): Promise<AsanaPlace> {
    return placeOf((await this.ticketRows(workspaceId, ref)).containers);
  }

  /** A "not for this goal" exception of the ticket began or ended. */
  exceptionChanged(workspaceId: string, ref: string): Promise<void> {
    return this.tickets.invalidate(this.db, key(workspaceId, ref));
  }

  /**
   * The ticket's containers above it, nearest first, each read through the same cache as a ticket
   * (a container's links change by the same notices). A cycle ends where it comes back.
   */
  private async ancestors(workspaceId: string, ref: string, rows: TicketRows) {
    const seen = new Set([ref]);
    /** `blocked`: objectives a container between marks "not for this goal", which pass no further down. */
    const found: { container: ContainerRow; rows: TicketRows; blocked: Set<string> }[] = [];
    let frontier = rows.containers.map((container) => ({ container, blocked: new Set<string>() }));
    // Each container once, by the first path that reaches it; a cycle ends where it comes back.
    while (frontier.length > 0) {
      const fresh = frontier.filter(({ container }) => {
        if (seen.has(container.ref)) return false;
        seen.add(container.ref);
        return true;
      });
      const read = await Promise.all(fresh.map(({ container }) => this.ticketRows(workspaceId, container.ref)));
      frontier = [];
      fresh.forEach(({ container, blocked }, i) => {
        const above = read[i] as TicketRows;
        found.push({ container, rows: above, blocked });
        const passing = new Set([...blocked, ...above.exceptions.map((e) => e.objectiveId)]);
        frontier.push(...above.containers.map((next) => ({ container: next, blocked: passing })));
      });
    }
    return found;
  }

  /** A link of the ticket ended. */
  async linkEnded(workspaceId: string, ref: string, project: string | null): Promise<void> {
    await this.tickets.invalidate(this.db, key(workspaceId, ref));
    if (project) await this.projects.invalidate(this.db, key(workspaceId, project));
  }

  /** The notices a link insert sends with its commit, so that every process drops what it cached. */
  linkNotices(workspaceId: string, ref: string) {
    return { ticket: this.tickets.notice(key(workspaceId, ref)), project: this.projects.notice(key(workspaceId, '')) };
  }

  /** A link of the ticket was made here: this process drops what it cached at once. */
  linkCreated(workspaceId: string, ref: string, project: string | null): void {
    this.tickets.forget(key(workspaceId, ref));
    if (project) this.projects.forget(key(workspaceId, project));
  }

  async load(workspaceId: string, refString: string, at: Date): Promise<Omit<WorkItemContext, 'canDeclareScope'>> {
    const ref = ticketRef(refString);
    const [rows, catalog, scope] = await Promise.all([
      this.ticketRows(workspaceId, refString),
      this.catalog.get(workspaceId),
      this.scope.get(workspaceId),
    ]);
    const { item } = rows;
    if (!inScope(scope, ref, placeOf(rows.containers))) {
      // Not the company's work: nothing to warn about, nothing to suggest.
      return {
        ref: refString,
        item: item ? toWorkItem(item) : null,
        links: [],
        verdict: 'unaligned',
        suggestions: [],
        containers: rows.containers.map(({ ref, slot, title }) => ({ ref, slot, title })),
        exceptions: [],
        inScope: false,
        track: trackingTarget(ref, placeOf(rows.containers)),
      };
    }
    const now = at.getTime();
    const own = rows.links.flatMap(({ link, createdBy }) => {
      const entry = catalog.byId.get(link.objectiveId);
      return entry ? [{ link, createdBy, entry, inheritedFrom: null as InheritedFrom | null }] : [];
    });
    // Per objective its own link first, then the nearest container's; an exception removes it.
    const served = new Set([...own.map(({ link }) => link.objectiveId), ...rows.exceptions.map((e) => e.objectiveId)]);
    const inherited: typeof own = [];
    for (const ancestor of await this.ancestors(workspaceId, refString, rows)) {
      const ancestorRef = parseRef(ancestor.container.ref);
      // A container outside the scope passes nothing down (the containers above it still do).
      if (!ancestorRef.ok || !inScope(scope, ancestorRef.ref, placeOf(ancestor.rows.containers))) continue;
      for (const { link, createdBy } of ancestor.rows.links) {
        const entry = catalog.byId.get(link.objectiveId);
        if (!entry || served.has(link.objectiveId) || ancestor.blocked.has(link.objectiveId)) continue;
        served.add(link.objectiveId);
        const { ref: containerRef, slot, title, url } = ancestor.container;
        inherited.push({ link, createdBy, entry, inheritedFrom: { ref: containerRef, slot, title, url } });
      }
    }
    const linked = [...own, ...inherited];
    const contextLinks = linked.map(({ link, createdBy, entry, inheritedFrom }) => ({
      id: link.id,
      objective: entry.summary,
      keyResult: entry.objective.keyResults.find((kr) => kr.id === link.keyResultId) ?? null,
      weight: link.weight,
      stale: staleReason(entry.metric, now),
      createdAt: iso(link.createdAt),
      createdBy,
      inheritedFrom,
    }));
    const verdict = verdictOf(
      linked.map(({ link }) => ({
        itemId: link.workItemId,
        objectiveId: link.objectiveId,
        weight: link.weight,
        createdAt: link.createdAt.getTime(),
        endedAt: null,
      })),
      new Map(linked.map(({ entry }) => [entry.objective.id, entry.metric])),
      now,
    );
    const exceptions = rows.exceptions.flatMap((e) => {
      const entry = catalog.byId.get(e.objectiveId);
      return entry
        ? [
            {
              id: e.id,
              ref: refString,
              title: item?.title ?? '',
              url: item?.url ?? null,
              objective: entry.summary,
              createdAt: new Date(e.createdAt).toISOString(),
              createdBy: e.createdBy,
              endedAt: null,
            },
          ]
        : [];
    });

    let suggestions: Suggestion[] = [];
    if (verdict !== 'aligned') {
      const linkedIds = new Set(linked.map(({ entry }) => entry.objective.id));
      const candidates = catalog.list.filter(
        (o) => !linkedIds.has(o.objective.id) && isObjectiveCurrent(o.metric, now),
      );
      const project = item?.project ?? projectOfRef(ref);
      const counts = project && candidates.length ? await this.projectLinkCounts(workspaceId, project) : new Map();
      suggestions = rankSuggestions({
        title: item?.title ?? '',
        project,
        candidates: candidates.map((o) => o.candidate),
        projectLinkCounts: counts,
      }).map((s) => ({
        objective: (catalog.byId.get(s.id) as CatalogObjective).summary,
        score: s.score,
        reasons: s.reasons,
      }));
    }
    return {
      ref: refString,
      item: item ? toWorkItem(item) : null,
      links: contextLinks,
      verdict,
      suggestions,
      containers: rows.containers.map(({ ref, slot, title }) => ({ ref, slot, title })),
      exceptions,
      inScope: true,
      track: null,
    };
  }
}
