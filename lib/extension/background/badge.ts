/** The toolbar badge: the person's coverage or unlinked count, refreshed after what changes it. */
import type { MyCoverage } from '../../shared/contract';
import { badgeFor } from '../badge';
import { type BackgroundDeps, client } from './deps';

/** Refreshes started in this worker; only the latest shows its figure, so an older one never wins. */
let badgeRounds = 0;
/** A figure older than this is refreshed when a ticket is viewed: the week moves on by itself. */
export const BADGE_MAX_AGE_MS = 60 * 60 * 1000;
/** Shows the person's coverage (or unlinked count) on the toolbar; fetches it unless given. */
export async function refreshBadge(deps: BackgroundDeps, mine?: MyCoverage): Promise<void> {
  const round = ++badgeRounds;
  let current: MyCoverage | null = mine ?? null;
  if (!current) {
    try {
      current = await (await client(deps)).myCoverage();
    } catch {
      current = null;
    }
  }
  if (round !== badgeRounds) return;
  try {
    await deps.badge.show(badgeFor(await deps.badge.mode(), current));
  } catch {
    // The badge is a convenience: a browser that refuses it changes nothing else.
  }
}
