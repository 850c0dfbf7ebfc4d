/** Coverage, the review, held reviews and their decisions. */
import { z } from 'zod';
import { Cursor, DateOnly, Id, NextCursor, PAGE_LIMITS, pageQuery, requiredText, Timestamp, text } from './base';
import { Period } from './objectives';
import { PersonRef, TeamRef, User } from './people';
import { ObjectiveSummary, StaleReason, WorkItem } from './work';

// ---------------------------------------------------------------------------------------------
// Metrics

export const WindowParam = z
  .string()
  .regex(/^[1-9]\d{0,2}[dw]$/, 'must be a number of days or weeks, like 7d or 4w')
  .transform((w) => Number(w.slice(0, -1)) * (w.endsWith('w') ? 7 : 1))
  .refine((days) => days <= 366, 'must be at most 366 days');

export const ScopeQuery = z.strictObject({
  person: z.union([Id, z.literal('me')]).optional(),
  team: Id.optional(),
});

export const CoverageQuery = ScopeQuery.extend({
  window: WindowParam.default(7),
  weeks: z.coerce.number().int().min(1).max(52).default(6),
});

export const Scope = z.object({
  kind: z.enum(['person', 'team', 'workspace']),
  id: Id.nullable(),
  name: z.string(),
});

export const CoverageFigure = z.object({
  coverage: z.number().nullable(),
  coveredEffort: z.number(),
  totalEffort: z.number(),
  activeItems: z.number().int(),
  coveredItems: z.number().int(),
});
export type CoverageFigure = z.infer<typeof CoverageFigure>;
export const WeeklyCoverage = CoverageFigure.extend({ weekStart: Timestamp, weekEnd: Timestamp });

export const Coverage = CoverageFigure.extend({
  scope: Scope,
  window: z.object({ from: Timestamp, to: Timestamp, days: z.number().int() }),
  trend: z.array(WeeklyCoverage),
});
export type Coverage = z.infer<typeof Coverage>;

export const StaleLinkRow = z.object({
  linkId: Id,
  ref: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  objective: ObjectiveSummary,
  reason: StaleReason,
});
export const UnlinkedItem = WorkItem.extend({ effort: z.number() });

export const MyCoverageQuery = z.strictObject({
  weeks: z.coerce.number().int().min(1).max(52).default(6),
  unlinkedLimit: z.coerce.number().int().min(1).max(200).default(20),
  unlinkedCursor: Cursor.optional(),
});
/** What the popup shows: the caller's coverage against their team's, and what to do about it. */
export const MyCoverage = z.object({
  person: User,
  coverage: Coverage,
  /** The caller's team over the same window; null without a team. */
  team: Coverage.nullable(),
  /** Active tickets assigned to the caller that serve no goal, most effort first. */
  unlinked: z.array(UnlinkedItem),
  unlinkedCount: z.number().int(),
  /** Pass as `unlinkedCursor` for the next page of `unlinked`; null on the last. */
  unlinkedNextCursor: NextCursor,
  staleLinks: z.array(StaleLinkRow),
  /** The objectives the caller's active work serves, with the share of that work each gets. */
  objectives: z.array(z.object({ objective: ObjectiveSummary, effort: z.number(), share: z.number() })),
});
export type MyCoverage = z.infer<typeof MyCoverage>;

export const ReviewQuery = ScopeQuery.omit({ person: true }).extend({
  period: text(100).optional(),
  weeks: z.coerce.number().int().min(2).max(52).default(8),
  unlinkedLimit: z.coerce.number().int().min(1).max(500).default(50),
  unlinkedCursor: Cursor.optional(),
});

export const AllocationRow = z.object({
  objective: ObjectiveSummary,
  linkedEffort: z.number(),
  allocationShare: z.number(),
  priorityShare: z.number(),
  /** allocationShare − priorityShare: negative means less work than strategy says. */
  delta: z.number(),
  starved: z.boolean(),
  starvedReasons: z.array(z.enum(['under_allocated', 'no_recent_work'])),
});

export const DriftWeek = WeeklyCoverage.extend({
  fit: z.number().nullable(),
  allocationDrift: z.number().nullable(),
});

export const ReviewDecisionKind = z.enum(['shift_effort', 'reprioritise', 'unblock', 'revise_goal', 'other']);
export const ReviewDecision = z.object({
  id: Id,
  kind: ReviewDecisionKind,
  summary: z.string(),
  team: TeamRef.nullable(),
  periodId: Id.nullable(),
  /** The held review that took it, if it was taken in one. */
  reviewId: Id.nullable(),
  owner: PersonRef.nullable(),
  dueOn: DateOnly.nullable(),
  createdBy: PersonRef.nullable(),
  createdAt: Timestamp,
});
export const ReviewDecisions = z.object({ decisions: z.array(ReviewDecision), nextCursor: NextCursor });
export const ReviewDecisionCreate = z.strictObject({
  kind: ReviewDecisionKind,
  summary: requiredText(5_000),
  teamId: Id.nullable().optional(),
  periodId: Id.nullable().optional(),
  ownerId: Id.nullable().optional(),
  dueOn: DateOnly.nullable().optional(),
});
export const ReviewDecisionFilters = z.strictObject({
  team: Id.optional(),
  ...pageQuery(PAGE_LIMITS.decisions, 50),
});

/** How many decisions one held review may record. */
export const MAX_HELD_DECISIONS = 20;
/** A decision as a held review records it: its team and period are the review's. */
export const HeldReviewDecision = ReviewDecisionCreate.omit({ teamId: true, periodId: true });

/** What a review saw, kept as it stood when it was held. */
export const ReviewFigures = z.object({
  coverage: z.number().nullable(),
  fit: z.number().nullable(),
  allocationDrift: z.number().nullable(),
  coverageDriftFlagged: z.boolean(),
  starved: z.array(z.string()),
  unlinkedItems: z.number().int(),
});
export const HeldReview = z.object({
  id: Id,
  team: TeamRef.nullable(),
  period: Period,
  notes: z.string(),
  figures: ReviewFigures,
  heldBy: PersonRef.nullable(),
  heldAt: Timestamp,
  decisions: z.array(ReviewDecision),
});
export type HeldReview = z.infer<typeof HeldReview>;
export const HeldReviews = z.object({ reviews: z.array(HeldReview), nextCursor: NextCursor });
export const HeldReviewCreate = z.strictObject({
  teamId: Id.nullable().optional(),
  /** The period reviewed; the current one when absent. */
  periodId: Id.optional(),
  notes: text(10_000).default(''),
  /** None is an answer too: the review is listed as having decided nothing. */
  decisions: z.array(HeldReviewDecision).max(MAX_HELD_DECISIONS).default([]),
});
export type HeldReviewCreate = z.input<typeof HeldReviewCreate>;
export const HeldReviewFilters = z.strictObject({
  team: Id.optional(),
  ...pageQuery(PAGE_LIMITS.reviews, 20),
});

export const Review = z.object({
  scope: Scope,
  period: Period,
  generatedAt: Timestamp,
  coverage: CoverageFigure,
  fit: z.number().nullable(),
  allocation: z.array(AllocationRow),
  drift: z.object({
    series: z.array(DriftWeek),
    coverageDrift: z.object({ flagged: z.boolean(), reasons: z.array(z.string()) }),
    allocationDrift: z.object({ latest: z.number().nullable(), flagged: z.boolean() }),
    unlinkedIntake: z.object({
      share: z.number().nullable(),
      newItems: z.number().int(),
      unlinkedAfterGrace: z.number().int(),
    }),
  }),
  unlinked: z.array(UnlinkedItem),
  /** All active tickets that serve no goal; `unlinked` lists a page of `unlinkedLimit` of them. */
  unlinkedCount: z.number().int(),
  /** Pass as `unlinkedCursor` for the next page of `unlinked`; null on the last. */
  unlinkedNextCursor: NextCursor,
  staleLinks: z.array(StaleLinkRow),
  staleGoals: z.array(
    z.object({ objective: ObjectiveSummary, lastUpdateAt: Timestamp.nullable(), dueSince: Timestamp }),
  ),
  /** The latest decisions of the scope; older ones from `/v1/review/decisions?cursor=` this cursor. */
  decisions: z.array(ReviewDecision),
  decisionsNextCursor: NextCursor,
});
export type Review = z.infer<typeof Review>;
