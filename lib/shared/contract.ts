/**
 * The goals API contract (v1): the one place that says what goes over the wire.
 * The server validates requests and generates its OpenAPI document from these schemas;
 * the extension parses every response with them. A change of the API is a change of this file.
 */
import { z } from 'zod';
import { parseRef, SOURCES } from './ref';

export { formatRef, KEY_PATTERNS, parseRef, projectOfRef, type TicketRef } from './ref';

// PostgreSQL text cannot hold NUL: refusing it here keeps such input a 400, never a 500.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this refuses.
const NO_NUL = /^[^\u0000]*$/;
export const text = (max: number) =>
  z.string().max(max, `must be at most ${max} characters`).regex(NO_NUL, 'must not contain NUL characters');
export const requiredText = (max: number) => text(max).trim().min(1, 'must not be empty');

export const Id = z.uuid({ error: 'must be a UUID' });
export const Timestamp = z.iso.datetime({ offset: true });
export const DateOnly = z.iso.date();

// ---------------------------------------------------------------------------------------------
// Work-item references: `source:host/key`, e.g. `github:github.com/octo/api#42`.

export const Source = z.enum(SOURCES);
export type Source = z.infer<typeof Source>;

export const WorkItemRef = z
  .string()
  .max(400, 'must be at most 400 characters')
  .superRefine((value, ctx) => {
    const parsed = parseRef(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `not a work-item reference: ${parsed.reason}` });
  });

// ---------------------------------------------------------------------------------------------
// Errors

export const ErrorCode = z.enum([
  'bad_request',
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'uri_too_long',
  'headers_too_large',
  'request_timeout',
  'unprocessable',
  'rate_limited',
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorIssue = z.object({ path: z.string(), message: z.string() });
export const ErrorBody = z.object({
  error: z.object({ code: ErrorCode, message: z.string(), issues: z.array(ErrorIssue) }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---------------------------------------------------------------------------------------------
// Paging: every list answers one page and the cursor of the next (null on the last page).

/** The query of a paged list: at most `max` rows a page, `fallback` when not asked. */
export const pageQuery = (max: number, fallback: number) => ({
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max}`)
    .default(fallback),
  cursor: z.string().max(2_000, 'must be at most 2000 characters').optional(),
});
/** Opaque: pass it back as `cursor` for the next page. */
export const NextCursor = z.string().nullable();
export const PAGE_LIMITS = {
  links: 1_000,
  objectives: 500,
  users: 500,
  teams: 500,
  tokens: 500,
  periods: 200,
  statusUpdates: 200,
  reviews: 100,
  decisions: 200,
} as const;

// ---------------------------------------------------------------------------------------------
// People and workspace

export const Role = z.enum(['admin', 'member']);
export const PersonRef = z.object({ id: Id, name: z.string() });
export type PersonRef = z.infer<typeof PersonRef>;
export const TeamRef = z.object({ id: Id, name: z.string() });

export const Identities = z.object({
  githubLogin: z.string().nullable(),
  jiraName: z.string().nullable(),
  jiraAccountId: z.string().nullable(),
  asanaName: z.string().nullable(),
});
export type Identities = z.infer<typeof Identities>;

export const User = z.object({
  id: Id,
  name: z.string(),
  email: z.string().nullable(),
  role: Role,
  team: TeamRef.nullable(),
  identities: Identities,
});
export type User = z.infer<typeof User>;

export const Workspace = z.object({ id: Id, name: z.string(), slug: z.string() });
export const Me = z.object({ user: User, workspace: Workspace });
export type Me = z.infer<typeof Me>;

const identityText = text(200).trim().nullable();
export const IdentitiesPatch = z.strictObject({
  githubLogin: identityText.optional(),
  jiraName: identityText.optional(),
  jiraAccountId: identityText.optional(),
  asanaName: identityText.optional(),
});

export const TeamCreate = z.strictObject({ name: requiredText(200) });
export const Teams = z.object({ teams: z.array(TeamRef), nextCursor: NextCursor });
export const TeamFilters = z.strictObject(pageQuery(PAGE_LIMITS.teams, 200));

export const UserCreate = z.strictObject({
  name: requiredText(200),
  email: z.email({ error: 'must be an email address' }).max(320).nullable().optional(),
  role: Role.default('member'),
  teamId: Id.nullable().optional(),
  identities: IdentitiesPatch.optional(),
});
export const Users = z.object({ users: z.array(User), nextCursor: NextCursor });
export const UserFilters = z.strictObject(pageQuery(PAGE_LIMITS.users, 200));

export const Token = z.object({
  id: Id,
  name: z.string(),
  displayPrefix: z.string(),
  user: PersonRef,
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});
export const Tokens = z.object({ tokens: z.array(Token), nextCursor: NextCursor });
export const TokenFilters = z.strictObject(pageQuery(PAGE_LIMITS.tokens, 200));
export const TokenCreate = z.strictObject({
  name: requiredText(200),
  /** Admins may create a token for another user of the workspace; default: the caller. */
  userId: Id.optional(),
});
/** The secret appears in this response only; it is stored hashed. */
export const CreatedToken = Token.extend({ token: z.string() });
export const CreatedUser = z.object({ user: User, token: CreatedToken });

// ---------------------------------------------------------------------------------------------
// Periods, objectives, key results, status updates

export const Period = z.object({ id: Id, name: z.string(), startsOn: DateOnly, endsOn: DateOnly });
export type Period = z.infer<typeof Period>;
export const Periods = z.object({ periods: z.array(Period), nextCursor: NextCursor });
export const PeriodFilters = z.strictObject(pageQuery(PAGE_LIMITS.periods, 100));
export const PeriodCreate = z
  .strictObject({ name: requiredText(100), startsOn: DateOnly, endsOn: DateOnly })
  .refine((p) => p.startsOn <= p.endsOn, { message: 'must not be before startsOn', path: ['endsOn'] });

export const ObjectiveStatus = z.enum(['active', 'achieved', 'missed', 'dropped']);
export type ObjectiveStatus = z.infer<typeof ObjectiveStatus>;
export const Health = z.enum(['on_track', 'at_risk', 'off_track']);
export const UpdateStatus = z.enum(['on_track', 'at_risk', 'off_track', 'achieved', 'missed', 'dropped']);
export type UpdateStatus = z.infer<typeof UpdateStatus>;

export const KeyResult = z.object({
  id: Id,
  objectiveId: Id,
  title: z.string(),
  startValue: z.number(),
  targetValue: z.number(),
  currentValue: z.number(),
  unit: z.string(),
  /** 0..1: how far current is from start towards target. */
  progress: z.number(),
});
export type KeyResult = z.infer<typeof KeyResult>;

export const KeyResultCreate = z.strictObject({
  title: requiredText(500),
  startValue: z.number().default(0),
  targetValue: z.number(),
  currentValue: z.number().optional(),
  unit: text(40).default(''),
});
export type KeyResultCreate = z.input<typeof KeyResultCreate>;
export const KeyResultPatch = z.strictObject({
  title: requiredText(500).optional(),
  startValue: z.number().optional(),
  targetValue: z.number().optional(),
  currentValue: z.number().optional(),
  unit: text(40).optional(),
});

export const Objective = z.object({
  id: Id,
  title: z.string(),
  description: z.string(),
  period: Period,
  parentId: Id.nullable(),
  owner: PersonRef.nullable(),
  team: TeamRef.nullable(),
  priorityWeight: z.number(),
  status: ObjectiveStatus,
  health: Health.nullable(),
  updateCadenceDays: z.number().int(),
  lastUpdateAt: Timestamp.nullable(),
  /** When the status left `active`. */
  closedAt: Timestamp.nullable(),
  /** Mean progress of the key results, null when there are none. */
  progress: z.number().nullable(),
  keyResults: z.array(KeyResult),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Objective = z.infer<typeof Objective>;
export const Objectives = z.object({ objectives: z.array(Objective), nextCursor: NextCursor });

const objectiveFields = {
  title: requiredText(500),
  description: text(10_000),
  parentId: Id.nullable(),
  ownerId: Id.nullable(),
  teamId: Id.nullable(),
  priorityWeight: z.number().positive('must be a positive number').max(1_000_000),
  status: ObjectiveStatus,
  updateCadenceDays: z.int().min(1).max(366),
};

export const ObjectiveCreate = z.strictObject({
  ...objectiveFields,
  description: objectiveFields.description.default(''),
  parentId: objectiveFields.parentId.optional(),
  ownerId: objectiveFields.ownerId.optional(),
  teamId: objectiveFields.teamId.optional(),
  priorityWeight: objectiveFields.priorityWeight.default(1),
  status: objectiveFields.status.default('active'),
  updateCadenceDays: objectiveFields.updateCadenceDays.default(14),
  periodId: Id,
  keyResults: z.array(KeyResultCreate).max(50).default([]),
});
export type ObjectiveCreate = z.input<typeof ObjectiveCreate>;

export const ObjectivePatch = z
  .strictObject({
    title: objectiveFields.title,
    description: objectiveFields.description,
    parentId: objectiveFields.parentId,
    ownerId: objectiveFields.ownerId,
    teamId: objectiveFields.teamId,
    priorityWeight: objectiveFields.priorityWeight,
    status: objectiveFields.status,
    updateCadenceDays: objectiveFields.updateCadenceDays,
    periodId: Id,
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { message: 'must change at least one field' });

export const ObjectiveFilters = z.strictObject({
  period: text(100).optional().describe('period id or name; `current` for the one containing today'),
  status: z.enum([...ObjectiveStatus.options, 'open', 'closed']).optional(),
  team: Id.optional(),
  owner: z.union([Id, z.literal('me')]).optional(),
  q: text(200).optional(),
  ...pageQuery(PAGE_LIMITS.objectives, 200),
});
export type ObjectiveFilters = z.infer<typeof ObjectiveFilters>;

export const StatusUpdate = z.object({
  id: Id,
  objectiveId: Id,
  status: UpdateStatus,
  note: z.string(),
  author: PersonRef.nullable(),
  createdAt: Timestamp,
});
export const StatusUpdates = z.object({ updates: z.array(StatusUpdate), nextCursor: NextCursor });
export const StatusUpdateFilters = z.strictObject(pageQuery(PAGE_LIMITS.statusUpdates, 50));
export const StatusUpdateCreate = z.strictObject({ status: UpdateStatus, note: text(5_000).default('') });

// ---------------------------------------------------------------------------------------------
// Work items and links

export const WorkItem = z.object({
  id: Id,
  ref: z.string(),
  source: Source,
  host: z.string(),
  key: z.string(),
  url: z.string().nullable(),
  title: z.string(),
  state: z.string().nullable(),
  closedAt: Timestamp.nullable(),
  assignees: z.array(z.string()),
  project: z.string().nullable(),
  estimate: z.number().nullable(),
  firstSeenAt: Timestamp,
  lastSeenAt: Timestamp,
});
export type WorkItem = z.infer<typeof WorkItem>;

export const WorkItemRecord = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(2048)
    .nullable()
    .optional(),
  title: text(1_000).optional(),
  state: text(100).nullable().optional(),
  /** Whether the host's state means done (closed, merged, resolved, completed). */
  closed: z.boolean().optional(),
  assignees: z.array(text(200)).max(50).optional(),
  project: text(300).nullable().optional(),
  estimate: z.number().min(0).max(10_000).nullable().optional(),
});
export type WorkItemRecord = z.input<typeof WorkItemRecord>;

export const Link = z.object({
  id: Id,
  ref: z.string(),
  workItemId: Id,
  objectiveId: Id,
  keyResultId: Id.nullable(),
  weight: z.number().nullable(),
  createdAt: Timestamp,
  createdBy: PersonRef.nullable(),
  endedAt: Timestamp.nullable(),
  endedBy: PersonRef.nullable(),
});
export type Link = z.infer<typeof Link>;
export const Links = z.object({ links: z.array(Link), nextCursor: NextCursor });

export const LinkCreate = z.strictObject({
  ref: WorkItemRef,
  objectiveId: Id,
  keyResultId: Id.nullable().optional(),
  weight: z.number().positive().max(1_000).nullable().optional(),
});
export type LinkCreate = z.input<typeof LinkCreate>;
export const LinkFilters = z.strictObject({
  ref: WorkItemRef.optional(),
  objectiveId: Id.optional(),
  state: z.enum(['live', 'ended', 'all']).default('live'),
  ...pageQuery(PAGE_LIMITS.links, 200),
});
export const IdempotencyKeyHeader = z.object({
  'idempotency-key': text(200).trim().min(1).optional(),
});

export const ObjectiveSummary = Objective.pick({
  id: true,
  title: true,
  period: true,
  owner: true,
  team: true,
  priorityWeight: true,
  status: true,
  health: true,
  progress: true,
});
export type ObjectiveSummary = z.infer<typeof ObjectiveSummary>;

export const StaleReason = z.enum(['objective_closed', 'objective_dropped', 'past_period', 'future_period']);
export type StaleReason = z.infer<typeof StaleReason>;
export const Verdict = z.enum(['aligned', 'unaligned', 'stale']);
export type Verdict = z.infer<typeof Verdict>;

export const ContextLink = z.object({
  id: Id,
  objective: ObjectiveSummary,
  keyResult: KeyResult.nullable(),
  weight: z.number().nullable(),
  stale: StaleReason.nullable(),
  createdAt: Timestamp,
  createdBy: PersonRef.nullable(),
});
export type ContextLink = z.infer<typeof ContextLink>;
export const Suggestion = z.object({
  objective: ObjectiveSummary,
  score: z.number(),
  reasons: z.array(z.string()),
});
export type Suggestion = z.infer<typeof Suggestion>;
export const WorkItemContext = z.object({
  ref: z.string(),
  /** Null until a page has recorded the ticket. */
  item: WorkItem.nullable(),
  links: z.array(ContextLink),
  verdict: Verdict,
  suggestions: z.array(Suggestion),
});
export type WorkItemContext = z.infer<typeof WorkItemContext>;

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
  unlinkedCursor: z.string().max(2_000, 'must be at most 2000 characters').optional(),
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
  unlinkedCursor: z.string().max(2_000, 'must be at most 2000 characters').optional(),
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

// ---------------------------------------------------------------------------------------------
// Workspace settings: metric thresholds (defaults in lib/server/metrics.ts)

export const Thresholds = z.strictObject({
  coverageDropPoints: z.number().min(0).max(1),
  coverageFallingWeeks: z.int().min(2).max(12),
  trailingWeeks: z.int().min(1).max(26),
  allocationDriftWarn: z.number().min(0).max(1),
  starvedDeltaPoints: z.number().min(0).max(1),
  starvedIdleDays: z.int().min(1).max(365),
  unlinkedGraceDays: z.int().min(0).max(90),
});
export type Thresholds = z.infer<typeof Thresholds>;
export const WorkspaceSettings = z.object({ workspace: Workspace, thresholds: Thresholds });
export const WorkspacePatch = z.strictObject({
  name: requiredText(200).optional(),
  thresholds: Thresholds.partial().optional(),
});

// ---------------------------------------------------------------------------------------------
// Objective import (YAML or CSV), shared by the CLI and the goals page

export const ImportRequest = z.strictObject({
  format: z.enum(['yaml', 'csv']),
  content: z.string().max(2_000_000, 'must be at most 2 MB'),
  dryRun: z.boolean().default(false),
});
export type ImportRequest = z.input<typeof ImportRequest>;
export const ImportRowError = z.object({ row: z.number().int(), field: z.string(), message: z.string() });
export type ImportRowError = z.infer<typeof ImportRowError>;
export const ImportResult = z.object({
  dryRun: z.boolean(),
  valid: z.boolean(),
  objectives: z.number().int(),
  keyResults: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  errors: z.array(ImportRowError),
});
export type ImportResult = z.infer<typeof ImportResult>;

/**
 * An import asked for with `Accept: application/x-ndjson` answers one JSON line per step: progress
 * while rows are written, then the result, or the error that refused the whole file.
 */
export const ImportProgress = z.object({ done: z.int(), total: z.int() });
export type ImportProgress = z.infer<typeof ImportProgress>;
export const ImportStreamLine = z.union([
  z.object({ progress: ImportProgress }),
  z.object({ result: ImportResult }),
  z.object({ error: ErrorBody.shape.error }),
]);
export type ImportStreamLine = z.infer<typeof ImportStreamLine>;

export const ServiceHealth = z.object({ ok: z.boolean(), database: z.enum(['embedded', 'external']) });
