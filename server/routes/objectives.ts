/** Objectives with their key results and progress. */
import { createRoute } from '@hono/zod-openapi';
import { and, eq, ilike, inArray, type SQL } from 'drizzle-orm';
import { Objective, ObjectiveCreate, ObjectiveFilters, ObjectivePatch, Objectives } from '../../lib/shared/contract';
import { keyResults, objectives, periods, teams, users } from '../db/schema';
import type { Deps } from '../deps';
import { assertInWorkspace, loadObjective, loadObjectivePage, resolvePeriod } from '../queries';
import { assertNoCycle, CLOSED } from '../reads/objectives';
import { errorResponses, IdParam, json, jsonBody, router } from './router';

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

export function objectiveRoutes({ db, now, catalog }: Deps) {
  return router()
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
    );
}
