/** Held reviews and the decisions reviews take, a page at a time. */
import { and, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type HeldReview, MAX_HELD_DECISIONS, ReviewFigures } from '../../lib/shared/contract';
import type { Db } from '../db';
import { periods, reviewDecisions, reviews, teams, users } from '../db/schema';
import { afterCursor, cursorOf, orderOf, pageOf, type SortKey } from '../paging';
import { iso, toPeriod } from '../queries';

const owners = alias(users, 'decision_owner');
const creators = alias(users, 'decision_creator');

/** Newest first; the id breaks ties so that pages never overlap. */
const DECISION_ORDER: SortKey[] = [
  { column: reviewDecisions.createdAt, descending: true, kind: 'timestamp' },
  { column: reviewDecisions.id, descending: true, kind: 'uuid' },
];

/** A page of decisions, newest first, and the cursor of the next. */
export async function listDecisions(
  db: Db,
  workspaceId: string,
  filter: { team?: string; id?: string; reviewIds?: string[] },
  page: { limit: number; cursor?: string },
) {
  const rows = await db
    .select({
      decision: reviewDecisions,
      team: { id: teams.id, name: teams.name },
      owner: { id: owners.id, name: owners.name },
      createdBy: { id: creators.id, name: creators.name },
      cursor: cursorOf(DECISION_ORDER),
    })
    .from(reviewDecisions)
    .leftJoin(teams, eq(teams.id, reviewDecisions.teamId))
    .leftJoin(owners, eq(owners.id, reviewDecisions.ownerId))
    .leftJoin(creators, eq(creators.id, reviewDecisions.createdById))
    .where(
      and(
        eq(reviewDecisions.workspaceId, workspaceId),
        filter.team ? eq(reviewDecisions.teamId, filter.team) : undefined,
        filter.id ? eq(reviewDecisions.id, filter.id) : undefined,
        filter.reviewIds ? inArray(reviewDecisions.reviewId, filter.reviewIds) : undefined,
        afterCursor(DECISION_ORDER, page.cursor),
      ),
    )
    .orderBy(...orderOf(DECISION_ORDER))
    .limit(page.limit + 1);
  const { page: shown, nextCursor } = pageOf(rows, page.limit);
  const decisions = shown.map(({ decision: d, team, owner, createdBy }) => ({
    id: d.id,
    kind: d.kind,
    summary: d.summary,
    team,
    periodId: d.periodId,
    reviewId: d.reviewId,
    owner,
    dueOn: d.dueOn,
    createdBy,
    createdAt: iso(d.createdAt),
  }));
  return { decisions, nextCursor };
}

const holders = alias(users, 'review_holder');
const HELD_REVIEW_ORDER: SortKey[] = [
  { column: reviews.heldAt, descending: true, kind: 'timestamp' },
  { column: reviews.id, descending: true, kind: 'uuid' },
];

/** A page of held reviews, newest first, each with the decisions it took, and the next page's cursor. */
export async function listHeldReviews(
  db: Db,
  workspaceId: string,
  filter: { team?: string; id?: string },
  page: { limit: number; cursor?: string },
): Promise<{ reviews: HeldReview[]; nextCursor: string | null }> {
  const rows = await db
    .select({
      review: reviews,
      team: { id: teams.id, name: teams.name },
      period: periods,
      heldBy: { id: holders.id, name: holders.name },
      cursor: cursorOf(HELD_REVIEW_ORDER),
    })
    .from(reviews)
    .innerJoin(periods, eq(periods.id, reviews.periodId))
    .leftJoin(teams, eq(teams.id, reviews.teamId))
    .leftJoin(holders, eq(holders.id, reviews.heldById))
    .where(
      and(
        eq(reviews.workspaceId, workspaceId),
        filter.team ? eq(reviews.teamId, filter.team) : undefined,
        filter.id ? eq(reviews.id, filter.id) : undefined,
        afterCursor(HELD_REVIEW_ORDER, page.cursor),
      ),
    )
    .orderBy(...orderOf(HELD_REVIEW_ORDER))
    .limit(page.limit + 1);
  const { page: shown, nextCursor } = pageOf(rows, page.limit);
  const ids = shown.map((r) => r.review.id);
  // A held review records at most MAX_HELD_DECISIONS decisions, so this reads all of theirs.
  const { decisions } = ids.length
    ? await listDecisions(db, workspaceId, { reviewIds: ids }, { limit: MAX_HELD_DECISIONS * ids.length })
    : { decisions: [] };
  const held = shown.map(({ review, team, period, heldBy }) => ({
    id: review.id,
    team,
    period: toPeriod(period),
    notes: review.notes,
    figures: ReviewFigures.parse(review.figures),
    heldBy,
    heldAt: iso(review.heldAt),
    decisions: decisions.filter((d) => d.reviewId === review.id).reverse(),
  }));
  return { reviews: held, nextCursor };
}
