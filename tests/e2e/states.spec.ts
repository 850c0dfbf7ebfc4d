import { expect } from '@playwright/test';
import {
  connectedBrowser,
  launchWithExtension,
  realGithubIssue,
  refuseHostAssets,
  servePage,
  sidebarOf,
} from '../../testkit/browser';
import { apiForThisFile, test } from './harness';

const ISSUE_URL = 'https://github.com/dotnet/runtime/issues/30402';

const apiOf = apiForThisFile();

test('not connected: the sidebar says so, and its one button opens the options', async () => {
  const { context } = await launchWithExtension();
  try {
    await refuseHostAssets(context);
    await servePage(context, ISSUE_URL, realGithubIssue());
    const page = await context.newPage();
    await page.goto(ISSUE_URL);
    // A new person: the panel is closed; the Goal row in GitHub's own column says what is wrong.
    const row = page.locator('throughline-goal');
    await expect(row.getByText(/Throughline is not connected/)).toBeVisible();
    await row.getByRole('button', { name: /Open the Throughline panel/ }).click();
    const sidebar = sidebarOf(page);
    await expect(
      sidebar.getByText('Connect Throughline to your team’s goals API to see which goal this ticket serves.'),
    ).toBeVisible();
    const optionsOpened = context.waitForEvent('page');
    await sidebar.getByRole('button', { name: 'Open Throughline options' }).click();
    expect((await optionsOpened).url()).toMatch(/^chrome-extension:\/\/[a-z]+\/options\.html$/);
  } finally {
    await context.close();
  }
});

test('a revoked token: the sidebar says the token was refused and offers to paste a new one', async () => {
  const created = await apiOf().post('/v1/tokens', { name: 'to revoke' });
  const { context, page } = await connectedBrowser(
    { ...apiOf(), token: created.token },
    { [ISSUE_URL]: realGithubIssue() },
  );
  try {
    await fetch(`${apiOf().url}/v1/tokens/${created.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${apiOf().token}` },
    });
    await page.goto(ISSUE_URL);
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByText('The goals API refused your token: it may have been revoked.')).toBeVisible();
    await expect(sidebar.getByRole('button', { name: 'Paste a new token' })).toBeVisible();
  } finally {
    await context.close();
  }
});

test('API unreachable: the sidebar says so, and Try again recovers once it is back', async () => {
  const { context, page } = await connectedBrowser(apiOf(), { [ISSUE_URL]: realGithubIssue() });
  try {
    await apiOf().pause();
    await page.goto(ISSUE_URL);
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByText('Can’t reach the goals API.')).toBeVisible({ timeout: 20_000 });
    await apiOf().resume();
    await sidebar.getByRole('button', { name: 'Try again' }).click();
    await expect(sidebar.getByText('This ticket serves no goal.')).toBeVisible();
  } finally {
    await context.close();
  }
});

test('the panel lies over the page and takes none of its width; closing it is remembered on the next ticket page', async () => {
  const { context, page } = await connectedBrowser(apiOf(), { [ISSUE_URL]: realGithubIssue() });
  try {
    await page.goto(ISSUE_URL);
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByText('This ticket serves no goal.')).toBeVisible();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).marginRight)).toBe('0px');

    await sidebar.getByRole('button', { name: /Hide the Throughline sidebar/ }).click();
    await expect(sidebar).toHaveCount(0);
    // Closed, the Goal row in GitHub's column says the verdict; no tab is needed beside it.
    const row = page.locator('#partial-discussion-sidebar throughline-goal');
    await expect(row.getByText('Serves no goal.')).toBeVisible();
    await expect(page.getByRole('button', { name: /Show the Throughline sidebar/ })).toHaveCount(0);

    await page.reload();
    await expect(row.getByText('Serves no goal.')).toBeVisible();
    await expect(sidebar).toHaveCount(0);
    await row.getByRole('button', { name: 'Link it…' }).click();
    await expect(sidebar.getByText('This ticket serves no goal.')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(sidebar).toHaveCount(0);
    await row.getByRole('button', { name: 'Link it…' }).click();

    // The keyboard shortcut (Alt+Shift+G) is the browser's to press, not Playwright's: what its
    // handler in the background sends the ticket's tab is sent from the service worker here.
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const toggle = `chrome.tabs.query({ url: 'https://github.com/*' })
      .then(([tab]) => chrome.tabs.sendMessage(tab.id, { type: 'sidebar:toggle' }))`;
    await worker.evaluate(toggle);
    await expect(sidebar).toHaveCount(0);
    await worker.evaluate(toggle);
    await expect(sidebar.getByText('This ticket serves no goal.')).toBeVisible();
  } finally {
    await context.close();
  }
});

test('the sidebar follows the host’s dark theme', async () => {
  const dark = realGithubIssue().replace(/data-color-mode="[a-z]+"/, 'data-color-mode="dark"');
  const { context, page } = await connectedBrowser(apiOf(), { [ISSUE_URL]: dark });
  try {
    await page.goto(ISSUE_URL);
    await expect(sidebarOf(page).getByText('This ticket serves no goal.')).toBeVisible();
    await expect(page.locator('throughline-sidebar')).toHaveAttribute('data-theme', 'dark');
    const background = await page.evaluate(() => {
      const panel = document.querySelector('throughline-sidebar')?.shadowRoot?.querySelector('.panel') as HTMLElement;
      return getComputedStyle(panel).backgroundColor;
    });
    expect(background).toBe('rgb(13, 17, 23)');
    await page.screenshot({ path: 'test-results/screenshots/github-sidebar-dark.png' });
  } finally {
    await context.close();
  }
});
