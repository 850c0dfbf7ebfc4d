import { describe, expect, test } from 'vitest';
import { identityFieldFor, identityPatchFor, matchedIdentities } from '../../lib/extension/identities';
import type { Identities } from '../../lib/shared/contract';

const none: Identities = { githubLogin: null, jiraName: null, jiraAccountId: null, asanaName: null, asanaGid: null };

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
