/** Decisions recorded by reviews. */
import { createRoute } from '@hono/zod-openapi';
import {
  ReviewDecision,
  ReviewDecisionCreate,
  ReviewDecisionFilters,
  ReviewDecisions,
} from '../../lib/shared/contract';
import { periods, reviewDecisions, teams, users } from '../db/schema';
import type { Deps } from '../deps';
import { assertInWorkspace } from '../queries';
import { listDecisions } from '../reads/reviews';
import { errorResponses, json, jsonBody, router } from './router';

export function decisionRoutes({ db, now }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/review/decisions',
        summary: 'Decisions recorded by past reviews, newest first',
        request: { query: ReviewDecisionFilters },
        responses: { 200: json(ReviewDecisions, 'Decisions'), ...errorResponses },
      }),
      async (c) => {
        const query = c.req.valid('query');
        return c.json(await listDecisions(db, c.get('caller').workspaceId, query, query), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/review/decisions',
        summary: 'Record the decision a review took',
        request: jsonBody(ReviewDecisionCreate),
        responses: { 201: json(ReviewDecision, 'The decision'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        const input = c.req.valid('json');
        await assertInWorkspace(db, caller.workspaceId, [
          { field: 'teamId', table: teams, id: input.teamId },
          { field: 'periodId', table: periods, id: input.periodId },
          { field: 'ownerId', table: users, id: input.ownerId },
        ]);
        const [row] = await db
          .insert(reviewDecisions)
          .values({ workspaceId: caller.workspaceId, createdById: caller.userId, createdAt: now(), ...input })
          .returning({ id: reviewDecisions.id });
        const {
          decisions: [decision],
        } = await listDecisions(db, caller.workspaceId, { id: row?.id }, { limit: 1 });
        return c.json(decision as NonNullable<typeof decision>, 201);
      },
    );
}
