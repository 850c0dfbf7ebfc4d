/** The words the extension's UI uses for the contract's values, in one place. */
import type { ObjectiveStatus, StaleReason, UpdateStatus } from '../shared/contract';

export const percent = (share: number) => `${Math.round(share * 100)}%`;
export const percentOrNull = (share: number | null) => (share === null ? null : percent(share));
/** A difference of shares in percentage points, signed: `+5 pts`, `−12 pts`. */
export const signedPoints = (delta: number) => `${delta >= 0 ? '+' : '−'}${Math.abs(Math.round(delta * 100))} pts`;

/** Why an objective is starved, in words. */
export function starvedText(row: {
  starvedReasons: ('under_allocated' | 'no_recent_work')[];
  allocationShare: number;
  priorityShare: number;
}): string {
  return row.starvedReasons
    .map((reason) =>
      reason === 'under_allocated'
        ? `gets ${percent(row.allocationShare)} of the work against a priority of ${percent(row.priorityShare)}`
        : 'no linked work in recent weeks',
    )
    .join('; ');
}

export const STATUS_TEXT: Record<ObjectiveStatus, string> = {
  active: 'Active',
  achieved: 'Achieved',
  missed: 'Missed',
  dropped: 'Dropped',
};
export const HEALTH_TEXT = { on_track: 'On track', at_risk: 'At risk', off_track: 'Off track' } as const;
export const UPDATE_STATUS_TEXT: Record<UpdateStatus, string> = {
  ...HEALTH_TEXT,
  achieved: 'Achieved',
  missed: 'Missed',
  dropped: 'Dropped',
};

export const STALE_TEXT: Record<StaleReason, string> = {
  objective_closed: 'its objective is closed',
  objective_dropped: 'its objective was dropped',
  past_period: 'its objective belongs to a past period',
  future_period: 'its objective belongs to a later period',
};

export const DECISION_KIND_TEXT = {
  shift_effort: 'Shift effort',
  reprioritise: 'Re-prioritise',
  unblock: 'Unblock',
  revise_goal: 'Revise a goal',
  other: 'Other',
} as const;
