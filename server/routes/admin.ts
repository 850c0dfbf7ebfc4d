import { createRoute } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import {
  CreatedToken,
  CreatedUser,
  TeamCreate,
  TeamFilters,
  TeamRef,
  Teams,
  Token,
  TokenCreate,
  TokenFilters,
  Tokens,
  UserCreate,
  UserFilters,
  Users,
  WorkspacePatch,
  WorkspaceSettings,
} from '../../lib/contract';
import { thresholdsFor } from '../../lib/metrics';
import { createToken, createUser, listTokens, revokeToken } from '../accounts';
import type { Deps } from '../app';
import { requireAdmin } from '../auth';
import type { Db } from '../db';
import { teams, users, workspaces } from '../db/schema';
import { ApiError } from '../errors';
import { afterCursor, cursorOf, orderOf, pageOf, type SortKey } from '../paging';
import { toUser } from '../queries';
import { errorResponses, IdParam, json, jsonBody, router } from './router';

const TEAM_ORDER: SortKey[] = [
  { column: teams.name, kind: 'text' },
  { column: teams.id, kind: 'uuid' },
];
const USER_ORDER: SortKey[] = [
  { column: users.name, kind: 'text' },
  { column: users.id, kind: 'uuid' },
];

async function loadSettings(db: Db, workspaceId: string) {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!row) throw new Error(`workspace ${workspaceId} of a valid token is missing`);
  return {
    workspace: { id: row.id, name: row.name, slug: row.slug },
    thresholds: thresholdsFor(row.settings as object),
  };
}

export function adminRoutes({ db, auth, now }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/workspace',
        summary: 'The workspace and its metric thresholds',
        responses: { 200: json(WorkspaceSettings, 'The workspace'), ...errorResponses },
      }),
      async (c) => c.json(await loadSettings(db, c.get('caller').workspaceId), 200),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/v1/workspace',
        summary: 'Rename the workspace or change its metric thresholds (admin)',
        request: jsonBody(WorkspacePatch),
        responses: { 200: json(WorkspaceSettings, 'The workspace'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        requireAdmin(caller);
        const patch = c.req.valid('json');
        const current = await loadSettings(db, caller.workspaceId);
        await db
          .update(workspaces)
          .set({
            name: patch.name ?? current.workspace.name,
            settings: { ...current.thresholds, ...patch.thresholds },
          })
          .where(eq(workspaces.id, caller.workspaceId));
        return c.json(await loadSettings(db, caller.workspaceId), 200);
      },
    )
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
    )
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
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/tokens',
        summary: 'Tokens: all of the workspace for an admin, one’s own for a member',
        request: { query: TokenFilters },
        responses: { 200: json(Tokens, 'Tokens, without their secrets, oldest first'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        const owner = caller.role === 'admin' ? undefined : caller.userId;
        return c.json(await listTokens(db, caller.workspaceId, { userId: owner, ...c.req.valid('query') }), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/tokens',
        summary: 'Create a token for oneself, or (admin) for another person; the secret is shown once',
        request: jsonBody(TokenCreate),
        responses: { 201: json(CreatedToken, 'The token with its secret'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        const input = c.req.valid('json');
        const userId = input.userId ?? caller.userId;
        if (userId !== caller.userId) requireAdmin(caller);
        return c.json(await createToken(db, caller.workspaceId, userId, input.name), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/v1/tokens/{id}',
        summary: 'Revoke a token: one’s own, or (admin) any of the workspace',
        request: { params: IdParam },
        responses: { 200: json(Token, 'The revoked token'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        const { id } = c.req.valid('param');
        const ownerId = caller.role === 'admin' ? undefined : caller.userId;
        const revoked = await revokeToken(db, caller.workspaceId, id, now(), ownerId);
        auth.forget({ tokenId: id });
        return c.json(revoked, 200);
      },
    );
}
