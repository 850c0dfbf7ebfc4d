/**
 * The ticket-context read, the API's hottest path: every sidebar view of every ticket asks it.
 * A ticket's record and live links, and the link counts of its project, are cached in memory
 * (NotifiedCache) and assembled with the workspace's objectives (ObjectiveCatalog) per request.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { isObjectiveCurrent, staleReason, verdictOf } from '../lib/server/metrics';
import { rankSuggestions } from '../lib/server/suggest';
import { projectOfRef, type Suggestion, type WorkItemContext } from '../lib/shared/contract';
import { inScope, trackingTarget } from '../lib/shared/scope';
import type { CatalogObjective, ObjectiveCatalog } from './catalog';
import { type ChangeFeed, Channel } from './changes';
import type { Db } from './db';
import { links, users, workItems } from './db/schema';
import { NotifiedCache } from './notified-cache';
import { iso, ticketRef, toWorkItem } from './queries';
import type { ScopeCatalog } from './scope';

type WorkItemRow = typeof workItems.$inferSelect;
type LinkRow = typeof links.$inferSelect;
interface TicketRows {
  item: WorkItemRow | undefined;
  links: { link: LinkRow; createdBy: { id: string; name: string } | null }[];
}

// Prepared once per connection: the hot queries skip parsing and planning.
function preparedQueries(db: Db) {
  return {
    itemWithLiveLinks: db
      .select({ item: workItems, link: links, createdBy: { id: users.id, name: users.name } })
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
      };
    });
  }

  private projectLinkCounts(workspaceId: string, project: string): Promise<Map<string, number>> {
    return this.projects.get(key(workspaceId, project), async () => {
      const rows = await this.queries.projectLinkCounts.execute({ workspaceId, project });
      return new Map(rows.map((r) => [r.objectiveId, r.count]));
    });
  }

  /** A page recorded the ticket: the cached record becomes the new one (unless a newer one is there), links unchanged. */
  recorded(workspaceId: string, item: WorkItemRow): Promise<void> {
    return this.tickets.update(this.db, key(workspaceId, item.ref), (rows) =>
      rows.item && rows.item.lastSeenAt > item.lastSeenAt ? rows : { ...rows, item },
    );
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
    if (!inScope(scope, ref)) {
      // Not the company's work: nothing to warn about, nothing to suggest.
      return {
        ref: refString,
        item: item ? toWorkItem(item) : null,
        links: [],
        verdict: 'unaligned',
        suggestions: [],
        inScope: false,
        track: trackingTarget(ref),
      };
    }
    const now = at.getTime();
    const linked = rows.links.flatMap(({ link, createdBy }) => {
      const entry = catalog.byId.get(link.objectiveId);
      return entry ? [{ link, createdBy, entry }] : [];
    });
    const contextLinks = linked.map(({ link, createdBy, entry }) => ({
      id: link.id,
      objective: entry.summary,
      keyResult: entry.objective.keyResults.find((kr) => kr.id === link.keyResultId) ?? null,
      weight: link.weight,
      stale: staleReason(entry.metric, now),
      createdAt: iso(link.createdAt),
      createdBy,
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
      inScope: true,
      track: null,
    };
  }
}
