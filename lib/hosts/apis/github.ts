/**
 * GitHub's REST issues (and pull requests, which its issue lists include) as tickets: pure, for
 * the GitHub connector (server/connectors/github.ts). Shapes as github/rest-api-description has
 * them; a field an older Enterprise Server lacks (`parent_issue_url` before 3.16) leaves its slot
 * unsaid, so what a page showed of it stays.
 */
import { type ContainerReads, encodeName, formatRef } from '../../shared/ref';
import type { HostAccount, SyncedTicket } from './types';

/** The fields of a REST issue the mapping reads. */
export interface GithubIssue {
  id: number;
  node_id: string;
  number: number;
  title: string;
  state: string;
  state_reason?: string | null;
  html_url: string;
  repository_url: string;
  assignees?: { login: string; id: number }[] | null;
  labels: (string | { name?: string | null })[];
  milestone: { number: number; title: string } | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  pull_request?: { merged_at?: string | null };
  /** The sub-issue parent, as an API URL; absent where the server has no sub-issues. */
  parent_issue_url?: string | null;
}

/** `owner/repo` from an API URL `…/repos/owner/repo[/issues/N]`, or null. */
export function repositoryOfApiUrl(url: string): { repo: string; number: number | null } | null {
  const match = /\/repos\/([^/]+\/[^/]+?)(?:\/issues\/(\d+))?\/?$/.exec(new URL(url).pathname);
  if (!match) return null;
  return { repo: match[1] as string, number: match[2] ? Number(match[2]) : null };
}

/** The issue's state as GitHub words it: open, closed (completed or not planned), merged. */
function stateOf(issue: GithubIssue): string {
  if (issue.pull_request?.merged_at) return 'merged';
  if (issue.state === 'closed' && issue.state_reason === 'not_planned') return 'closed as not planned';
  return issue.state;
}

export function githubTicket(issue: GithubIssue, site: string): SyncedTicket {
  const located = repositoryOfApiUrl(issue.repository_url);
  if (!located) throw new Error(`GitHub issue ${issue.id} names no repository (${issue.repository_url})`);
  const repo = located.repo;
  const ref = (key: string) => formatRef({ source: 'github', host: site, key });
  const containers: ContainerReads = {
    milestone: issue.milestone
      ? [{ ref: ref(`${repo}/milestone/${issue.milestone.number}`), title: issue.milestone.title }]
      : [],
    labels: issue.labels.flatMap((label) => {
      const name = typeof label === 'string' ? label : label.name;
      return name?.trim() ? [{ ref: ref(`${repo}/label/${encodeName(name)}`), title: name }] : [];
    }),
  };
  if (issue.parent_issue_url !== undefined) {
    const parent = issue.parent_issue_url ? repositoryOfApiUrl(issue.parent_issue_url) : null;
    containers.parent = parent?.number ? [{ ref: ref(`${parent.repo}#${parent.number}`), title: null }] : [];
  }
  const assignees: HostAccount[] = (issue.assignees ?? []).map((a) => ({
    id: String(a.id),
    login: a.login,
    name: a.login,
  }));
  const closed = issue.state === 'closed';
  return {
    ref: ref(`${repo}#${issue.number}`),
    hostId: issue.node_id,
    url: issue.html_url,
    title: issue.title,
    state: stateOf(issue),
    // An open issue says nothing of being under way on GitHub itself (a Project's status might).
    stateCategory: closed ? 'done' : 'open',
    assignees,
    estimate: null,
    containers,
    createdAt: new Date(issue.created_at).toISOString(),
    updatedAt: new Date(issue.updated_at).toISOString(),
    closedAt: closed && issue.closed_at ? new Date(issue.closed_at).toISOString() : null,
  };
}
