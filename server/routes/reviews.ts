/** Reviews held, with the figures they saw and the decisions they took. */
import { createRoute } from '@hono/zod-openapi';
import type { z } from 'zod';
import {
  HeldReview,
  HeldReviewCreate,
  HeldReviewFilters,
  HeldReviews,
  type ReviewFigures,
} from '../../lib/shared/contract';
import { periods, reviewDecisions, reviews, teams, users } from '../db/schema';
import type { Deps } from '../deps';
import { assertInWorkspace } from '../queries';
import { computeReview } from '../reads/figures';
import { listHeldReviews } from '../reads/reviews';
import { errorResponses, json, jsonBody, router } from './router';

export function heldReviewRoutes({ db, now }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/reviews',
        summary: 'Reviews held, newest first, each with the figures it saw and the decisions it took',
        request: { query: HeldReviewFilters },
        responses: { 200: json(HeldReviews, 'Held reviews'), ...errorResponses },
      }),
      async (c) => {
        const query = c.req.valid('query');
        return c.json(await listHeldReviews(db, c.get('caller').workspaceId, query, query), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/reviews',
        summary: 'Record a review as held: its figures as they stand now, and the decisions it took (or none)',
        request: jsonBody(HeldReviewCreate),
        responses: { 201: json(HeldReview, 'The held review'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        const { workspaceId } = caller;
        const input = c.req.valid('json');
        await assertInWorkspace(db, workspaceId, [
          { field: 'teamId', table: teams, id: input.teamId },
          { field: 'periodId', table: periods, id: input.periodId },
          ...input.decisions.map((d, i) => ({ field: `decisions.${i}.ownerId`, table: users, id: d.ownerId })),
        ]);
        const heldAt = now();
        const review = await computeReview(
          db,
          workspaceId,
          caller.userId,
          { team: input.teamId ?? undefined, period: input.periodId, weeks: 8, unlinkedLimit: 1 },
          heldAt,
        );
        const figures: z.infer<typeof ReviewFigures> = {
          coverage: review.coverage.coverage,
          fit: review.fit,
          allocationDrift: review.drift.allocationDrift.latest,
          coverageDriftFlagged: review.drift.coverageDrift.flagged,
          starved: review.allocation.filter((r) => r.starved).map((r) => r.objective.title),
          unlinkedItems: review.unlinkedCount,
        };
        const id = await db.transaction(async (tx) => {
          const [row] = await tx
            .insert(reviews)
            .values({
              workspaceId,
              teamId: input.teamId ?? null,
              periodId: review.period.id,
              notes: input.notes,
              figures,
              heldById: caller.userId,
              heldAt,
            })
            .returning({ id: reviews.id });
          const reviewId = (row as { id: string }).id;
          if (input.decisions.length > 0) {
            await tx.insert(reviewDecisions).values(
              input.decisions.map((d, i) => ({
                ...d,
                workspaceId,
                reviewId,
                teamId: input.teamId ?? null,
                periodId: review.period.id,
                createdById: caller.userId,
                // Kept in the order given.
                createdAt: new Date(heldAt.getTime() + i),
              })),
            );
          }
          return reviewId;
        });
        const {
          reviews: [held],
        } = await listHeldReviews(db, workspaceId, { id }, { limit: 1 });
        return c.json(held as HeldReview, 201);
      },
    );
}
