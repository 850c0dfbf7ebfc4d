/** Periods, objectives, key results and status updates. */
import { z } from 'zod';
import { DateOnly, Id, NextCursor, PAGE_LIMITS, pageQuery, requiredText, Timestamp, text } from './base';
import { PersonRef, TeamRef } from './people';

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
