import { mkdirSync } from 'node:fs';
import { expect } from '@playwright/test';
import { connectedBrowser, realGithubIssue, sidebarOf } from '../../testkit/browser';
import { apiForThisFile, fixture, objectiveIdOf, test, ticketContextOf } from './harness';

// Each page names its containers: PAY-318 sits under the epic PAY-300 "Refunds overhaul"; the real
// dotnet/runtime#30402 in the milestone "Future"; the Asana task in the project "Payments — Q3 Roadmap".
const JIRA_URL = 'https://acme.atlassian.net/browse/PAY-318';
const JIRA_REF = 'jira:acme.atlassian.net/PAY-318';
const EPIC_REF = 'jira:acme.atlassian.net/PAY-300';
const GITHUB_URL = 'https://github.com/dotnet/runtime/issues/30402';
const MILESTONE_REF = 'github:github.com/dotnet/runtime/milestone/1';
const ASANA_URL = 'https://app.asana.com/1/1201234567890123/project/1207000000000100/task/1207000000000001';
const ASANA_REF = 'asana:app.asana.com/1207000000000001';
const ASANA_PROJECT_REF = 'asana:app.asana.com/project/1207000000000100';

const apiOf = apiForThisFile();
const contextOf = (ref: string) => ticketContextOf(apiOf(), ref);
const objectiveId = (title: string) => objectiveIdOf(apiOf(), title);
const today = () => new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

test.beforeAll(() => {
  mkdirSync('test-results/screenshots', { recursive: true });
});

test('a Jira story under a linked epic shows the epic’s goal, through what and by whom, and no warning; "not for this goal" and undo', async () => {
  // The epic is linked before anyone opened the story: the story's first view records its parent.
  const link = await apiOf().post('/v1/links', {
    ref: EPIC_REF,
    objectiveId: await objectiveId('Make payments reliable at scale'),
  });
  expect(link.ref).toBe(EPIC_REF);
  const { context, page } = await connectedBrowser(apiOf(), { [JIRA_URL]: fixture('jira-cloud-issue.html') });
  try {
    await page.goto(JIRA_URL);
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByText('This ticket serves')).toBeVisible();
    await expect(sidebar.getByText('Make payments reliable at scale')).toBeVisible();
    await expect(
      sidebar.getByText(`Through parent PAY-300 Refunds overhaul, linked by Sam Rivera on ${today()}`),
    ).toBeVisible();
    await expect(sidebar.getByText('This ticket serves no goal.')).toHaveCount(0);
    expect((await contextOf(JIRA_REF)).containers).toContainEqual({
      ref: EPIC_REF,
      slot: 'parent',
      title: 'Refunds overhaul',
    });
    await page.screenshot({ path: 'test-results/screenshots/jira-inherited-goal.png' });

    // Not for this goal: the story stops serving it; the review lists it; undo brings it back.
    await sidebar.getByRole('button', { name: /^Not for “Make payments reliable at scale”/ }).click();
    await expect(sidebar.getByText('This ticket serves no goal.')).toBeVisible();
    await expect(sidebar.getByText('This ticket no longer serves “Make payments reliable at scale”.')).toBeVisible();
    await expect.poll(async () => (await apiOf().get('/v1/link-exceptions')).exceptions.length).toBe(1);
    await sidebar.getByRole('button', { name: 'Undo' }).click();
    await expect(sidebar.getByText('This ticket serves')).toBeVisible();
    await expect.poll(async () => (await contextOf(JIRA_REF)).verdict).toBe('aligned');
    expect((await apiOf().get('/v1/link-exceptions')).exceptions).toEqual([]);
  } finally {
    await context.close();
  }
});

test('a GitHub issue in a linked milestone, and an Asana task in a linked project, show their goals', async () => {
  await apiOf().post('/v1/links', {
    ref: MILESTONE_REF,
    objectiveId: await objectiveId('Make payments reliable at scale'),
  });
  // The demo's task already serves onboarding itself: the project's goal comes in addition.
  await apiOf().post('/v1/links', {
    ref: ASANA_PROJECT_REF,
    objectiveId: await objectiveId('Grow revenue from enterprise customers'),
  });
  const { context, page } = await connectedBrowser(apiOf(), {
    [GITHUB_URL]: realGithubIssue(),
    [ASANA_URL]: fixture('asana-task-pane.html'),
  });
  try {
    await page.goto(GITHUB_URL);
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByText(/^Through milestone Future, linked by Sam Rivera/)).toBeVisible();
    await expect(sidebar.getByText('This ticket serves no goal.')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screenshots/github-milestone-goal.png' });

    await page.goto(ASANA_URL);
    await expect(sidebar.getByText(/^Through project Payments — Q3 Roadmap, linked by Sam Rivera/)).toBeVisible();
    await expect(sidebar.getByText('Grow revenue from enterprise customers')).toBeVisible();
    await expect(sidebar.getByText('Self-serve onboarding for teams')).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/asana-project-goal.png' });
  } finally {
    await context.close();
  }
});

test('a page that does not show the assignee keeps the one recorded', async () => {
  const recorded = await apiOf().put(`/v1/work-items/${encodeURIComponent(ASANA_REF)}`, {
    title: 'Refund e-mail copy review',
    assignees: ['Hannah Schmidt'],
  });
  expect(recorded.assignees).toEqual(['Hannah Schmidt']);
  const withoutAssignee = fixture('asana-task-pane.html').replace(
    /<div class="LabeledRowStructure TaskPaneFields-assigneeRow">[\s\S]*?(<div class="LabeledRowStructure TaskPaneFields-dueDateRow">)/,
    '$1',
  );
  expect(withoutAssignee).not.toContain('TaskPaneFields-assigneeRow');
  const { context, page } = await connectedBrowser(apiOf(), { [ASANA_URL]: withoutAssignee });
  try {
    await page.goto(ASANA_URL);
    // The page's own title is recorded, and the assignee it did not show stays.
    await expect
      .poll(async () => (await contextOf(ASANA_REF)).item?.title)
      .toBe('Refund e-mail <img src=x onerror=alert(1)> copy review ✉️');
    expect((await contextOf(ASANA_REF)).item.assignees).toEqual(['Hannah Schmidt']);
  } finally {
    await context.close();
  }
});

test('the goals page links a milestone by its address, and every issue in it serves the goal', async () => {
  const { context, page, extensionId } = await connectedBrowser(apiOf(), { [GITHUB_URL]: realGithubIssue() });
  try {
    await page.goto(`chrome-extension://${extensionId}/goals.html`);
    await page.getByRole('button', { name: /^Support SEPA and iDEAL payment methods/ }).click();
    const detail = page.getByRole('region', { name: 'Objective: Support SEPA and iDEAL payment methods' });
    const address = detail.getByLabel('Link by address');
    await address.fill('https://github.com/dotnet/runtime');
    await detail.getByRole('button', { name: 'Link', exact: true }).click();
    await expect(detail.getByRole('alert')).toContainText('Not linked: not a ticket, epic, milestone');
    await address.fill('https://github.com/dotnet/runtime/milestone/1');
    await detail.getByRole('button', { name: 'Link', exact: true }).click();
    await expect(detail.getByText('milestone 1 of dotnet/runtime')).toBeVisible();
    await expect(address).toHaveValue('');
    await detail.screenshot({ path: 'test-results/screenshots/goals-link-by-address.png' });

    await page.goto(GITHUB_URL);
    await expect(sidebarOf(page).getByText('Support SEPA and iDEAL payment methods')).toBeVisible();
    await expect(
      sidebarOf(page)
        .getByText(/^Through milestone Future, linked by Sam Rivera/)
        .first(),
    ).toBeVisible();
  } finally {
    await context.close();
  }
});
