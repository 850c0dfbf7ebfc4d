/** Work items, links, and a ticket’s context (its verdict and suggestions). */
import { z } from 'zod';
import { Id, NextCursor, PAGE_LIMITS, pageQuery, Source, Timestamp, text, WorkItemRef } from './base';
import { KeyResult, Objective } from './objectives';
import { PersonRef } from './people';
import { ScopeTarget } from './scope';

// ---------------------------------------------------------------------------------------------
// Work items and links

export const WorkItem = z.object({
  id: Id,
  ref: z.string(),
  /**
   * A ticket, or a container: a milestone, label, Project, Asana project or section, or a ticket so
   * far only named as another's parent or epic (it counts as work once a page or the host records it).
   */
  kind: z.enum(['ticket', 'container']),
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
  /** Where each recorded field came from and when (`title`, …, `closed`, `containers.parent`, …). */
  fieldSources: z.record(z.string(), z.object({ source: z.enum(['page', 'api']), at: Timestamp })),
});
export type WorkItem = z.infer<typeof WorkItem>;

const ContainerRead = z.strictObject({ ref: WorkItemRef, title: text(1_000).nullable() });
const oneAtMost = z.array(ContainerRead).max(1, 'holds at most one');
/** Per slot: what the page showed there, [] when it showed none. See lib/shared/ref.ts `ContainerReads`. */
export const ContainerReads = z.strictObject({
  parent: oneAtMost.optional(),
  epic: oneAtMost.optional(),
  milestone: oneAtMost.optional(),
  labels: z.array(ContainerRead).max(100).optional(),
  projects: z.array(ContainerRead).max(50).optional(),
  section: z.array(ContainerRead).max(50).optional(),
});
export type ContainerReads = z.infer<typeof ContainerReads>;

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
  /** Where the ticket sits, per slot the page showed; a slot left out keeps what is known of it. */
  containers: ContainerReads.optional(),
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

export const ContainerSlot = z.enum(['parent', 'epic', 'milestone', 'labels', 'projects', 'section']);
export type ContainerSlot = z.infer<typeof ContainerSlot>;
/** The container a link comes down through. */
export const InheritedFrom = z.object({
  ref: z.string(),
  title: z.string(),
  /** The field that names this container on the ticket below it (the ticket itself, or a container between). */
  slot: ContainerSlot,
  url: z.string().nullable(),
});
export type InheritedFrom = z.infer<typeof InheritedFrom>;

export const ContextLink = z.object({
  /** The link's id: for an inherited link, the container's link. */
  id: Id,
  objective: ObjectiveSummary,
  keyResult: KeyResult.nullable(),
  weight: z.number().nullable(),
  stale: StaleReason.nullable(),
  createdAt: Timestamp,
  createdBy: PersonRef.nullable(),
  /** Null for the ticket's own link; else the container it serves the objective through. */
  inheritedFrom: InheritedFrom.nullable(),
});
export type ContextLink = z.infer<typeof ContextLink>;
export const Suggestion = z.object({
  objective: ObjectiveSummary,
  score: z.number(),
  reasons: z.array(z.string()),
});
export type Suggestion = z.infer<typeof Suggestion>;
// ---------------------------------------------------------------------------------------------
// "Not for this goal": exceptions to inherited links

export const LinkException = z.object({
  id: Id,
  ref: z.string(),
  /** The ticket's title and address, as last recorded. */
  title: z.string(),
  url: z.string().nullable(),
  objective: ObjectiveSummary,
  createdAt: Timestamp,
  createdBy: PersonRef.nullable(),
  endedAt: Timestamp.nullable(),
});
export type LinkException = z.infer<typeof LinkException>;
export const LinkExceptions = z.object({ exceptions: z.array(LinkException), nextCursor: NextCursor });
export const LinkExceptionCreate = z.strictObject({ ref: WorkItemRef, objectiveId: Id });
export type LinkExceptionCreate = z.input<typeof LinkExceptionCreate>;
export const LinkExceptionFilters = z.strictObject({
  ref: WorkItemRef.optional(),
  objectiveId: Id.optional(),
  ...pageQuery(PAGE_LIMITS.links, 200),
});

export const WorkItemContext = z.object({
  ref: z.string(),
  /** Null until a page has recorded the ticket. */
  item: WorkItem.nullable(),
  links: z.array(ContextLink),
  verdict: Verdict,
  suggestions: z.array(Suggestion),
  /** Where the ticket sits, as recorded: its live containers. */
  containers: z.array(z.object({ ref: z.string(), slot: ContainerSlot, title: z.string() })),
  /** "Not for this goal": objectives the ticket does not inherit from its containers. */
  exceptions: z.array(LinkException),
  /** False for a ticket outside the workspace's scope: not recorded, counted nowhere, no warning. */
  inScope: z.boolean(),
  /** Out of scope: what an admin would declare to track it. */
  track: ScopeTarget.nullable(),
  /** Whether the caller may declare scope (an admin). */
  canDeclareScope: z.boolean(),
});
export type WorkItemContext = z.infer<typeof WorkItemContext>;
