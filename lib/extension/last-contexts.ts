/**
 * The last context the goals API gave for each ticket, kept in the extension so that a page loaded
 * offline still shows what was known, with its age. Bounded: the most recently read tickets stay.
 */
import type { WorkItemContext } from '../shared/contract';

export interface KnownContext {
  context: WorkItemContext;
  /** When the API gave it (ms). */
  at: number;
}
export type LastContexts = Record<string, KnownContext>;

/** Enough for every ticket a person opens in a few weeks; a context is a few KB. */
export const MAX_LAST_CONTEXTS = 200;

/** The contexts with this one as the newest, the oldest dropped beyond `max`. */
export function remember(
  known: LastContexts,
  ref: string,
  context: WorkItemContext,
  at: number,
  max = MAX_LAST_CONTEXTS,
): LastContexts {
  const entries = Object.entries(known).filter(([key]) => key !== ref);
  entries.push([ref, { context, at }]);
  entries.sort((a, b) => a[1].at - b[1].at);
  return Object.fromEntries(entries.slice(Math.max(0, entries.length - max)));
}
