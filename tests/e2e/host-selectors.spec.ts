/**
 * Host fixes as data, in the browser: Jira moves the element that holds an issue's title, so the
 * extension's built-in selectors read no title; an admin publishes a selector for it through the
 * API; the next view of the page reads the title right, with no new build of the extension.
 */
import { type BrowserContext, expect } from '@playwright/test';
import type { CachedHostSelectors } from '../../lib/extension/background/deps';
import { HOST_SELECTORS_MAX_AGE_MS, HOST_SELECTORS_RETRY_MS } from '../../lib/extension/background/host-selectors';
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

/** The published selectors the background last fetched (its cache in storage.local), or null. */
async function fetchedSelectors(context: BrowserContext): Promise<CachedHostSelectors | null> {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  // As source text: tsx would add helpers to a function's code that do not exist in the worker.
  const stored = (await worker.evaluate("chrome.storage.local.get('host-selectors')")) as Record<string, unknown>;
  return (stored['host-selectors'] as CachedHostSelectors | undefined) ?? null;
}

test('a moved title is read no more; an admin publishes a selector; the next view reads it right', async () => {
  const { context, page } = await connectedBrowser(apiOf(), { [URL]: movedTitlePage() });
  try {
    await page.goto(URL);
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByText('This ticket serves no goal.')).toBeVisible();
    // The page asked the background for the published selectors (none yet) before reading the ticket.
    await expect.poll(async () => (await fetchedSelectors(context))?.selectors, { timeout: 15_000 }).toEqual({});
    const first = (await fetchedSelectors(context)) as CachedHostSelectors;
    expect(first.apiUrl).toBe(apiOf().url);
    // The built-in selectors find no title: the extension records nothing of the page (it never
    // records what it cannot tell is this ticket). The page is left, so no late ask of it can see
    // what is published next; the next view comes past the window in which a page that shows no
    // ticket gets the cached copy, so it has the background fetch them again.
    await page.goto('about:blank');
    await expect.poll(() => Date.now() - first.fetchedAt).toBeGreaterThan(HOST_SELECTORS_RETRY_MS);
    expect((await contextOf()).item?.title).toBeUndefined();

    const published = { jira: { title: [`h1[${MOVED.trim()}]`] } };
    await publish(published);

    await page.goto(URL);
    await expect(sidebar.getByText('This ticket serves no goal.')).toBeVisible();
    // Within the 10 minutes the cached copy is used for; the page showed no ticket with it, so it asked again.
    await expect.poll(async () => (await fetchedSelectors(context))?.selectors, { timeout: 15_000 }).toEqual(published);
    expect(((await fetchedSelectors(context)) as CachedHostSelectors).fetchedAt - first.fetchedAt).toBeLessThan(
      HOST_SELECTORS_MAX_AGE_MS,
    );
    await expect.poll(async () => (await contextOf()).item?.title, { timeout: 15_000 }).toBe(TITLE);
    expect((await contextOf()).item).toMatchObject({ state: 'In Progress', assignees: ['Priya Natarajan'] });
  } finally {
    await context.close();
  }
});
