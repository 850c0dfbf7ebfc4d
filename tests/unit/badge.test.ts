import { describe, expect, test } from 'vitest';
import { badgeFor } from '../../lib/extension/badge';
import type { MyCoverage } from '../../lib/shared/contract';

function mine(coverage: number | null, unlinkedCount: number): MyCoverage {
  return { coverage: { coverage }, unlinkedCount } as MyCoverage;
}

describe('the toolbar badge', () => {
  test('coverage as a whole percentage, coloured by how much', () => {
    expect(badgeFor('coverage', mine(0.734, 2))).toMatchObject({ text: '73%', color: '#9a6700' });
    expect(badgeFor('coverage', mine(0.8, 0)).color).toBe('#1a7f37');
    expect(badgeFor('coverage', mine(0.2, 9)).color).toBe('#cf222e');
    expect(badgeFor('coverage', mine(0.734, 2)).title).toBe(
      'Throughline: 73% of your work this week serves a goal; 2 tickets serve none',
    );
  });

  test('the unlinked count, capped to fit the badge', () => {
    expect(badgeFor('unlinked', mine(0.5, 1))).toMatchObject({ text: '1' });
    expect(badgeFor('unlinked', mine(0.5, 1)).title).toContain('1 ticket serves none');
    expect(badgeFor('unlinked', mine(1, 0))).toMatchObject({ text: '0', color: '#1a7f37' });
    expect(badgeFor('unlinked', mine(0, 150)).text).toBe('99+');
  });

  test('no active work, and not connected', () => {
    expect(badgeFor('coverage', mine(null, 0)).text).toBe('–');
    expect(badgeFor('coverage', null)).toMatchObject({ text: '', title: 'Throughline: not connected' });
  });
});
