import { createRoute } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { IdentitiesPatch, Me } from '../../lib/contract';
import type { Deps } from '../app';
import type { Caller } from '../auth';
import type { Db } from '../db';
import { teams, users, workspaces } from '../db/schema';
import { toUser } from '../queries';
import { errorResponses, json, jsonBody, router } from './router';

export async function loadMe(db: Db, caller: Caller): Promise<Me> {
  const [row] = await db
    .select({ user: users, team: { id: teams.id, name: teams.name }, workspace: workspaces })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .leftJoin(teams, eq(teams.id, users.teamId))
    .where(eq(users.id, caller.userId));
  if (!row) throw new Error(`user ${caller.userId} of a valid token is missing`);
  return {
    user: toUser(row.user, row.team),
    workspace: { id: row.workspace.id, name: row.workspace.name, slug: row.workspace.slug },
  };
}

export function meRoutes({ db }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/me',
        summary: 'The caller, their workspace and their identities on each host',
        responses: { 200: json(Me, 'The caller'), ...errorResponses },
      }),
      async (c) => c.json(await loadMe(db, c.get('caller')), 200),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/v1/me',
        summary: 'Set the caller’s identities on the hosts (detected from pages, or typed in the options)',
        request: jsonBody(IdentitiesPatch),
        responses: { 200: json(Me, 'The caller'), ...errorResponses },
      }),
      async (c) => {
        const patch = c.req.valid('json');
        if (Object.keys(patch).length > 0) {
          await db
            .update(users)
            .set(patch)
            .where(eq(users.id, c.get('caller').userId));
        }
        return c.json(await loadMe(db, c.get('caller')), 200);
      },
    );
}
