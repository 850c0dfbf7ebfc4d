import type { MetricObjective } from '../lib/server/metrics';
import { candidateWords, type SuggestionCandidate } from '../lib/server/suggest';
import type { Objective, ObjectiveSummary } from '../lib/shared/contract';
import { type ChangeFeed, Channel } from './changes';
import type { Db } from './db';
import { NotifiedCache } from './notified-cache';
import { loadObjectives, summarize, toMetricObjective } from './queries';

/** An objective with what every read derives from it, derived once per change. */
export interface CatalogObjective {
  objective: Objective;
  summary: ObjectiveSummary;
  metric: MetricObjective;
  candidate: SuggestionCandidate;
}

export interface CatalogEntry {
  list: CatalogObjective[];
  byId: Map<string, CatalogObjective>;
}

/**
 * Each workspace's objectives with their key results, kept in memory: every ticket-context read
 * and every link needs them, and they change seldom.
 */
export class ObjectiveCatalog {
  private cache: NotifiedCache<CatalogEntry>;

  constructor(
    private db: Db,
    feed: ChangeFeed,
  ) {
    this.cache = new NotifiedCache(feed, Channel.objectivesChanged, { ttlMs: 5 * 60_000, maxEntries: 1_000 });
  }

  get(workspaceId: string): Promise<CatalogEntry> {
    return this.cache.get(workspaceId, async () => {
      const list = (await loadObjectives(this.db, workspaceId)).map((objective) => {
        const candidate = {
          id: objective.id,
          title: objective.title,
          description: objective.description,
          keyResultTitles: objective.keyResults.map((kr) => kr.title),
          priorityWeight: objective.priorityWeight,
        };
        return {
          objective,
          summary: summarize(objective),
          metric: toMetricObjective(objective),
          candidate: { ...candidate, words: candidateWords(candidate) },
        };
      });
      return { list, byId: new Map(list.map((o) => [o.objective.id, o])) };
    });
  }

  /** The workspace's objectives, read afresh when `id` is missing: another process may have just made it. */
  async find(workspaceId: string, id: string): Promise<CatalogObjective | undefined> {
    const cached = (await this.get(workspaceId)).byId.get(id);
    if (cached) return cached;
    this.cache.forget(workspaceId);
    return (await this.get(workspaceId)).byId.get(id);
  }

  /** After a write to objectives, key results, periods or the names they show. */
  changed(workspaceId: string): Promise<void> {
    return this.cache.invalidate(this.db, workspaceId);
  }
}
