/** The people of the workspace. */
import { createRoute } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { CreatedUser, UserCreate, UserFilters, Users } from '../../lib/shared/contract';
import { createToken, createUser } from '../accounts';
import { requireAdmin } from '../auth';
import type { Db } from '../db';
import { teams, users } from '../db/schema';
import type { Deps } from '../deps';
import { afterCursor, cursorOf, orderOf, pageOf, type SortKey } from '../paging';
import { toUser } from '../queries';
import { errorResponses, json, jsonBody, router } from './router';

const USER_ORDER: SortKey[] = [
  { column: users.name, kind: 'text' },
  { column: users.id, kind: 'uuid' },
];

export function userRoutes({ db }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/users',
        summary: 'The people of the workspace',
        request: { query: UserFilters },
        responses: { 200: json(Users, 'Users, by name'), ...errorResponses },
      }),
      async (c) => {
        const query = c.req.valid('query');
        const rows = await db
          .select({ user: users, team: { id: teams.id, name: teams.name }, cursor: cursorOf(USER_ORDER) })
          .from(users)
          .leftJoin(teams, eq(teams.id, users.teamId))
          .where(and(eq(users.workspaceId, c.get('caller').workspaceId), afterCursor(USER_ORDER, query.cursor)))
          .orderBy(...orderOf(USER_ORDER))
          .limit(query.limit + 1);
        const { page, nextCursor } = pageOf(rows, query.limit);
        return c.json({ users: page.map((r) => toUser(r.user, r.team)), nextCursor }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/users',
        summary: 'Add a person (admin); the response carries their first token, shown once',
        request: jsonBody(UserCreate),
        responses: { 201: json(CreatedUser, 'The user and their token'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        requireAdmin(caller);
        const input = c.req.valid('json');
        // Both or neither: a person without their first token could not be added again (409 on the email).
        const created = await db.transaction(async (tx) => {
          const user = await createUser(tx as unknown as Db, caller.workspaceId, input);
          const token = await createToken(tx as unknown as Db, caller.workspaceId, user.id, 'first token');
          return { user, token };
        });
        return c.json(created, 201);
      },
    );
}
