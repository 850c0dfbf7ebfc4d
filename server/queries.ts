/** Reads shared by several routes, and the shapes rows take on the wire. */
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { DAY, keyResultProgress, type MetricObjective, objectiveProgress } from '../lib/server/metrics';
import type {
  KeyResult,
  Link,
  Objective,
  ObjectiveSummary,
  Period,
  PersonRef,
  User,
  WorkItem,
} from '../lib/shared/contract';
import { containerKindOf, parseRef, type TicketRef } from '../lib/shared/ref';
import type { Db } from './db';
import { keyResults, links, objectives, periods, teams, users, workItems } from './db/schema';
import { ApiError, notFound } from './errors';
import { afterCursor, cursorOf, orderOf, pageOf, type SortKey } from './paging';

export const iso = (date: Date) => date.toISOString();

/** A reference the contract already validated, as its parts. */
export function ticketRef(value: string): TicketRef {
  const parsed = parseRef(value);
  if (!parsed.ok) throw new Error(`unvalidated reference ${value}`);
  return parsed.ref;
}
/** Whether a reference names a ticket or a container that is not one (lib/shared/ref.ts). */
export const itemKindOf = (ref: TicketRef): 'ticket' | 'container' =>
  containerKindOf(ref.source, ref.key) ? 'container' : 'ticket';
export const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

export function toPeriod(row: typeof periods.$inferSelect): Period {
  return { id: row.id, name: row.name, startsOn: row.startsOn, endsOn: row.endsOn };
}

/** Period bounds in epoch ms: from the start of its first day to the end of its last (UTC). */
export function periodBounds(period: Pick<Period, 'startsOn' | 'endsOn'>): { start: number; end: number } {
  return { start: Date.parse(`${period.startsOn}T00:00:00Z`), end: Date.parse(`${period.endsOn}T00:00:00Z`) + DAY };
}

export function toKeyResult(row: typeof keyResults.$inferSelect): KeyResult {
  return {
    id: row.id,
    objectiveId: row.objectiveId,
    title: row.title,
    startValue: row.startValue,
    targetValue: row.targetValue,
    currentValue: row.currentValue,
    unit: row.unit,
    progress: keyResultProgress(row),
  };
}

export function toUser(row: typeof users.$inferSelect, team: { id: string; name: string } | null): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    team,
    identities: {
      githubLogin: row.githubLogin,
      jiraName: row.jiraName,
      jiraAccountId: row.jiraAccountId,
      asanaName: row.asanaName,
      asanaGid: row.asanaGid,
    },
  };
}

export function toWorkItem(row: typeof workItems.$inferSelect): WorkItem {
  return {
    id: row.id,
    ref: row.ref,
    kind: row.kind,
    source: row.source,
    host: row.host,
    key: row.key,
    url: row.url,
    title: row.title,
    state: row.state,
    closedAt: isoOrNull(row.closedAt),
    assignees: row.assignees,
    project: row.project,
    estimate: row.estimate,
    firstSeenAt: iso(row.firstSeenAt),
    lastSeenAt: iso(row.lastSeenAt),
    fieldSources: row.fieldSources as WorkItem['fieldSources'],
  };
}

const owners = alias(users, 'owner');

/** Most important first, then by title; the id breaks ties so that pages never overlap. */
const OBJECTIVE_ORDER: SortKey[] = [
  { column: objectives.priorityWeight, descending: true, kind: 'number' },
  { column: objectives.title, kind: 'text' },
  { column: objectives.id, kind: 'uuid' },
];

/** Objectives with their period, owner and team, most important first (key results: withKeyResults). */
function objectiveRows(db: Db, workspaceId: string, where: (SQL | undefined)[]) {
  return db
    .select({
      objective: objectives,
      period: periods,
      owner: { id: owners.id, name: owners.name },
      team: { id: teams.id, name: teams.name },
      cursor: cursorOf(OBJECTIVE_ORDER),
    })
    .from(objectives)
    .innerJoin(periods, eq(periods.id, objectives.periodId))
    .leftJoin(owners, eq(owners.id, objectives.ownerId))
    .leftJoin(teams, eq(teams.id, objectives.teamId))
    .where(and(eq(objectives.workspaceId, workspaceId), ...where))
    .orderBy(...orderOf(OBJECTIVE_ORDER));
}

/** All objectives matching `where`, most important first. */
export async function loadObjectives(db: Db, workspaceId: string, where: SQL[] = []): Promise<Objective[]> {
  return withKeyResults(db, workspaceId, await objectiveRows(db, workspaceId, where));
}

/** A page of the objectives matching `where`, and the cursor of the next. */
export async function loadObjectivePage(
  db: Db,
  workspaceId: string,
  where: SQL[],
  page: { limit: number; cursor?: string },
): Promise<{ objectives: Objective[]; nextCursor: string | null }> {
  const rows = await objectiveRows(db, workspaceId, [...where, afterCursor(OBJECTIVE_ORDER, page.cursor)]).limit(
    page.limit + 1,
  );
  const { page: shown, nextCursor } = pageOf(rows, page.limit);
  return { objectives: await withKeyResults(db, workspaceId, shown), nextCursor };
}

async function withKeyResults(
  db: Db,
  workspaceId: string,
  rows: {
    objective: typeof objectives.$inferSelect;
    period: typeof periods.$inferSelect;
    owner: PersonRef | null;
    team: PersonRef | null;
  }[],
): Promise<Objective[]> {
  if (rows.length === 0) return [];

  const krRows = await db
    .select()
    .from(keyResults)
    .where(
      and(
        eq(keyResults.workspaceId, workspaceId),
        inArray(
          keyResults.objectiveId,
          rows.map((r) => r.objective.id),
        ),
      ),
    )
    .orderBy(asc(keyResults.createdAt), asc(keyResults.id));
  const krsByObjective = new Map<string, KeyResult[]>();
  for (const kr of krRows) {
    const list = krsByObjective.get(kr.objectiveId) ?? [];
    list.push(toKeyResult(kr));
    krsByObjective.set(kr.objectiveId, list);
  }

  return rows.map(({ objective: o, period, owner, team }) => {
    const krs = krsByObjective.get(o.id) ?? [];
    return {
      id: o.id,
      title: o.title,
      description: o.description,
      period: toPeriod(period),
      parentId: o.parentId,
      owner,
      team,
      priorityWeight: o.priorityWeight,
      status: o.status,
      health: o.health,
      updateCadenceDays: o.updateCadenceDays,
      lastUpdateAt: isoOrNull(o.lastUpdateAt),
      closedAt: isoOrNull(o.closedAt),
      progress: objectiveProgress(krs),
      keyResults: krs,
      createdAt: iso(o.createdAt),
      updatedAt: iso(o.updatedAt),
    };
  });
}

export async function loadObjective(db: Db, workspaceId: string, id: string): Promise<Objective> {
  const [objective] = await loadObjectives(db, workspaceId, [eq(objectives.id, id)]);
  if (!objective) throw notFound(`Objective ${id}`);
  return objective;
}

export function summarize(o: Objective): ObjectiveSummary {
  return {
    id: o.id,
    title: o.title,
    period: o.period,
    owner: o.owner,
    team: o.team,
    priorityWeight: o.priorityWeight,
    status: o.status,
    health: o.health,
    progress: o.progress,
  };
}

export function toMetricObjective(o: Objective): MetricObjective {
  const { start, end } = periodBounds(o.period);
  return {
    id: o.id,
    parentId: o.parentId,
    priorityWeight: o.priorityWeight,
    status: o.status,
    periodStart: start,
    periodEnd: end,
    closedAt: o.closedAt ? Date.parse(o.closedAt) : null,
    createdAt: Date.parse(o.createdAt),
    lastUpdateAt: o.lastUpdateAt ? Date.parse(o.lastUpdateAt) : null,
    updateCadenceDays: o.updateCadenceDays,
  };
}

const creators = alias(users, 'creator');
const enders = alias(users, 'ender');

/** Links in the order they were made; the id breaks ties so that pages never overlap. */
export const LINK_ORDER: SortKey[] = [
  { column: links.createdAt, kind: 'timestamp' },
  { column: links.id, kind: 'uuid' },
];

export const linkSelection = {
  link: links,
  ref: workItems.ref,
  createdBy: { id: creators.id, name: creators.name },
  endedBy: { id: enders.id, name: enders.name },
  cursor: cursorOf(LINK_ORDER),
};

export function linksQuery(db: Db) {
  return db
    .select(linkSelection)
    .from(links)
    .innerJoin(workItems, eq(workItems.id, links.workItemId))
    .leftJoin(creators, eq(creators.id, links.createdById))
    .leftJoin(enders, eq(enders.id, links.endedById));
}

export function toLink(row: {
  link: typeof links.$inferSelect;
  ref: string;
  createdBy: PersonRef | null;
  endedBy: PersonRef | null;
}): Link {
  const l = row.link;
  return {
    id: l.id,
    ref: row.ref,
    workItemId: l.workItemId,
    objectiveId: l.objectiveId,
    keyResultId: l.keyResultId,
    weight: l.weight,
    createdAt: iso(l.createdAt),
    createdBy: row.createdBy,
    endedAt: isoOrNull(l.endedAt),
    endedBy: row.endedBy,
  };
}

/** Checks that ids named in a body belong to the caller's workspace; names the field otherwise. */
export async function assertInWorkspace(
  db: Db,
  workspaceId: string,
  checks: {
    field: string;
    table: typeof users | typeof teams | typeof periods | typeof objectives;
    id: string | null | undefined;
  }[],
): Promise<void> {
  for (const { field, table, id } of checks) {
    if (!id) continue;
    const [row] = await db
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.id, id), eq(table.workspaceId, workspaceId)));
    if (!row) {
      throw new ApiError('unprocessable', `${field}: no such record in this workspace`, [
        { path: `body.${field}`, message: 'no such record in this workspace' },
      ]);
    }
  }
}

/** `current` (the period containing now), an id, or a name. */
export async function resolvePeriod(db: Db, workspaceId: string, value: string, now: Date): Promise<Period> {
  const rows = await db.select().from(periods).where(eq(periods.workspaceId, workspaceId));
  const today = now.toISOString().slice(0, 10);
  const match =
    value === 'current'
      ? rows
          .filter((p) => p.startsOn <= today && today <= p.endsOn)
          .sort((a, b) => b.startsOn.localeCompare(a.startsOn))[0]
      : rows.find((p) => p.id === value || p.name === value);
  if (!match) {
    throw value === 'current' ? notFound('A period containing today') : notFound(`Period ${value}`);
  }
  return toPeriod(match);
}
