import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { type GithubIssue, githubTicket, repositoryOfApiUrl } from '../../lib/hosts/apis/github';

// An issue as GitHub answered it (octokit/fixtures, recorded), then with the fields a sync meets.
const recorded = JSON.parse(
  readFileSync(
    createRequire(import.meta.url).resolve(
      '@octokit/fixtures/scenarios/api.github.com/paginate-issues/normalized-fixture.json',
    ),
    'utf8',
  ),
)[0].response[0] as GithubIssue;

describe('a GitHub REST issue as a ticket', () => {
  test('the recorded answer: reference, node id, state, times; slots it has, none it lacks', () => {
    const ticket = githubTicket(recorded, 'github.com');
    expect(ticket).toMatchObject({
      ref: 'github:github.com/octokit-fixture-org/paginate-issues#13',
      hostId: recorded.node_id,
      url: 'https://github.com/octokit-fixture-org/paginate-issues/issues/13',
      title: 'Test issue 13',
      state: 'open',
      stateCategory: 'open',
      assignees: [],
      estimate: null,
      createdAt: '2017-10-10T16:00:00.000Z',
      closedAt: null,
    });
    expect(ticket.containers).toEqual({ milestone: [], labels: [] });
    // Recorded before sub-issues: its parent is unknown, so the slot is left out, not emptied.
    expect('parent' in ticket.containers).toBe(false);
  });

  test('milestone, labels (encoded), sub-issue parent, assignees by account id', () => {
    const ticket = githubTicket(
      {
        ...recorded,
        milestone: { number: 3, title: 'Q4 launch' },
        labels: [{ name: 'good first issue' }, 'bug', { name: '  ' }],
        assignees: [{ login: 'mona', id: 583231 }],
        parent_issue_url: 'https://api.github.com/repos/octokit-fixture-org/platform/issues/7',
      },
      'github.com',
    );
    expect(ticket.containers).toEqual({
      milestone: [{ ref: 'github:github.com/octokit-fixture-org/paginate-issues/milestone/3', title: 'Q4 launch' }],
      labels: [
        {
          ref: 'github:github.com/octokit-fixture-org/paginate-issues/label/good%20first%20issue',
          title: 'good first issue',
        },
        { ref: 'github:github.com/octokit-fixture-org/paginate-issues/label/bug', title: 'bug' },
      ],
      parent: [{ ref: 'github:github.com/octokit-fixture-org/platform#7', title: null }],
    });
    expect(ticket.assignees).toEqual([{ id: '583231', login: 'mona', name: 'mona' }]);
  });

  test('closed as completed, closed as not planned, a merged pull request: each done, each said as GitHub says it', () => {
    const closed = { ...recorded, state: 'closed', closed_at: '2026-11-02T10:00:00Z' };
    expect(githubTicket({ ...closed, state_reason: 'completed' }, 'github.com')).toMatchObject({
      state: 'closed',
      stateCategory: 'done',
      closedAt: '2026-11-02T10:00:00.000Z',
    });
    expect(githubTicket({ ...closed, state_reason: 'not_planned' }, 'github.com').state).toBe('closed as not planned');
    expect(githubTicket({ ...closed, pull_request: { merged_at: '2026-11-02T10:00:00Z' } }, 'github.com').state).toBe(
      'merged',
    );
  });

  test('an Enterprise Server’s API addresses, below /api/v3, name their repository', () => {
    expect(repositoryOfApiUrl('https://ghe.acme.corp/api/v3/repos/eng/platform')).toEqual({
      repo: 'eng/platform',
      number: null,
    });
    expect(repositoryOfApiUrl('https://ghe.acme.corp/api/v3/repos/eng/platform/issues/42')).toEqual({
      repo: 'eng/platform',
      number: 42,
    });
    expect(repositoryOfApiUrl('https://ghe.acme.corp/api/v3/orgs/eng')).toBeNull();
    expect(() => githubTicket({ ...recorded, repository_url: 'https://api.github.com/orgs/x' }, 'github.com')).toThrow(
      /names no repository/,
    );
  });
});
