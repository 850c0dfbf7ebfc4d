/** API tokens: created, listed without their secrets, revoked. */
import { createRoute } from '@hono/zod-openapi';
import { CreatedToken, Token, TokenCreate, TokenFilters, Tokens } from '../../lib/shared/contract';
import { createToken, listTokens, revokeToken } from '../accounts';
import { requireAdmin } from '../auth';
import type { Deps } from '../deps';
import { errorResponses, IdParam, json, jsonBody, router } from './router';

export function tokenRoutes({ db, auth, now }: Deps) {
  return router()
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
