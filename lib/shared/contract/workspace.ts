/** Workspace settings: the thresholds of the figures. */
import { z } from 'zod';
import { requiredText } from './base';
import { Workspace } from './people';

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
