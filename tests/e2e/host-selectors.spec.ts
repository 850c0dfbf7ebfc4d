/**
 * Host fixes as data, in the browser: Jira moves the element that holds an issue's title, so the
 * extension's built-in selectors read no title; an admin publishes a selector for it through the
 * API; the next view of the page reads the title right, with no new build of the extension.
 */
import { expect } from '@playwright/test';
import { connectedBrowser, sidebarOf } from '../../testkit/browser';
import { apiForThisFile, fixture, test } from './harness';

const apiOf = apiForThisFile();
const URL = 'https://acme.atlassian.net/browse/PAY-8501';
const REF = 'jira:acme.atlassian.net/PAY-8501';
const TITLE = 'Refund e-mail shows <img src=x onerror=alert(1)> & "quotes" 🧾';
const BUILT_IN = 'data-testid="issue.views.issue-base.foundation.summary.heading" ';
const MOVED = 'data-testid="issue-view-summary.heading-2027" ';

/** The saved Jira Cloud page after a Jira release renamed the summary heading's test id. */
function movedTitlePage(): string {
  const page = fixture('jira-cloud-issue.html').replaceAll('PAY-318', 'PAY-8501');
  expect(page.split(BUILT_IN)).toHaveLength(2);
  return page.replace(BUILT_IN, MOVED);
}

const contextOf = async () => apiOf().get(`/v1/work-items/${encodeURIComponent(REF)}/context`);

async function publish(body: unknown) {
  const response = await fetch(`${apiOf().url}/v1/host-selectors`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${apiOf().token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

test('a moved title is read no more; an admin publishes a selector; the next view reads it right', async () => {
  const { context, page } = await connectedBrowser(apiOf(), { [URL]: movedTitlePage() });
  try {
    await page.goto(URL);
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByText('This ticket serves no goal.')).toBeVisible();
    // The built-in selectors find no title: the extension records nothing of the page (it never
    // records what it cannot tell is this ticket). Past the moment it asks for newer selectors.
    await page.waitForTimeout(3_500);
    expect((await contextOf()).item?.title).toBeUndefined();

    await publish({ jira: { title: [`h1[${MOVED.trim()}]`] } });

    await page.reload();
    await expect(sidebar.getByText('This ticket serves no goal.')).toBeVisible();
    await expect.poll(async () => (await contextOf()).item?.title, { timeout: 15_000 }).toBe(TITLE);
    expect((await contextOf()).item).toMatchObject({ state: 'In Progress', assignees: ['Priya Natarajan'] });
  } finally {
    await context.close();
  }
});
