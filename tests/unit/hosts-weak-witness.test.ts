/**
 * A page is a weak witness: an assignee field the page does not show reads as null (left out of
 * the record, so the known assignees stay), unlike a field that shows nobody ([]); likewise a
 * container slot (parent, epic, milestone, labels, projects) the page does not show is left out.
 */
import { describe, expect, test } from 'vitest';
import { asanaAdapter } from '../../lib/hosts/pages/asana';
import { githubAdapter } from '../../lib/hosts/pages/github';
import { jiraAdapter } from '../../lib/hosts/pages/jira';
import { recordedContainers } from '../../lib/hosts/pages/types';
import { parseRef, type TicketRef } from '../../lib/shared/ref';
import { loadPage, REAL_GITHUB_ISSUE } from './hosts-support';

const ref = (value: string): TicketRef => {
  const parsed = parseRef(value);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.ref;
};

describe('a field the page does not show is not read as empty', () => {
  test('GitHub: without its assignees section (still loading, or moved), null; with it, the logins', () => {
    const doc = loadPage('github-react-issue.html');
    const issue = ref('github:github.com/octo-org/payments-api#1287');
    expect(githubAdapter.readDetails(doc, issue).assignees?.length).toBeGreaterThan(0);
    for (const section of doc.querySelectorAll('[data-testid="sidebar-assignees-section"], .js-issue-assignees'))
      section.remove();
    expect(githubAdapter.readDetails(doc, issue).assignees).toBeNull();
  });

  test('Jira: without the assignee field, null; with it, the name', () => {
    const doc = loadPage('jira-cloud-issue.html');
    const issue = ref('jira:acme.atlassian.net/PAY-318');
    expect(jiraAdapter.readDetails(doc, issue).assignees).toEqual(['Priya Natarajan']);
    for (const field of doc.querySelectorAll('[data-testid^="issue.views.field.user.assignee"]')) field.remove();
    expect(jiraAdapter.readDetails(doc, issue).assignees).toBeNull();
  });

  test('Asana: "No assignee" is nobody; a pane without the assignee token is null', () => {
    const doc = loadPage('asana-task-fullscreen.html');
    const task = ref('asana:app.asana.com/1207000000000002');
    expect(asanaAdapter.readDetails(doc, task).assignees).toEqual([]);
    for (const token of doc.querySelectorAll('.TaskPaneAssigneeToken')) token.remove();
    expect(asanaAdapter.readDetails(doc, task).assignees).toBeNull();
  });
});

describe('a container the page does not show is left out, the others still read', () => {
  const without = (doc: Document, selector: string) => {
    for (const element of doc.querySelectorAll(selector)) element.remove();
    return doc;
  };

  test('GitHub: each sidebar section removed leaves its slot out, never []', () => {
    const issue = ref('github:github.com/octo-org/payments-api#1287');
    const read = (selector: string) =>
      githubAdapter.readDetails(without(loadPage('github-react-issue.html'), selector), issue).containers;
    expect(Object.keys(read('.none'))).toEqual(['parent', 'milestone', 'labels', 'projects']);
    expect(read('[data-testid="sidebar-milestones-section"]')).not.toHaveProperty('milestone');
    expect(read('[data-testid="sidebar-labels-section"]')).not.toHaveProperty('labels');
    expect(read('[data-testid="sidebar-projects-section"]')).not.toHaveProperty('projects');
    const noParent = read('[data-testid="sidebar-relationships-section"], [class*="HeaderViewer-module__parentIssue"]');
    expect(Object.keys(noParent)).toEqual(['milestone', 'labels', 'projects']);

    const real = loadPage(REAL_GITHUB_ISSUE);
    const dotnet = ref('github:github.com/dotnet/runtime#30402');
    const sidebar = githubAdapter.readDetails(without(real, '#partial-discussion-sidebar'), dotnet).containers;
    // Without its sidebar the page still shows labels and the milestone above the conversation, which are not read.
    expect(real.querySelector('a[href="/dotnet/runtime/milestone/1"]')).not.toBeNull();
    expect(sidebar).toEqual({});
  });

  test('Jira: the parent field and breadcrumb, or the labels field, removed leave their slot out', () => {
    const issue = ref('jira:acme.atlassian.net/PAY-318');
    const read = (selector: string) =>
      jiraAdapter.readDetails(without(loadPage('jira-cloud-issue.html'), selector), issue).containers;
    expect(read('[data-testid="issue.views.field.parent"]').parent).toEqual([
      { ref: 'jira:acme.atlassian.net/PAY-300', title: null },
    ]);
    expect(
      read('[data-testid="issue.views.field.parent"], [data-testid$="breadcrumbs.parent-issue.item"]'),
    ).not.toHaveProperty('parent');
    expect(read('[data-testid$="select-inline-edit.labels"]')).toEqual({
      parent: [{ ref: 'jira:acme.atlassian.net/PAY-300', title: 'Refunds overhaul' }],
    });
    const server = ref('jira:jira.acme.internal:8443/OPS_2-1042');
    expect(
      jiraAdapter.readDetails(without(loadPage('jira-server-issue.html'), '#rowForcustomfield_10101'), server)
        .containers,
    ).not.toHaveProperty('epic');
  });

  test('Asana: a pane without ancestry or without the Projects field leaves that slot out', () => {
    const task = ref('asana:app.asana.com/1207000000000002');
    const read = (selector: string) =>
      asanaAdapter.readDetails(without(loadPage('asana-task-fullscreen.html'), selector), task).containers;
    expect(read('.TaskAncestry')).toEqual({
      projects: [{ ref: 'asana:app.asana.com/project/1207000000000100', title: 'Vendor management' }],
    });
    expect(read('.TaskPaneFields-projectsRow')).toEqual({
      parent: [{ ref: 'asana:app.asana.com/1207000000000020', title: 'Vendor renewals 2026' }],
    });
  });
});

describe('what the record says of the containers', () => {
  const label = (name: string) => ({ ref: `github:github.com/o/r/label/${name}`, title: name });

  test('the shown slots, [] included; nothing when the page showed none', () => {
    expect(recordedContainers({})).toBeNull();
    expect(recordedContainers({ milestone: [], labels: [label('bug')] })).toEqual({
      milestone: [],
      labels: [label('bug')],
    });
  });

  test('titles clipped to 1,000 characters, references too long for a record dropped', () => {
    const long = 'x'.repeat(380);
    const recorded = recordedContainers({
      parent: [{ ref: 'jira:acme.atlassian.net/PAY-300', title: 'é'.repeat(1200) }],
      labels: [label('bug'), label(long)],
    });
    expect(recorded?.parent?.[0]?.title).toHaveLength(1000);
    expect(recorded?.labels).toEqual([label('bug')]);
  });

  test('a slot holding more than a record takes is left out, not cut: a part would end the rest', () => {
    const labels = Array.from({ length: 101 }, (_, i) => label(`l${i}`));
    expect(recordedContainers({ labels, milestone: [] })).toEqual({ milestone: [] });
    expect(recordedContainers({ labels: labels.slice(0, 100) })?.labels).toHaveLength(100);
  });
});
