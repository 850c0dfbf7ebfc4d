import { mkdirSync } from 'node:fs';
import { expect } from '@playwright/test';
import { connectedBrowser, realGithubIssue, sidebarOf } from '../../testkit/browser';
import { apiForThisFile, test } from './harness';

// Another organisation's issue: the demo company declares github.com/acme (and, for these tests,
// dotnet/runtime), not this one. The saved real page is served at its URL.
const FOREIGN_URL = 'https://github.com/octo-labs/toolkit/issues/77';
const FOREIGN_REF = 'github:github.com/octo-labs/toolkit#77';

const apiOf = apiForThisFile();

test('a GitHub issue of another organisation stays quiet and uncounted; an admin tracks its repository', async () => {
  const unlinkedBefore = (await apiOf().get('/v1/review')).unlinkedCount;
  // The saved page, its number made this issue's, as the page at this URL would show it.
  const { context: browser, page } = await connectedBrowser(apiOf(), {
    [FOREIGN_URL]: realGithubIssue().replaceAll('#30402', '#77'),
  });
  try {
    await page.goto(FOREIGN_URL);
    const sidebar = sidebarOf(page);
    await expect(
      sidebar.getByText('Not your workspace’s work: repository octo-labs/toolkit on github.com is outside its scope'),
    ).toBeVisible();
    await expect(sidebar.getByText('This ticket serves no goal.')).toHaveCount(0);
    await expect(page.locator('throughline-goal').getByText('Not your workspace’s work.')).toBeVisible();
    await expect(sidebar.getByRole('button', { name: /^Link to / })).toHaveCount(0);
    const context = await apiOf().get(`/v1/work-items/${encodeURIComponent(FOREIGN_REF)}/context`);
    expect(context).toMatchObject({ inScope: false, item: null, suggestions: [] });
    expect((await apiOf().get('/v1/review')).unlinkedCount).toBe(unlinkedBefore);
    mkdirSync('test-results/screenshots', { recursive: true });
    await page.screenshot({ path: 'test-results/screenshots/github-out-of-scope.png' });

    // Sam is an admin: one click makes the repository part of the scope, and the ticket is the company's.
    await sidebar.getByRole('button', { name: 'Track this repository' }).click();
    await expect(sidebar.getByText('This ticket serves no goal.')).toBeVisible();
    const scope = await apiOf().get('/v1/scope');
    expect(scope.entries.map((e: { description: string }) => e.description)).toContain(
      'repository octo-labs/toolkit on github.com',
    );
    expect(await apiOf().get(`/v1/work-items/${encodeURIComponent(FOREIGN_REF)}/context`)).toMatchObject({
      inScope: true,
      track: null,
    });
    // Tracked, the ticket is recorded at once, from the page that is open.
    await expect
      .poll(async () => (await apiOf().get(`/v1/work-items/${encodeURIComponent(FOREIGN_REF)}/context`)).item?.title)
      .toBe('Utf8JsonReader/JsonStreamReader: Add reading values as Stream');
  } finally {
    await browser.close();
  }
});

test('the goals page lists the scope; an admin adds a repository by its URL and removes it', async () => {
  const { context: browser, page, extensionId } = await connectedBrowser(apiOf(), {});
  try {
    await page.goto(`chrome-extension://${extensionId}/goals.html`);
    const section = page.getByRole('region', { name: 'Workspace scope' });
    await expect(section.getByText('organization acme on github.com')).toBeVisible();
    await section.getByLabel('Add by URL').fill('https://github.com/acme-labs/payments-sdk');
    await section.getByRole('button', { name: 'Add to the scope' }).click();
    await expect(section.getByText('repository acme-labs/payments-sdk on github.com')).toBeVisible();
    expect((await apiOf().get('/v1/scope')).entries.map((e: { value: string }) => e.value)).toContain(
      'acme-labs/payments-sdk',
    );

    await section.getByLabel('Add by URL').fill('https://example.com/whatever');
    await section.getByRole('button', { name: 'Add to the scope' }).click();
    await expect(section.getByRole('alert')).toContainText('example.com is not GitHub, Jira Cloud or Asana');
    mkdirSync('test-results/screenshots', { recursive: true });
    await section.screenshot({ path: 'test-results/screenshots/goals-scope.png' });

    await section
      .getByRole('button', { name: 'Remove repository acme-labs/payments-sdk on github.com from the scope' })
      .click();
    await expect(section.getByText('repository acme-labs/payments-sdk on github.com')).toHaveCount(0);
  } finally {
    await browser.close();
  }
});

test('an admin connects GitHub on the goals page with a token that is never shown again, and removes it', async () => {
  const { context: browser, page, extensionId } = await connectedBrowser(apiOf(), {});
  const token = 'github_pat_11AAAAAAA0e2eTokenNeverShownAgain9876';
  try {
    await page.goto(`chrome-extension://${extensionId}/goals.html`);
    const section = page.getByRole('region', { name: 'Connections to GitHub, Jira and Asana' });
    await expect(section.getByText('No connection yet.')).toBeVisible();
    await expect(section.getByLabel('API address')).toHaveValue('https://api.github.com');
    await section.getByLabel('Token').fill(token);
    await section.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(section.getByText('GitHub at https://api.github.com')).toBeVisible();
    await expect(section.getByText('(token …9876)')).toBeVisible();
    await expect(section.getByText('Never synced yet.')).toBeVisible();
    // The secret its webhooks are signed with, this once.
    await expect(section.getByRole('status').getByText(/^[0-9a-f]{64}$/)).toBeVisible();
    await expect(section.getByLabel('Token')).toHaveValue('');
    expect(await page.content()).not.toContain(token);
    const listed = (await apiOf().get('/v1/connections')).connections;
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(token);
    await section.screenshot({ path: 'test-results/screenshots/goals-connections.png' });

    await section.getByRole('button', { name: 'Remove the GitHub at https://api.github.com connection' }).click();
    await expect(section.getByText('No connection yet.')).toBeVisible();
  } finally {
    await browser.close();
  }
});
