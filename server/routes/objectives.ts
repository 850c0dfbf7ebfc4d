import { createRoute } from '@hono/zod-openapi';
import { and, eq, ilike, inArray, type SQL } from 'drizzle-orm';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import {
  ImportRequest,
  ImportResult,
  ImportStreamLine,
  KeyResult,
  KeyResultCreate,
  KeyResultPatch,
  Objective,
  ObjectiveCreate,
  ObjectiveFilters,
  ObjectivePatch,
  Objectives,
  Period,
  PeriodCreate,
  PeriodFilters,
  Periods,
  StatusUpdate,
  StatusUpdateCreate,
  StatusUpdateFilters,
  StatusUpdates,
} from '../../lib/contract';
import type { Deps } from '../app';
import type { Db } from '../db';
import { keyResults, objectives, periods, statusUpdates, teams, users } from '../db/schema';
import { ApiError, notFound, unprocessable } from '../errors';
import { exportObjectives, importObjectives } from '../objectives-io';
import { afterCursor, cursorOf, orderOf, pageOf, type SortKey } from '../paging';
import {
  assertInWorkspace,
  iso,
  loadObjective,
  loadObjectivePage,
  resolvePeriod,
  toKeyResult,
  toPeriod,
} from '../queries';
import { errorResponses, IdParam, json, jsonBody, router } from './router';

const ExportQuery = z.strictObject({
  format: z.enum(['yaml', 'csv']).default('yaml'),
  period: z.string().max(100).optional(),
});
const CLOSED = ['achieved', 'missed', 'dropped'] as const;

/** Refuses a parent that is the objective itself or one of its descendants. */
export async function assertNoCycle(db: Db, workspaceId: string, id: string, parentId: string): Promise<void> {
  const rows = await db
    .select({ id: objectives.id, parentId: objectives.parentId })
    .from(objectives)
    .where(eq(objectives.workspaceId, workspaceId));
  const parentOf = new Map(rows.map((r) => [r.id, r.parentId]));
  const seen = new Set<string>();
  for (let at: string | null | undefined = parentId; at; at = parentOf.get(at)) {
    if (at === id) throw unprocessable('body.parentId', 'would make the objective its own ancestor');
    if (seen.has(at)) break;
    seen.add(at);
  }
}

const PERIOD_ORDER: SortKey[] = [
  { column: periods.startsOn, descending: true, kind: 'date' },
  { column: periods.id, descending: true, kind: 'uuid' },
];
const STATUS_UPDATE_ORDER: SortKey[] = [
  { column: statusUpdates.createdAt, descending: true, kind: 'timestamp' },
  { column: statusUpdates.id, descending: true, kind: 'uuid' },
];

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

export function objectiveRoutes({ db, now, catalog, log }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/periods',
        summary: 'The periods (quarters, halves) of the workspace',
        request: { query: PeriodFilters },
        responses: { 200: json(Periods, 'Periods, newest first'), ...errorResponses },
      }),
      async (c) => {
        const query = c.req.valid('query');
        const rows = await db
          .select({ period: periods, cursor: cursorOf(PERIOD_ORDER) })
          .from(periods)
          .where(and(eq(periods.workspaceId, c.get('caller').workspaceId), afterCursor(PERIOD_ORDER, query.cursor)))
          .orderBy(...orderOf(PERIOD_ORDER))
          .limit(query.limit + 1);
        const { page, nextCursor } = pageOf(rows, query.limit);
        return c.json({ periods: page.map((r) => toPeriod(r.period)), nextCursor }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/periods',
        summary: 'Create a period',
        request: jsonBody(PeriodCreate),
        responses: { 201: json(Period, 'The period'), ...errorResponses },
      }),
      async (c) => {
        const input = c.req.valid('json');
        const [row] = await db
          .insert(periods)
          .values({ workspaceId: c.get('caller').workspaceId, ...input })
          .onConflictDoNothing()
          .returning();
        if (!row) throw new ApiError('conflict', `A period named "${input.name}" already exists`);
        await catalog.changed(row.workspaceId);
        return c.json(toPeriod(row), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/objectives',
        summary: 'Objectives with key results and progress',
        request: { query: ObjectiveFilters },
        responses: { 200: json(Objectives, 'Objectives, most important first'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        const filters = c.req.valid('query');
        const where: SQL[] = [];
        if (filters.period) {
          const period = await resolvePeriod(db, caller.workspaceId, filters.period, now());
          where.push(eq(objectives.periodId, period.id));
        }
        if (filters.status === 'open') where.push(eq(objectives.status, 'active'));
        else if (filters.status === 'closed') where.push(inArray(objectives.status, [...CLOSED]));
        else if (filters.status) where.push(eq(objectives.status, filters.status));
        if (filters.team) where.push(eq(objectives.teamId, filters.team));
        if (filters.owner) where.push(eq(objectives.ownerId, filters.owner === 'me' ? caller.userId : filters.owner));
        if (filters.q) where.push(ilike(objectives.title, `%${escapeLike(filters.q)}%`));
        return c.json(await loadObjectivePage(db, caller.workspaceId, where, filters), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/objectives',
        summary: 'Create an objective, optionally with its key results',
        request: jsonBody(ObjectiveCreate),
        responses: { 201: json(Objective, 'The objective'), ...errorResponses },
      }),
      async (c) => {
        const { workspaceId } = c.get('caller');
        const { keyResults: krs, ...input } = c.req.valid('json');
        await assertInWorkspace(db, workspaceId, [
          { field: 'periodId', table: periods, id: input.periodId },
          { field: 'parentId', table: objectives, id: input.parentId },
          { field: 'ownerId', table: users, id: input.ownerId },
          { field: 'teamId', table: teams, id: input.teamId },
        ]);
        const at = now();
        const id = await db.transaction(async (tx) => {
          const [row] = await tx
            .insert(objectives)
            .values({
              workspaceId,
              ...input,
              closedAt: input.status === 'active' ? null : at,
              createdAt: at,
              updatedAt: at,
            })
            .returning({ id: objectives.id });
          const objectiveId = (row as { id: string }).id;
          if (krs.length > 0) {
            await tx.insert(keyResults).values(
              krs.map((kr) => ({
                workspaceId,
                objectiveId,
                ...kr,
                currentValue: kr.currentValue ?? kr.startValue,
              })),
            );
          }
          return objectiveId;
        });
        await catalog.changed(workspaceId);
        return c.json(await loadObjective(db, workspaceId, id), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/objectives/import',
        summary: 'Import objectives and key results from YAML or CSV: all rows or none',
        description:
          'Every row is checked first; any error refuses the whole file with 422 and each error names its row. ' +
          'With dryRun, a valid file is checked and counted but nothing is written.',
        request: jsonBody(ImportRequest),
        responses: {
          200: {
            content: {
              'application/json': { schema: ImportResult },
              'application/x-ndjson': { schema: ImportStreamLine },
            },
            description:
              'Imported, or checked when dryRun. Asked for as `application/x-ndjson`: one line of progress per ' +
              'step, then `{ "result" }`, or `{ "error" }` when the file is refused.',
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { workspaceId } = c.get('caller');
        const input = c.req.valid('json');
        const refusal = (result: ImportResult) =>
          new ApiError(
            'unprocessable',
            `${new Set(result.errors.map((e) => e.row)).size} row(s) have errors; nothing was imported`,
            result.errors.map((e) => ({ path: `row ${e.row}.${e.field}`, message: e.message })),
          );
        if (c.req.header('accept')?.includes('application/x-ndjson')) {
          c.header('content-type', 'application/x-ndjson; charset=utf-8');
          // A streamed body: Hono's typed responses describe whole JSON bodies only.
          return stream(c, async (out) => {
            const line = (value: ImportStreamLine) => out.write(`${JSON.stringify(value)}\n`);
            // At most a hundred progress lines, however large the file.
            let reported = -1;
            let result: ImportResult;
            try {
              result = await importObjectives(db, workspaceId, input, now(), (done, total) => {
                const step = Math.floor((done / Math.max(1, total)) * 100);
                if (step === reported) return;
                reported = step;
                void line({ progress: { done, total } });
              });
            } catch (error) {
              log(`import failed: ${(error as Error).stack ?? error}`);
              await line({ error: { code: 'internal', message: 'Internal error: nothing was imported', issues: [] } });
              return;
            }
            if (!result.valid) {
              const error = refusal(result);
              await line({ error: { code: error.code, message: error.message, issues: error.issues } });
              return;
            }
            // Written: the result is the answer even if telling the other processes fails (they catch up).
            if (!result.dryRun)
              await catalog.changed(workspaceId).catch((error: Error) => log(`catalog: ${error.message}`));
            await line({ result });
          }) as never;
        }
        const result = await importObjectives(db, workspaceId, input, now());
        if (!result.valid) throw refusal(result);
        if (!result.dryRun) await catalog.changed(workspaceId);
        return c.json(result, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/objectives/export',
        summary: 'Export objectives and key results as YAML or CSV (re-importing the file updates them)',
        request: { query: ExportQuery },
        responses: {
          200: {
            content: { 'text/yaml': { schema: z.string() }, 'text/csv': { schema: z.string() } },
            description: 'The file',
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { workspaceId } = c.get('caller');
        const query = c.req.valid('query');
        const period = query.period ? await resolvePeriod(db, workspaceId, query.period, now()) : undefined;
        const body = await exportObjectives(db, workspaceId, query.format, period?.id);
        return c.body(body, 200, {
          'content-type': query.format === 'yaml' ? 'text/yaml; charset=utf-8' : 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="objectives.${query.format === 'yaml' ? 'yaml' : 'csv'}"`,
        });
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/objectives/{id}',
        summary: 'One objective',
        request: { params: IdParam },
        responses: { 200: json(Objective, 'The objective'), ...errorResponses },
      }),
      async (c) => c.json(await loadObjective(db, c.get('caller').workspaceId, c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/v1/objectives/{id}',
        summary: 'Change an objective; closing it (achieved, missed, dropped) makes its links stale',
        request: { params: IdParam, ...jsonBody(ObjectivePatch) },
        responses: { 200: json(Objective, 'The objective'), ...errorResponses },
      }),
      async (c) => {
        const { workspaceId } = c.get('caller');
        const { id } = c.req.valid('param');
        const patch = c.req.valid('json');
        const current = await loadObjective(db, workspaceId, id);
        await assertInWorkspace(db, workspaceId, [
          { field: 'periodId', table: periods, id: patch.periodId },
          { field: 'parentId', table: objectives, id: patch.parentId },
          { field: 'ownerId', table: users, id: patch.ownerId },
          { field: 'teamId', table: teams, id: patch.teamId },
        ]);
        if (patch.parentId) await assertNoCycle(db, workspaceId, id, patch.parentId);
        const at = now();
        const closedAt =
          patch.status === undefined
            ? undefined
            : patch.status === 'active'
              ? null
              : current.status === 'active'
                ? at
                : undefined;
        await db
          .update(objectives)
          .set({ ...patch, ...(closedAt !== undefined && { closedAt }), updatedAt: at })
          .where(and(eq(objectives.id, id), eq(objectives.workspaceId, workspaceId)));
        await catalog.changed(workspaceId);
        return c.json(await loadObjective(db, workspaceId, id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/objectives/{id}/key-results',
        summary: 'Add a key result to an objective',
        request: { params: IdParam, ...jsonBody(KeyResultCreate) },
        responses: { 201: json(KeyResult, 'The key result'), ...errorResponses },
      }),
      async (c) => {
        const { workspaceId } = c.get('caller');
        const { id } = c.req.valid('param');
        const input = c.req.valid('json');
        await loadObjective(db, workspaceId, id);
        const [row] = await db
          .insert(keyResults)
          .values({ workspaceId, objectiveId: id, ...input, currentValue: input.currentValue ?? input.startValue })
          .returning();
        await catalog.changed(workspaceId);
        return c.json(toKeyResult(row as typeof keyResults.$inferSelect), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/v1/key-results/{id}',
        summary: 'Change a key result, typically its current value',
        request: { params: IdParam, ...jsonBody(KeyResultPatch) },
        responses: { 200: json(KeyResult, 'The key result'), ...errorResponses },
      }),
      async (c) => {
        const { workspaceId } = c.get('caller');
        const { id } = c.req.valid('param');
        const patch = c.req.valid('json');
        const [row] = await db
          .update(keyResults)
          .set({ ...patch, updatedAt: now() })
          .where(and(eq(keyResults.id, id), eq(keyResults.workspaceId, workspaceId)))
          .returning();
        if (!row) throw notFound(`Key result ${id}`);
        await catalog.changed(workspaceId);
        return c.json(toKeyResult(row), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/objectives/{id}/updates',
        summary: 'Status updates of an objective, newest first',
        request: { params: IdParam, query: StatusUpdateFilters },
        responses: { 200: json(StatusUpdates, 'Status updates'), ...errorResponses },
      }),
      async (c) => {
        const { workspaceId } = c.get('caller');
        const { id } = c.req.valid('param');
        const query = c.req.valid('query');
        await loadObjective(db, workspaceId, id);
        const rows = await db
          .select({
            update: statusUpdates,
            author: { id: users.id, name: users.name },
            cursor: cursorOf(STATUS_UPDATE_ORDER),
          })
          .from(statusUpdates)
          .leftJoin(users, eq(users.id, statusUpdates.authorId))
          .where(
            and(
              eq(statusUpdates.objectiveId, id),
              eq(statusUpdates.workspaceId, workspaceId),
              afterCursor(STATUS_UPDATE_ORDER, query.cursor),
            ),
          )
          .orderBy(...orderOf(STATUS_UPDATE_ORDER))
          .limit(query.limit + 1);
        const { page, nextCursor } = pageOf(rows, query.limit);
        return c.json(
          {
            nextCursor,
            updates: page.map(({ update, author }) => ({
              id: update.id,
              objectiveId: update.objectiveId,
              status: update.status,
              note: update.note,
              author,
              createdAt: iso(update.createdAt),
            })),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/objectives/{id}/updates',
        summary:
          'Post a status update: on_track, at_risk or off_track set its health; achieved, missed or dropped close it',
        request: { params: IdParam, ...jsonBody(StatusUpdateCreate) },
        responses: { 201: json(StatusUpdate, 'The update'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        const { id } = c.req.valid('param');
        const input = c.req.valid('json');
        const objective = await loadObjective(db, caller.workspaceId, id);
        const closing = (CLOSED as readonly string[]).includes(input.status);
        if (!closing && objective.status !== 'active') {
          throw unprocessable(
            'body.status',
            `cannot report ${input.status} on an objective that is ${objective.status}; reopen it first`,
          );
        }
        const at = now();
        const row = await db.transaction(async (tx) => {
          const [update] = await tx
            .insert(statusUpdates)
            .values({
              workspaceId: caller.workspaceId,
              objectiveId: id,
              authorId: caller.userId,
              ...input,
              createdAt: at,
            })
            .returning();
          await tx
            .update(objectives)
            .set(
              closing
                ? {
                    status: input.status as (typeof CLOSED)[number],
                    ...(objective.status === 'active' && { closedAt: at }),
                    lastUpdateAt: at,
                    updatedAt: at,
                  }
                : { health: input.status as 'on_track' | 'at_risk' | 'off_track', lastUpdateAt: at, updatedAt: at },
            )
            .where(eq(objectives.id, id));
          return update as typeof statusUpdates.$inferSelect;
        });
        await catalog.changed(caller.workspaceId);
        const [author] = await db
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(eq(users.id, caller.userId));
        return c.json(
          {
            id: row.id,
            objectiveId: id,
            status: row.status,
            note: row.note,
            author: author ?? null,
            createdAt: iso(row.createdAt),
          },
          201,
        );
      },
    );
}
