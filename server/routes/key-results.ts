/** Key results of objectives. */
import { createRoute } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { KeyResult, KeyResultCreate, KeyResultPatch } from '../../lib/shared/contract';
import { keyResults } from '../db/schema';
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { loadObjective, toKeyResult } from '../queries';
import { errorResponses, IdParam, json, jsonBody, router } from './router';

export function keyResultRoutes({ db, now, catalog }: Deps) {
  return router()
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
    );
}
