/** The alignment review of a team or the workspace for a period. */
import { createRoute } from '@hono/zod-openapi';
import { Review, ReviewQuery } from '../../lib/shared/contract';
import type { Deps } from '../deps';
import { computeReview } from '../reads/figures';
import { errorResponses, json, router } from './router';

export function reviewRoutes({ db, now }: Deps) {
  return router().openapi(
    createRoute({
      method: 'get',
      path: '/v1/review',
      summary: 'The alignment review of a team or the workspace for a period',
      description:
        'Coverage, allocation against priority per objective, fit, starved objectives, the drift series, ' +
        'unlinked tickets by effort, stale links and goals, and the decisions recorded.',
      request: { query: ReviewQuery },
      responses: { 200: json(Review, 'The review data'), ...errorResponses },
    }),
    async (c) => {
      const caller = c.get('caller');
      return c.json(await computeReview(db, caller.workspaceId, caller.userId, c.req.valid('query'), now()), 200);
    },
  );
}
