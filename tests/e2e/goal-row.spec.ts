import { mkdirSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { connectedBrowser, sidebarOf } from '../../testkit/browser';
import { apiForThisFile, fixture, objectiveIdOf, test } from './harness';

// A new person's view: the panel closed, the goal in each host's own panel of the ticket's fields.
const GITHUB_URL = 'https://github.com/octo-org/payments-api/issues/1287';
const GITHUB_REF = 'github:github.com/octo-org/payments-api#1287';
const JIRA_BOARD_URL = 'https://acme.atlassian.net/jira/software/projects/PAY/boards/12?selectedIssue=PAY-321';
const ASANA_URL = 'https://app.asana.com/1/1201234567890123/project/1207000000000100/task/1207000000000001';

const apiOf = apiForThisFile();
const objectiveId = (title: string) => objectiveIdOf(apiOf(), title);

test.beforeAll(async () => {
  mkdirSync('test-results/screenshots', { recursive: true });
  // The React fixture's organisation is tracked, and its issue is linked.
  await apiOf().post('/v1/scope', { source: 'github', host: 'github.com', kind: 'organization', value: 'octo-org' });
  await apiOf().post('/v1/links', { ref: GITHUB_REF, objectiveId: await objectiveId('Cut checkout latency in half') });
});

/** The row sits inside the host's panel, and nothing of Throughline lies over the page or takes its width. */
async function expectInPanel(page: Page, panel: string) {
  const row = page.locator(`${panel} throughline-goal`);
  await expect(row.locator('.goal-row')).toBeVisible();
  const rowBox = await row.locator('.goal-row').boundingBox();
  const panelBox = await page.locator(panel).first().boundingBox();
  if (!rowBox || !panelBox) throw new Error('no box for the Goal row or its panel');
  expect(rowBox.x).toBeGreaterThanOrEqual(panelBox.x - 1);
  expect(rowBox.x + rowBox.width).toBeLessThanOrEqual(panelBox.x + panelBox.width + 1);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).marginRight)).toBe('0px');
  await expect(sidebarOf(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Show the Throughline sidebar/ })).toHaveCount(0);
  // In view for the screenshot: the fixtures are the hosts' pages without their styles, so long.
  await row.scrollIntoViewIfNeeded();
  return row;
}

for (const width of [1024, 1440]) {
  test(`at ${width} px the Goal row sits in each host’s own panel, and nothing overlaps the page`, async () => {
    const { context, page } = await connectedBrowser(
      apiOf(),
      {
        [GITHUB_URL]: fixture('github-react-issue.html'),
        [JIRA_BOARD_URL]: fixture('jira-cloud-board-panel.html'),
        [ASANA_URL]: fixture('asana-task-pane.html'),
      },
      { panel: 'closed' },
    );
    try {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(GITHUB_URL);
      const github = await expectInPanel(page, '[data-testid="issue-viewer-metadata-container"]');
      await expect(github.getByRole('button', { name: /^Cut checkout latency in half: open it/ })).toBeVisible();
      await expect(github.getByText('linked directly')).toBeVisible();
      await page.screenshot({ path: `test-results/screenshots/goal-row-github-${width}.png` });

      await page.goto(JIRA_BOARD_URL);
      const jira = await expectInPanel(page, '[data-testid="issue.views.issue-details.issue-layout.compact-layout"]');
      await expect(jira.getByText('Serves no goal.')).toBeVisible();
      await page.screenshot({ path: `test-results/screenshots/goal-row-jira-board-${width}.png` });

      await page.goto(ASANA_URL);
      const asana = await expectInPanel(page, '.TaskPane .TaskPaneFields');
      await expect(asana.getByText('Self-serve onboarding for teams')).toBeVisible();
      await page.screenshot({ path: `test-results/screenshots/goal-row-asana-${width}.png` });
    } finally {
      await context.close();
    }
  });
}

test('the Goal row opens the panel over the page, and the objective on the goals page', async () => {
  const { context, page } = await connectedBrowser(
    apiOf(),
    { [GITHUB_URL]: fixture('github-react-issue.html') },
    {
      panel: 'closed',
    },
  );
  try {
    await page.goto(GITHUB_URL);
    const row = page.locator('throughline-goal');
    await row.getByRole('button', { name: /^Open the Throughline panel/ }).click();
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByText(/^Through /)).toHaveCount(0);
    await expect(sidebar.getByText(/^Linked by Sam Rivera on /)).toBeVisible();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).marginRight)).toBe('0px');
    await page.screenshot({ path: 'test-results/screenshots/goal-row-panel-open.png' });
    await page.keyboard.press('Escape');
    await expect(sidebar).toHaveCount(0);

    const goals = context.waitForEvent('page');
    await row.getByRole('button', { name: /^Cut checkout latency in half: open it on the goals page/ }).click();
    const opened = await goals;
    expect(opened.url()).toMatch(/\/goals\.html#objective=[0-9a-f-]{36}$/);
    await expect(opened.getByRole('region', { name: 'Objective: Cut checkout latency in half' })).toBeVisible();
  } finally {
    await context.close();
  }
});
