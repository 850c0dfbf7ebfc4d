/** What the toolbar badge says: the person's coverage this week, or how many of their tickets serve no goal. */
import type { MyCoverage } from '../shared/contract';
import { percent } from './labels';

export type BadgeMode = 'coverage' | 'unlinked';
export interface Badge {
  text: string;
  color: string;
  title: string;
}

// Text on these passes WCAG AA contrast with the badge's white text.
const GOOD = '#1a7f37';
const WARN = '#9a6700';
const BAD = '#cf222e';
const NEUTRAL = '#57606a';

export function badgeFor(mode: BadgeMode, mine: MyCoverage | null): Badge {
  if (!mine) return { text: '', color: NEUTRAL, title: 'Throughline: not connected' };
  const { coverage } = mine.coverage;
  const unlinked = mine.unlinkedCount;
  const summary =
    coverage === null
      ? 'Throughline: none of your tickets was active this week'
      : `Throughline: ${percent(coverage)} of your work this week serves a goal; ${unlinked} ticket${unlinked === 1 ? '' : 's'} serve${unlinked === 1 ? 's' : ''} none`;
  if (mode === 'unlinked') {
    return {
      text: unlinked > 99 ? '99+' : String(unlinked),
      color: unlinked === 0 ? GOOD : unlinked <= 3 ? WARN : BAD,
      title: summary,
    };
  }
  if (coverage === null) return { text: '–', color: NEUTRAL, title: summary };
  return { text: percent(coverage), color: coverage >= 0.8 ? GOOD : coverage >= 0.5 ? WARN : BAD, title: summary };
}
