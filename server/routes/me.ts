import { createRoute } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { IdentitiesPatch, Me } from '../../lib/shared/contract';
import { users } from '../db/schema';
import type { Deps } from '../deps';
import { loadMe } from '../reads/me';
import { errorResponses, json, jsonBody, router } from './router';

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
