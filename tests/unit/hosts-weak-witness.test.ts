/**
 * A page is a weak witness: an assignee field the page does not show reads as null (left out of
 * the record, so the known assignees stay), unlike a field that shows nobody ([]).
 */
import { describe, expect, test } from 'vitest';
import { asanaAdapter } from '../../lib/hosts/pages/asana';
import { githubAdapter } from '../../lib/hosts/pages/github';
import { jiraAdapter } from '../../lib/hosts/pages/jira';
import { parseRef, type TicketRef } from '../../lib/shared/ref';
import { loadPage } from './hosts-support';

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
