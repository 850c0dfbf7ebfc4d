/**
 * The last context the goals API gave for each ticket, kept in the extension so that a page loaded
 * offline still shows what was known, with its age. Bounded: the most recently read tickets stay.
 * Each context is kept under its own key, and a small index says when each was read, so that a
 * ticket view writes one context, not all of them.
 */
import type { WorkItemContext } from '../shared/contract';

export interface KnownContext {
  context: WorkItemContext;
  /** When the API gave it (ms). */
  at: number;
}
/** When each kept ticket's context was read (ms), by ticket reference. */
export type ContextIndex = Record<string, number>;

/** Enough for every ticket a person opens in a few weeks; a context is a few KB. */
export const MAX_LAST_CONTEXTS = 200;

/** The index with `ref` read at `at`, and the tickets that fall out of it beyond `max`, oldest first. */
export function remembered(
  index: ContextIndex,
  ref: string,
  at: number,
  max = MAX_LAST_CONTEXTS,
): { index: ContextIndex; dropped: string[] } {
  const entries = Object.entries({ ...index, [ref]: at }).sort((a, b) => a[1] - b[1]);
  const cut = Math.max(0, entries.length - max);
  return { index: Object.fromEntries(entries.slice(cut)), dropped: entries.slice(0, cut).map(([key]) => key) };
}
