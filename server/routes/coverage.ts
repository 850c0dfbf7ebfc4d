/** Coverage of work by goals for a person, a team or everyone. */
import { createRoute } from '@hono/zod-openapi';
import { Coverage, CoverageQuery } from '../../lib/shared/contract';
import type { Deps } from '../deps';
import { resolveScope } from '../metric-data';
import { coverageOf } from '../reads/figures';
import { errorResponses, json, router } from './router';

export function coverageRoutes({ db, now }: Deps) {
  return router().openapi(
    createRoute({
      method: 'get',
      path: '/v1/coverage',
      summary: 'Coverage of work by goals for a person (`me`), a team or everyone, with its weekly trend',
      request: { query: CoverageQuery },
      responses: { 200: json(Coverage, 'Coverage'), ...errorResponses },
    }),
    async (c) => {
      const caller = c.get('caller');
      const query = c.req.valid('query');
      const scope = await resolveScope(db, caller.workspaceId, caller.userId, query);
      const { figure } = await coverageOf(db, caller.workspaceId, scope, query.window, query.weeks, now());
      return c.json(figure, 200);
    },
  );
}
