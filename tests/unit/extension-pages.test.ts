import { describe, expect, test } from 'vitest';
import { badgeFor } from '../../lib/badge';
import type { Identities, MyCoverage } from '../../lib/contract';
import { identityFieldFor, identityPatchFor, matchedIdentities } from '../../lib/identities';
import { objectiveTree } from '../../lib/objective-tree';

const none: Identities = { githubLogin: null, jiraName: null, jiraAccountId: null, asanaName: null };

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

describe('identities seen on pages', () => {
  test('each host fills its own field; Jira account ids are told from names', () => {
    expect(identityFieldFor('github', 'octocat')).toBe('githubLogin');
    expect(identityFieldFor('asana', 'Dana Scully')).toBe('asanaName');
    expect(identityFieldFor('jira', 'Dana Scully')).toBe('jiraName');
    expect(identityFieldFor('jira', '5b10ac8d82e05b22cc7d4ef5')).toBe('jiraAccountId');
    expect(identityFieldFor('jira', '712020:2b9e1c4e-77a1-4d0e-9a55-0f6c3c0b6f1e')).toBe('jiraAccountId');
    expect(identityFieldFor('jira', 'dscully')).toBe('jiraName');
  });

  test('only an empty field is filled; a blank name fills nothing', () => {
    expect(identityPatchFor(none, 'github', ' octocat ')).toEqual({ githubLogin: 'octocat' });
    expect(identityPatchFor({ ...none, githubLogin: 'mine' }, 'github', 'octocat')).toBeNull();
    expect(identityPatchFor(none, 'jira', '   ')).toBeNull();
  });

  test('the popup lists the identities set, by host', () => {
    expect(matchedIdentities({ ...none, githubLogin: 'octocat', asanaName: 'Oct O.' })).toEqual([
      { host: 'GitHub', name: 'octocat' },
      { host: 'Asana', name: 'Oct O.' },
    ]);
    expect(matchedIdentities(none)).toEqual([]);
  });
});

describe('objectives in reading order', () => {
  const o = (id: string, parentId: string | null, priorityWeight = 1) => ({ id, parentId, priorityWeight, title: id });

  test('parents first by priority, each followed by its children', () => {
    const tree = objectiveTree([o('b', null, 1), o('a1', 'a'), o('a', null, 5), o('a1x', 'a1'), o('b1', 'b')]);
    expect(tree.map((t) => `${'-'.repeat(t.depth)}${t.objective.id}`)).toEqual(['a', '-a1', '--a1x', 'b', '-b1']);
  });

  test('a parent outside the list makes a root; a cycle is still listed, once', () => {
    expect(objectiveTree([o('c', 'elsewhere')]).map((t) => t.depth)).toEqual([0]);
    const cycle = objectiveTree([o('x', 'y'), o('y', 'x')]);
    expect(cycle.map((t) => t.objective.id).sort()).toEqual(['x', 'y']);
    expect(objectiveTree([])).toEqual([]);
  });
});
