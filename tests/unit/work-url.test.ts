import { describe, expect, test } from 'vitest';
import { workRefFromUrl } from '../../lib/extension/work-url';

describe('workRefFromUrl: what a pasted address names for linking', () => {
  test.each([
    ['https://github.com/acme/api/issues/12', 'github:github.com/acme/api#12'],
    ['https://github.com/acme/api/pull/7/files', 'github:github.com/acme/api#7'],
    ['https://github.com/acme/api/milestone/3', 'github:github.com/acme/api/milestone/3'],
    [
      'https://github.com/acme/api/labels/good%20first%20issue',
      'github:github.com/acme/api/label/good%20first%20issue',
    ],
    ['https://github.com/orgs/acme/projects/5/views/1', 'github:github.com/acme/projects/5'],
    ['https://github.com/users/priyan/projects/2', 'github:github.com/priyan/projects/2'],
    ['https://acme.atlassian.net/browse/PAY-300', 'jira:acme.atlassian.net/PAY-300'],
    [
      'https://acme.atlassian.net/issues/?jql=project%20%3D%20PAY%20AND%20labels%20%3D%20refunds',
      'jira:acme.atlassian.net/PAY/label/refunds',
    ],
    [
      'https://acme.atlassian.net/issues/?jql=labels = "the refunds" and project = pay',
      'jira:acme.atlassian.net/PAY/label/the%20refunds',
    ],
    ['https://app.asana.com/0/1207000000000100/list', 'asana:app.asana.com/project/1207000000000100'],
    ['https://app.asana.com/1/77/project/1207000000000100/board/1', 'asana:app.asana.com/project/1207000000000100'],
    ['https://app.asana.com/0/1207000000000100/1207000000000001', 'asana:app.asana.com/1207000000000001'],
    ['https://git.acme.corp/platform/api/milestone/2', 'github:git.acme.corp/platform/api/milestone/2'],
    ['https://jira.acme.corp/browse/OPS-1', 'jira:jira.acme.corp/OPS-1'],
  ])('%s names %s', (url, ref) => {
    expect(workRefFromUrl(url)).toEqual({ ok: true, ref });
  });

  test.each([
    'https://github.com/acme/api',
    'https://acme.atlassian.net/issues/?jql=labels%20%3D%20refunds',
    'https://app.asana.com/0/0/list',
    'https://app.asana.com/1/77/home',
    'https://example.com/',
  ])('refuses %s, saying what to paste', (url) => {
    expect(workRefFromUrl(url)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^not a ticket, epic, milestone/),
    });
  });

  test('refuses what is not a URL', () => {
    expect(workRefFromUrl('PAY-300')).toEqual({ ok: false, reason: '"PAY-300" is not a URL' });
  });
});
