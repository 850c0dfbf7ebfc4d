/** The teams of the workspace. */
import { createRoute } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { TeamCreate, TeamFilters, TeamRef, Teams } from '../../lib/shared/contract';
import { requireAdmin } from '../auth';
import { teams } from '../db/schema';
import type { Deps } from '../deps';
import { ApiError } from '../errors';
import { afterCursor, cursorOf, orderOf, pageOf, type SortKey } from '../paging';
import { errorResponses, json, jsonBody, router } from './router';

const TEAM_ORDER: SortKey[] = [
  { column: teams.name, kind: 'text' },
  { column: teams.id, kind: 'uuid' },
];

export function teamRoutes({ db }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/teams',
        summary: 'The teams of the workspace',
        request: { query: TeamFilters },
        responses: { 200: json(Teams, 'Teams, by name'), ...errorResponses },
      }),
      async (c) => {
        const query = c.req.valid('query');
        const rows = await db
          .select({ id: teams.id, name: teams.name, cursor: cursorOf(TEAM_ORDER) })
          .from(teams)
          .where(and(eq(teams.workspaceId, c.get('caller').workspaceId), afterCursor(TEAM_ORDER, query.cursor)))
          .orderBy(...orderOf(TEAM_ORDER))
          .limit(query.limit + 1);
        const { page, nextCursor } = pageOf(rows, query.limit);
        return c.json({ teams: page.map(({ id, name }) => ({ id, name })), nextCursor }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/teams',
        summary: 'Create a team (admin)',
        request: jsonBody(TeamCreate),
        responses: { 201: json(TeamRef, 'The team'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        requireAdmin(caller);
        const { name } = c.req.valid('json');
        const [row] = await db
          .insert(teams)
          .values({ workspaceId: caller.workspaceId, name })
          .onConflictDoNothing()
          .returning({ id: teams.id, name: teams.name });
        if (!row) throw new ApiError('conflict', `A team named "${name}" already exists`);
        return c.json(row, 201);
      },
    );
}
