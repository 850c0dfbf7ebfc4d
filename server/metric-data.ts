/** Loads the rows the pure metrics need, scoped to a person, a team or the whole workspace. */
import { and, eq, gte, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import {
  type Hierarchy,
  type MetricData,
  type MetricItem,
  type MetricLink,
  withInheritedLinks,
} from '../lib/server/metrics';
import type { Objective } from '../lib/shared/contract';
import type { Db } from './db';
import { containments, linkExceptions, links, teams, users, workItems } from './db/schema';
import { notFound } from './errors';
import { loadObjectives, toMetricObjective } from './queries';
import { itemInScope } from './scope';

export type ScopeRequest = { person?: string; team?: string };
export interface ResolvedScope {
  kind: 'person' | 'team' | 'workspace';
  id: string | null;
  name: string;
  /** Null for the whole workspace; otherwise a condition on work_items. */
  items: SQL | null;
}

type Identity = Pick<
  typeof users.$inferSelect,
  'githubLogin' | 'jiraName' | 'jiraAccountId' | 'asanaName' | 'asanaGid'
>;

/**
 * Items assigned on their host to one of these people, by the identities each has there: the
 * host's account id where a connector recorded it (it outlives a change of name), else the name
 * a page or a connector showed.
 */
function assignedTo(people: Identity[]): SQL {
  const github = people.flatMap((p) => (p.githubLogin ? [p.githubLogin.toLowerCase()] : []));
  const jiraNames = people.flatMap((p) => [p.jiraName, p.jiraAccountId].filter((v): v is string => !!v));
  const jiraIds = people.flatMap((p) => (p.jiraAccountId ? [p.jiraAccountId] : []));
  const asanaNames = people.flatMap((p) => (p.asanaName ? [p.asanaName] : []));
  const asanaIds = people.flatMap((p) => (p.asanaGid ? [p.asanaGid] : []));
  const named = (names: string[]) => sql`exists (select 1 from unnest(${workItems.assignees}) a where a in ${names})`;
  const byId = (ids: string[]) =>
    sql`exists (select 1 from unnest(coalesce(${workItems.assigneeIds}, '{}'::text[])) i where i in ${ids})`;
  const either = (names: string[], ids: string[]) =>
    or(...(names.length ? [named(names)] : []), ...(ids.length ? [byId(ids)] : [])) as SQL;
  const clauses: SQL[] = [];
  // GitHub logins are case-insensitive; Jira and Asana names are compared as the page shows them.
  if (github.length) {
    clauses.push(
      sql`(${workItems.source} = 'github' and exists (select 1 from unnest(${workItems.assignees}) a where lower(a) in ${github}))`,
    );
  }
  if (jiraNames.length) clauses.push(sql`(${workItems.source} = 'jira' and ${either(jiraNames, jiraIds)})`);
  if (asanaNames.length || asanaIds.length) {
    clauses.push(sql`(${workItems.source} = 'asana' and ${either(asanaNames, asanaIds)})`);
  }
  return clauses.length ? (or(...clauses) as SQL) : sql`false`;
}

export async function resolveScope(
  db: Db,
  workspaceId: string,
  callerId: string,
  request: ScopeRequest,
): Promise<ResolvedScope> {
  if (request.person) {
    const id = request.person === 'me' ? callerId : request.person;
    const [person] = await db
      .select()
      .from(users)
      .where(and(eq(users.id, id), eq(users.workspaceId, workspaceId)));
    if (!person) throw notFound(`Person ${id}`);
    return { kind: 'person', id, name: person.name, items: assignedTo([person]) };
  }
  if (request.team) {
    const [team] = await db
      .select()
      .from(teams)
      .where(and(eq(teams.id, request.team), eq(teams.workspaceId, workspaceId)));
    if (!team) throw notFound(`Team ${request.team}`);
    const members = await db.select().from(users).where(eq(users.teamId, team.id));
    return { kind: 'team', id: team.id, name: team.name, items: assignedTo(members) };
  }
  return { kind: 'workspace', id: null, name: 'Everyone', items: null };
}

/** The columns of a link the metrics use, and their shape there (times in ms). */
const METRIC_LINK_COLUMNS = {
  id: links.id,
  itemId: links.workItemId,
  objectiveId: links.objectiveId,
  weight: links.weight,
  createdAt: links.createdAt,
  endedAt: links.endedAt,
};
const toMetricLink = (link: {
  id: string;
  itemId: string;
  objectiveId: string;
  weight: number | null;
  createdAt: Date;
  endedAt: Date | null;
}): MetricLink => ({
  ...link,
  createdAt: link.createdAt.getTime(),
  endedAt: link.endedAt ? link.endedAt.getTime() : null,
});

export interface LoadedMetricData extends MetricData {
  /** The items read: a link read after them may name an item they do not include. */
  itemIds: Set<string>;
  objectiveRows: Map<string, Objective>;
}

/**
 * Items that may be active between `since` and `until`, their links, and every objective: only
 * the columns the metrics use (a review reads every item of the workspace; the few it shows are
 * read whole with `loadItemRows`).
 */
export async function loadMetricData(
  db: Db,
  workspaceId: string,
  scope: ResolvedScope,
  since: Date,
  until: Date,
): Promise<LoadedMetricData> {
  // A ticket begins when its host says it was created, where a connector said so; else when first seen.
  const begins = sql<Date>`coalesce(${workItems.createdOnHost}, ${workItems.firstSeenAt})`;
  const itemCondition = and(
    eq(workItems.workspaceId, workspaceId),
    eq(workItems.kind, 'ticket'),
    // Gone from its host (deleted): in no figure, its links kept as history.
    isNull(workItems.removedAt),
    lte(begins, until),
    or(isNull(workItems.closedAt), gte(workItems.closedAt, since)),
    scope.items ?? undefined,
    itemInScope(workspaceId),
  );
  const [itemRows, linkRows, objectives, hierarchy] = await Promise.all([
    db
      .select({
        id: workItems.id,
        estimate: workItems.estimate,
        firstSeenAt: begins.mapWith(workItems.firstSeenAt),
        closedAt: workItems.closedAt,
        lastSeenAt: workItems.lastSeenAt,
      })
      .from(workItems)
      .where(itemCondition),
    db
      .select(METRIC_LINK_COLUMNS)
      .from(links)
      .innerJoin(workItems, eq(workItems.id, links.workItemId))
      .where(and(eq(links.workspaceId, workspaceId), itemCondition)),
    loadObjectives(db, workspaceId),
    loadHierarchy(db, workspaceId, itemCondition as SQL),
  ]);
  const items: MetricItem[] = itemRows.map((row) => ({
    id: row.id,
    estimate: row.estimate,
    firstSeenAt: row.firstSeenAt.getTime(),
    closedAt: row.closedAt ? row.closedAt.getTime() : null,
    lastSeenAt: row.lastSeenAt.getTime(),
  }));
  const metricLinks = linkRows.map(toMetricLink);
  return {
    items,
    links: withInheritedLinks(
      items.map((i) => i.id),
      metricLinks,
      hierarchy,
    ),
    objectives: objectives.map(toMetricObjective),
    itemIds: new Set(items.map((i) => i.id)),
    objectiveRows: new Map(objectives.map((o) => [o.id, o])),
  };
}

const toTime = (value: string | Date) => new Date(value).getTime();
const toTimeOrNull = (value: string | Date | null) => (value === null ? null : toTime(value));

/**
 * What the items inherit through: every containment above them (through any depth; UNION ends
 * cycles), the links on containers the scope takes in (one outside it passes nothing down), and the
 * items' "not for this goal" exceptions.
 */
async function loadHierarchy(db: Db, workspaceId: string, itemCondition: SQL): Promise<Hierarchy> {
  const containmentRows = await db.execute<{
    item_id: string;
    container_id: string;
    started_at: string;
    ended_at: string | null;
  }>(sql`with recursive up(item_id, container_id, started_at, ended_at) as (
      select c.item_id, c.container_id, c.started_at, c.ended_at from ${containments} c
        where c.workspace_id = ${workspaceId}
          and c.item_id in (select ${workItems.id} from ${workItems} where ${itemCondition})
      union
      select c.item_id, c.container_id, c.started_at, c.ended_at from ${containments} c
        join up on c.item_id = up.container_id
    )
    -- Each ticket's containers in the order it came under them, as its panel reads them: which
    -- container gives an objective (and its weight) must not depend on the plan.
    select item_id, container_id, started_at, ended_at from up order by started_at, container_id`);
  if (containmentRows.rows.length === 0) return { containments: [], containerLinks: [], exceptions: [] };
  const containerIds = [...new Set(containmentRows.rows.map((r) => r.container_id))];
  const [containerLinkRows, exceptionRows] = await Promise.all([
    db
      .select(METRIC_LINK_COLUMNS)
      .from(links)
      .innerJoin(workItems, eq(workItems.id, links.workItemId))
      .where(
        and(eq(links.workspaceId, workspaceId), inArray(links.workItemId, containerIds), itemInScope(workspaceId)),
      ),
    db
      .select({
        itemId: linkExceptions.itemId,
        objectiveId: linkExceptions.objectiveId,
        createdAt: linkExceptions.createdAt,
        endedAt: linkExceptions.endedAt,
      })
      .from(linkExceptions)
      .where(
        and(
          eq(linkExceptions.workspaceId, workspaceId),
          inArray(linkExceptions.itemId, [...new Set(containmentRows.rows.map((r) => r.item_id))]),
        ),
      ),
  ]);
  return {
    containments: containmentRows.rows.map((r) => ({
      itemId: r.item_id,
      containerId: r.container_id,
      startedAt: toTime(r.started_at),
      endedAt: toTimeOrNull(r.ended_at),
    })),
    containerLinks: containerLinkRows.map(toMetricLink),
    exceptions: exceptionRows.map((e) => ({
      ...e,
      createdAt: e.createdAt.getTime(),
      endedAt: e.endedAt ? e.endedAt.getTime() : null,
    })),
  };
}

/** The whole rows of the items a figure shows (its unlinked tickets, its stale links). */
export async function loadItemRows(
  db: Db,
  workspaceId: string,
  ids: string[],
): Promise<Map<string, typeof workItems.$inferSelect>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select()
    .from(workItems)
    .where(and(eq(workItems.workspaceId, workspaceId), inArray(workItems.id, [...new Set(ids)])));
  return new Map(rows.map((r) => [r.id, r]));
}
