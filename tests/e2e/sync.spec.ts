import { mkdirSync } from 'node:fs';
import { expect } from '@playwright/test';
import { connectedBrowser, realGithubIssue, sidebarOf } from '../../testkit/browser';
import { type FakeGithub, startFakeGithub } from '../../testkit/fake-hosts/github';
import { apiForThisFile, objectiveIdOf, test, ticketContextOf } from './harness';

// The real saved page of dotnet/runtime#30402. GitHub (a local stand-in answering like it) says
// the issue sits under #30400, is assigned to mona, and is in no milestone, whatever the page shows.
const GITHUB_URL = 'https://github.com/dotnet/runtime/issues/30402';
const REF = 'github:github.com/dotnet/runtime#30402';
const PARENT_REF = 'github:github.com/dotnet/runtime#30400';
const TOKEN = 'github_pat_11E2ESYNC000000000000_abcdefghijklmnopqrstuvwxyz0123456789ABCD';

const apiOf = apiForThisFile();
let github: FakeGithub;

test.beforeAll(async () => {
  mkdirSync('test-results/screenshots', { recursive: true });
  github = await startFakeGithub({ token: TOKEN });
  // The demo's own organisation, so that its part of the scope is readable.
  github.seed('acme/checkout', 3);
  github.put('dotnet/runtime', { number: 30400, title: 'Checkout latency epic' });
  github.put('dotnet/runtime', {
    number: 30402,
    title: 'Synced title of 30402',
    assignees: ['mona'],
    parent: { repo: 'dotnet/runtime', number: 30400 },
  });
});
test.afterAll(() => github.close());

test('a ticket nobody opened, synced from GitHub: the sidebar shows the goal of its parent, and its assignee is the connector’s', async () => {
  const api = apiOf();
  expect((await ticketContextOf(api, REF)).item).toBeNull();
  const connection = await api.post('/v1/connections', {
    host: 'github',
    baseUrl: github.baseUrl,
    site: 'github.com',
    token: TOKEN,
  });
  const queued = await api.post(`/v1/connections/${connection.id}/syncs`, { mode: 'full' });
  expect(queued.queued).toBe(true);
  // The API's own job worker runs it.
  await expect
    .poll(async () => (await api.get('/v1/connections')).connections[0].lastSync?.status, { timeout: 30_000 })
    .toBe('succeeded');
  const synced = await ticketContextOf(api, REF);
  expect(synced.item).toMatchObject({ title: 'Synced title of 30402', assignees: ['mona'] });
  await api.post('/v1/links', {
    ref: PARENT_REF,
    objectiveId: await objectiveIdOf(api, 'Cut checkout latency in half'),
  });

  const { context, page } = await connectedBrowser(api, { [GITHUB_URL]: realGithubIssue() });
  try {
    await page.goto(GITHUB_URL);
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByText('Cut checkout latency in half')).toBeVisible();
    await expect(sidebar.getByText(/^Through parent #30400 Checkout latency epic, linked by Sam Rivera/)).toBeVisible();
    await expect(sidebar.getByText('This ticket serves no goal.')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screenshots/github-synced-parent-goal.png' });
    // What the page showed (its own assignees, its milestone) does not override the host's API.
    await expect.poll(async () => (await ticketContextOf(api, REF)).item.lastSeenAt).not.toBe(synced.item.lastSeenAt);
    const after = await ticketContextOf(api, REF);
    expect(after.item).toMatchObject({ title: 'Synced title of 30402', assignees: ['mona'] });
    expect(after.containers.map((c: { slot: string }) => c.slot)).toEqual(['parent']);
  } finally {
    await context.close();
    await api.delete(`/v1/connections/${connection.id}`);
  }
});

test('on the goals page an admin tests a connection and syncs it now: what the host said, in words', async () => {
  const api = apiOf();
  // A part of the scope this GitHub does not have.
  await api.post('/v1/scope', { source: 'github', host: 'github.com', kind: 'organization', value: 'acme-labs' });
  const { context, page, extensionId } = await connectedBrowser(api, {});
  try {
    await page.goto(`chrome-extension://${extensionId}/goals.html`);
    const section = page.getByRole('region', { name: 'Connections to GitHub, Jira and Asana' });
    await section.getByLabel('API address').fill(github.baseUrl);
    await section.getByLabel('Tickets’ host name (optional)').fill('github.com');
    await section.getByLabel('Token').fill(TOKEN);
    await section.getByRole('button', { name: 'Connect', exact: true }).click();
    const name = `GitHub at ${github.baseUrl}`;
    await section.getByRole('button', { name: `Test the ${name} connection` }).click();
    await expect(section.getByText('the token cannot read organisation acme-labs')).toBeVisible();
    await section.getByRole('button', { name: `Sync the ${name} connection now` }).click();
    await expect(
      section.getByText(/^The last sync failed (just now|1 min ago): the token cannot read organisation acme-labs\.$/),
    ).toBeVisible({
      timeout: 30_000,
    });
    await section.screenshot({ path: 'test-results/screenshots/goals-connection-test-and-sync.png' });
  } finally {
    await context.close();
  }
});
