/** The alignment review as Markdown, for the people who were not there. */
import type { HeldReview, Review } from '../shared/contract';
import { DECISION_KIND_TEXT, percent, STALE_TEXT, signedPoints, starvedText } from './labels';

/**
 * Text from tickets and goals is data: every Markdown character in it is escaped (CommonMark
 * backslash escapes, `&` as an entity), so a title like `<img onerror=…>`, `| x |`, `- item`,
 * `1. step`, `&lt;b&gt;` or a bare URL reads as written and breaks no table or list.
 */
export function markdownText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_{}[\]()<>#+!|~:]/g, '\\$&')
    .replace(/^(\d+)([.)])/, '$1\\$2')
    .replace(/^-/, '\\-');
}

const pct = (share: number | null) => (share === null ? 'n/a' : percent(share));
const day = (iso: string) => iso.slice(0, 10);

export function reviewMarkdown(review: Review, decisions: HeldReview['decisions'] = review.decisions): string {
  const lines: string[] = [];
  const { coverage, drift } = review;
  lines.push(`# Alignment review: ${markdownText(review.scope.name)}, ${markdownText(review.period.name)}`, '');
  lines.push(`Data as of ${day(review.generatedAt)}.`, '');

  lines.push('## Coverage', '');
  lines.push(
    coverage.coverage === null
      ? 'No work was active this week.'
      : `${pct(coverage.coverage)} of this week’s active effort serves a goal of the current period ` +
          `(${coverage.coveredEffort} of ${coverage.totalEffort} points, ${coverage.coveredItems} of ${coverage.activeItems} tickets).`,
    '',
  );
  lines.push('| Week ending | Coverage | Fit | Allocation drift |', '|---|---:|---:|---:|');
  for (const week of drift.series) {
    lines.push(
      `| ${day(week.weekEnd)} | ${pct(week.coverage)} | ${week.fit === null ? 'n/a' : week.fit.toFixed(2)} | ${
        week.allocationDrift === null ? 'n/a' : week.allocationDrift.toFixed(2)
      } |`,
    );
  }
  lines.push('');

  lines.push(`## Allocation against priority (fit ${review.fit === null ? 'n/a' : review.fit.toFixed(2)})`, '');
  if (review.allocation.length === 0) lines.push('No open objective in this period.', '');
  else {
    lines.push('| Objective | Priority share | Share of linked work | Difference | |', '|---|---:|---:|---:|---|');
    for (const row of review.allocation) {
      lines.push(
        `| ${markdownText(row.objective.title)} | ${pct(row.priorityShare)} | ${pct(row.allocationShare)} | ${signedPoints(
          row.delta,
        )} | ${row.starved ? '**starved**' : ''} |`,
      );
    }
    lines.push('');
  }

  lines.push('## Drift', '');
  lines.push(
    drift.coverageDrift.flagged
      ? `- **Coverage drift**: ${drift.coverageDrift.reasons.map(markdownText).join('; ')}`
      : '- Coverage: no drift.',
  );
  lines.push(
    `- Allocation drift: ${drift.allocationDrift.latest === null ? 'n/a' : drift.allocationDrift.latest.toFixed(2)}${
      drift.allocationDrift.flagged ? ' — **above the warning threshold**' : ''
    }.`,
  );
  lines.push(
    `- Unlinked intake: ${pct(drift.unlinkedIntake.share)} of ${drift.unlinkedIntake.newItems} new tickets got no link in time.`,
    '',
  );

  const section = <T>(title: string, rows: T[], line: (row: T) => string, none: string) => {
    lines.push(`## ${title}`, '');
    if (rows.length === 0) lines.push(none);
    for (const row of rows) lines.push(`- ${line(row)}`);
    lines.push('');
  };
  section(
    'Starved objectives',
    review.allocation.filter((r) => r.starved),
    (r) => `${markdownText(r.objective.title)}: ${starvedText(r)}`,
    'None.',
  );
  section(
    'Unlinked tickets with the most effort',
    review.unlinked.slice(0, 10),
    (item) => `${markdownText(item.title || item.ref)} (${markdownText(item.ref)}, ${item.effort} pts)`,
    'None: every active ticket serves a goal.',
  );
  section(
    'Stale links',
    review.staleLinks,
    (s) => `${markdownText(s.title || s.ref)} → ${markdownText(s.objective.title)}: ${STALE_TEXT[s.reason]}`,
    'None.',
  );
  section(
    'Stale goals',
    review.staleGoals,
    (g) =>
      `${markdownText(g.objective.title)}: last update ${g.lastUpdateAt ? day(g.lastUpdateAt) : 'never'}, due since ${day(
        g.dueSince,
      )}`,
    'None.',
  );
  section(
    'Decisions',
    decisions,
    (d) =>
      `**${DECISION_KIND_TEXT[d.kind]}**: ${markdownText(d.summary)}${d.owner ? ` — owner ${markdownText(d.owner.name)}` : ''}${
        d.dueOn ? `, due ${d.dueOn}` : ''
      } (recorded ${day(d.createdAt)})`,
    'No decision recorded.',
  );
  return `${lines.join('\n').trimEnd()}\n`;
}
