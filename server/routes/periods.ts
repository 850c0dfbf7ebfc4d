/** The periods (quarters, halves) of the workspace. */
import { createRoute } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { Period, PeriodCreate, PeriodFilters, Periods } from '../../lib/shared/contract';
import { periods } from '../db/schema';
import type { Deps } from '../deps';
import { ApiError } from '../errors';
import { afterCursor, cursorOf, orderOf, pageOf, type SortKey } from '../paging';
import { toPeriod } from '../queries';
import { errorResponses, json, jsonBody, router } from './router';

const PERIOD_ORDER: SortKey[] = [
  { column: periods.startsOn, descending: true, kind: 'date' },
  { column: periods.id, descending: true, kind: 'uuid' },
];

export function periodRoutes({ db, catalog }: Deps) {
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
    );
}
