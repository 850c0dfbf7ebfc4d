import { createRoute } from '@hono/zod-openapi';
import { and, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  formatRef,
  parseRef,
  projectOfRef,
  type TicketRef,
  WorkItem,
  WorkItemContext,
  WorkItemRecord,
  WorkItemRef,
} from '../../lib/contract';
import { type MetricLink, staleReason, verdictOf } from '../../lib/metrics';
import { rankSuggestions } from '../../lib/suggest';
import type { Deps } from '../app';
import type { Db } from '../db';
import { links, objectives, workItems } from '../db/schema';
import { iso, linksQuery, loadObjectives, summarize, toMetricObjective, toWorkItem } from '../queries';
import { errorResponses, json, jsonBody, router } from './router';

const RefParam = z.object({ ref: WorkItemRef });

export function ticketRef(value: string): TicketRef {
  const parsed = parseRef(value);
  if (!parsed.ok) throw new Error(`unvalidated reference ${value}`);
  return parsed.ref;
}

/** Creates the item if the API has never seen it, so links can be made before a page records it. */
export async function ensureWorkItem(db: Db, workspaceId: string, ref: TicketRef, at: Date): Promise<string> {
  const refString = formatRef(ref);
  const [inserted] = await db
    .insert(workItems)
    .values({
      workspaceId,
      ref: refString,
      ...ref,
      project: projectOfRef(ref),
      firstSeenAt: at,
      lastSeenAt: at,
    })
    .onConflictDoNothing()
    .returning({ id: workItems.id });
  if (inserted) return inserted.id;
  const [existing] = await db
    .select({ id: workItems.id })
    .from(workItems)
    .where(and(eq(workItems.workspaceId, workspaceId), eq(workItems.ref, refString)));
  return (existing as { id: string }).id;
}

export async function loadContext(db: Db, workspaceId: string, refString: string, at: Date): Promise<WorkItemContext> {
  const ref = ticketRef(refString);
  const [item] = await db
    .select()
    .from(workItems)
    .where(and(eq(workItems.workspaceId, workspaceId), eq(workItems.ref, refString)));

  const liveLinks = item
    ? await linksQuery(db).where(
        and(eq(links.workspaceId, workspaceId), eq(links.workItemId, item.id), isNull(links.endedAt)),
      )
    : [];
  const objectiveIds = [...new Set(liveLinks.map((l) => l.link.objectiveId))];
  const linked = objectiveIds.length
    ? await loadObjectives(db, workspaceId, [sql`${objectives.id} in ${objectiveIds}`])
    : [];
  const byId = new Map(linked.map((o) => [o.id, o]));
  const metricObjectives = new Map(linked.map((o) => [o.id, toMetricObjective(o)]));
  const metricLinks: MetricLink[] = liveLinks.map(({ link }) => ({
    itemId: link.workItemId,
    objectiveId: link.objectiveId,
    weight: link.weight,
    createdAt: link.createdAt.getTime(),
    endedAt: null,
  }));
  const now = at.getTime();
  const verdict = verdictOf(metricLinks, metricObjectives, now);

  const contextLinks = liveLinks.flatMap(({ link, createdBy }) => {
    const objective = byId.get(link.objectiveId);
    if (!objective) return [];
    const keyResult = objective.keyResults.find((kr) => kr.id === link.keyResultId) ?? null;
    return [
      {
        id: link.id,
        objective: summarize(objective),
        keyResult,
        weight: link.weight,
        stale: staleReason(toMetricObjective(objective), now),
        createdAt: iso(link.createdAt),
        createdBy,
      },
    ];
  });

  const suggestions = verdict === 'aligned' ? [] : await suggest(db, workspaceId, item, ref, objectiveIds, now);
  return { ref: refString, item: item ? toWorkItem(item) : null, links: contextLinks, verdict, suggestions };
}

async function suggest(
  db: Db,
  workspaceId: string,
  item: typeof workItems.$inferSelect | undefined,
  ref: TicketRef,
  alreadyLinked: string[],
  now: number,
) {
  const today = new Date(now).toISOString().slice(0, 10);
  const open = await loadObjectives(db, workspaceId, [
    eq(objectives.status, 'active'),
    sql`${objectives.periodId} in (select id from periods where workspace_id = ${workspaceId} and starts_on <= ${today} and ends_on >= ${today})`,
  ]);
  const candidates = open.filter((o) => !alreadyLinked.includes(o.id));
  if (candidates.length === 0) return [];
  const project = item?.project ?? projectOfRef(ref);
  const projectLinkCounts = new Map<string, number>();
  if (project) {
    const rows = await db
      .select({ objectiveId: links.objectiveId, count: sql<number>`count(*)::int` })
      .from(links)
      .innerJoin(workItems, eq(workItems.id, links.workItemId))
      .where(
        and(
          eq(links.workspaceId, workspaceId),
          isNull(links.endedAt),
          eq(workItems.workspaceId, workspaceId),
          eq(workItems.project, project),
        ),
      )
      .groupBy(links.objectiveId);
    for (const row of rows) projectLinkCounts.set(row.objectiveId, row.count);
  }
  const byId = new Map(candidates.map((o) => [o.id, o]));
  return rankSuggestions({
    title: item?.title ?? '',
    project,
    candidates: candidates.map((o) => ({
      id: o.id,
      title: o.title,
      description: o.description,
      keyResultTitles: o.keyResults.map((kr) => kr.title),
      priorityWeight: o.priorityWeight,
    })),
    projectLinkCounts,
  }).map((s) => ({
    objective: summarize(byId.get(s.id) as NonNullable<ReturnType<typeof byId.get>>),
    score: s.score,
    reasons: s.reasons,
  }));
}

export function workItemRoutes({ db, now }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'put',
        path: '/v1/work-items/{ref}',
        summary: 'Record what a page shows of a ticket; fields left out keep their value',
        description: 'The reference is `source:host/key`, URL-encoded, e.g. `github%3Agithub.com%2Focto%2Fapi%2342`.',
        request: { params: RefParam, ...jsonBody(WorkItemRecord) },
        responses: {
          200: json(WorkItem, 'The ticket, updated'),
          201: json(WorkItem, 'The ticket, first seen now'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const { workspaceId } = c.get('caller');
        const refString = c.req.valid('param').ref;
        const ref = ticketRef(refString);
        const record = c.req.valid('json');
        const at = now();
        const fields = {
          ...(record.url !== undefined && { url: record.url }),
          ...(record.title !== undefined && { title: record.title }),
          ...(record.state !== undefined && { state: record.state }),
          ...(record.assignees !== undefined && { assignees: record.assignees }),
          ...(record.project !== undefined && { project: record.project }),
          ...(record.estimate !== undefined && { estimate: record.estimate }),
        };
        const closedAt =
          record.closed === undefined
            ? sql`${workItems.closedAt}`
            : record.closed
              ? sql`coalesce(${workItems.closedAt}, ${at})`
              : null;
        const [row] = await db
          .insert(workItems)
          .values({
            workspaceId,
            ref: refString,
            ...ref,
            project: projectOfRef(ref),
            ...fields,
            closedAt: record.closed ? at : null,
            firstSeenAt: at,
            lastSeenAt: at,
          })
          .onConflictDoUpdate({
            target: [workItems.workspaceId, workItems.ref],
            set: { ...fields, closedAt, lastSeenAt: at },
          })
          .returning({ ...getTableColumns(workItems), inserted: sql<boolean>`(xmax = 0)` });
        const { inserted, ...item } = row as typeof workItems.$inferSelect & { inserted: boolean };
        return c.json(toWorkItem(item), inserted ? 201 : 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/work-items/{ref}/context',
        summary: 'A ticket with its live links, verdict (aligned, unaligned, stale) and suggested objectives',
        request: { params: RefParam },
        responses: { 200: json(WorkItemContext, 'The ticket’s goal context'), ...errorResponses },
      }),
      async (c) => c.json(await loadContext(db, c.get('caller').workspaceId, c.req.valid('param').ref, now()), 200),
    );
}
