import { mkdirSync } from 'node:fs';
import { expect } from '@playwright/test';
import { connectedBrowser, realGithubIssue, sidebarOf } from '../../testkit/browser';
import { apiForThisFile, test } from './harness';

const ISSUE_URL = 'https://github.com/dotnet/runtime/issues/30402';
const REF = 'github:github.com/dotnet/runtime#30402';

const apiOf = apiForThisFile();

test('on a real GitHub issue: warns it serves no goal, links it through the picker, and the link persists', async () => {
  const { context: browser, page } = await connectedBrowser(apiOf(), { [ISSUE_URL]: realGithubIssue() });
  try {
    await page.goto(ISSUE_URL);
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByText('This ticket serves no goal.')).toBeVisible();
    await expect(sidebar.getByText('dotnet/runtime#30402')).toBeVisible();

    // What the page shows of the ticket reached the API.
    await expect
      .poll(async () => (await apiOf().get(`/v1/work-items/${encodeURIComponent(REF)}/context`)).item?.title)
      .toBe('Utf8JsonReader/JsonStreamReader: Add reading values as Stream');
    const recorded = (await apiOf().get(`/v1/work-items/${encodeURIComponent(REF)}/context`)).item;
    expect(recorded.closedAt).not.toBeNull();

    await sidebar.getByRole('button', { name: 'Choose an objective…' }).click();
    await sidebar.getByRole('combobox', { name: 'Link to an objective or key result' }).fill('checkout latency');
    await sidebar
      .getByRole('option', { name: /Cut checkout latency in half/ })
      .first()
      .click();
    await expect(sidebar.getByText('This ticket serves')).toBeVisible();
    await expect(sidebar.getByText('Cut checkout latency in half', { exact: true })).toBeVisible();

    await expect
      .poll(async () => (await apiOf().get(`/v1/work-items/${encodeURIComponent(REF)}/context`)).verdict)
      .toBe('aligned');
    const links = (await apiOf().get(`/v1/links?ref=${encodeURIComponent(REF)}`)).links;
    expect(links).toHaveLength(1);

    await page.reload();
    await expect(sidebar.getByText('Cut checkout latency in half', { exact: true })).toBeVisible();
    await expect(sidebar.getByText('This ticket serves no goal.')).toHaveCount(0);
    mkdirSync('test-results/screenshots', { recursive: true });
    await page.screenshot({ path: 'test-results/screenshots/github-sidebar.png' });
  } finally {
    await browser.close();
  }
});
