/**
 * Enterprise deployment with a real Chromium policy file: an administrator presets the goals API,
 * a token and a self-hosted Jira for the extension, locked or not, and the extension uses them. The
 * policy names a copy of the build under its own path (tests/e2e/policy.ts), and is removed after
 * each test, so no other browser test sees it.
 */
import { mkdirSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { keepPanelOpen, launchWithExtension, refuseHostAssets, servePage, sidebarOf } from '../../testkit/browser';
import { apiForThisFile, fixture, test, ticketContextOf } from './harness';
import { type ManagedExtension, managedExtension, policiesUnwritable } from './policy';

const apiOf = apiForThisFile();
const SHOTS = 'test-results/screenshots';
const JIRA_URL = 'https://acme.atlassian.net/browse/PAY-8401';
const JIRA_REF = 'jira:acme.atlassian.net/PAY-8401';
const SELF_HOSTED = 'https://jira.acme-corp.example';
const SELF_HOSTED_URL = `${SELF_HOSTED}/jira/browse/OPS_2-1042`;
const ORGANISATION = 'Set by your organisation';

const contextOf = (ref: string) => ticketContextOf(apiOf(), ref);

test.beforeAll(() => {
  mkdirSync(SHOTS, { recursive: true });
});

let managed: ManagedExtension | null = null;
test.beforeEach(() => {
  const unwritable = policiesUnwritable();
  test.skip(unwritable !== null, unwritable ?? '');
  managed = managedExtension();
});
test.afterEach(() => {
  managed?.remove();
  managed = null;
});

/** The managed copy launched with this policy, host pages served at their real URLs. */
async function launchManaged(policy: Record<string, unknown>) {
  if (!managed) throw new Error('no managed extension');
  managed.setPolicy(policy);
  const launched = await launchWithExtension([], managed.dir);
  // The id the policy names is the one Chromium gave the unpacked copy.
  expect(launched.extensionId).toBe(managed.id);
  await refuseHostAssets(launched.context);
  await servePage(launched.context, JIRA_URL, fixture('jira-cloud-issue.html').replaceAll('PAY-318', 'PAY-8401'));
  await servePage(launched.context, SELF_HOSTED_URL, fixture('jira-server-issue.html'));
  const page = await launched.context.newPage();
  page.on('dialog', (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
  await page.goto(`chrome-extension://${launched.extensionId}/options.html`);
  await keepPanelOpen(page);
  return { ...launched, page };
}

/** What the extension's own page gets back from the background for a message. */
const sendFromPage = (page: Page, message: unknown) =>
  page.evaluate(`chrome.runtime.sendMessage(${JSON.stringify(message)})`) as Promise<{
    ok: boolean;
    problem?: { message: string };
  }>;

test('a locked policy: the API, token and self-hosted Jira are the organisation’s, used over the person’s, and cannot be changed', async () => {
  const api = apiOf();
  const { context, page, extensionId } = await launchManaged({
    apiUrl: api.url,
    token: api.token,
    locked: true,
    customDomains: [{ origin: SELF_HOSTED, kind: 'jira' }],
  });
  try {
    // Settings the person saved before the policy came point elsewhere: the locked policy wins.
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    await page.evaluate(`chrome.storage.local.set({ settings: { apiUrl: 'http://127.0.0.1:9', token: 'tl_old' } })`);
    await page.reload();

    await expect(page.getByRole('region', { name: 'Managed by your organisation' })).toContainText(
      `Settings marked “${ORGANISATION}” cannot be changed here.`,
    );
    const url = page.getByLabel('Goals API URL');
    await expect(url).toHaveValue(api.url);
    await expect(url).not.toBeEditable();
    await expect(url).toHaveAccessibleDescription(ORGANISATION);
    const token = page.getByLabel('API token');
    await expect(token).toBeDisabled();
    await expect(token).toHaveAttribute('placeholder', ORGANISATION);
    await expect(token).toHaveAccessibleDescription(ORGANISATION);
    await expect(page.getByRole('list', { name: 'Servers set by your organisation' })).toContainText(
      `${SELF_HOSTED} (Jira) ${ORGANISATION} Allowed`,
    );

    // Connected with the organisation's token, nothing typed.
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByText('Connected as Sam Rivera in Acme Payments (demo).')).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/options-managed-locked.png`, fullPage: true });

    // The page's own messages cannot change what is locked; nothing is saved.
    const refused = await sendFromPage(page, { type: 'settings:set', apiUrl: 'https://evil.example', token: 'tl_x' });
    expect(refused).toEqual({
      ok: false,
      problem: {
        kind: 'invalid',
        message: `Your organisation set the goals API URL to ${api.url}: it cannot be changed here.`,
      },
    });
    const tokenRefused = await sendFromPage(page, { type: 'settings:set', apiUrl: api.url, token: 'tl_mine' });
    expect(tokenRefused.problem?.message).toBe('Your organisation set the API token: it cannot be changed here.');
    expect(await page.evaluate(`chrome.storage.local.get('settings')`)).toEqual({
      settings: { apiUrl: 'http://127.0.0.1:9', token: 'tl_old' },
    });
    const removeRefused = await sendFromPage(page, { type: 'domains:remove', origin: SELF_HOSTED });
    expect(removeRefused.problem?.message).toBe(
      `${SELF_HOSTED} is set by your organisation: it cannot be removed here.`,
    );

    // A ticket page: the background talks to the organisation's API with its token.
    await page.goto(JIRA_URL);
    await expect(sidebarOf(page).getByText('This ticket serves no goal.')).toBeVisible();
    await expect.poll(async () => (await contextOf(JIRA_REF)).item?.state).toBe('In Progress');

    // The organisation's self-hosted Jira: the sidebar runs there without the person adding it.
    await page.goto(SELF_HOSTED_URL);
    await expect(sidebarOf(page).getByText('OPS_2-1042')).toBeVisible();
    await expect(sidebarOf(page).getByText('This ticket serves no goal.')).toBeVisible();
  } finally {
    await context.close();
  }
});

test('an unlocked policy presets the API; the person adds a token, may use another URL, and sees what the policy got wrong', async () => {
  const api = apiOf();
  const { context, page, extensionId } = await launchManaged({
    apiUrl: api.url,
    customDomains: [{ origin: 'jira', kind: 'jira' }],
  });
  try {
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    const notice = page.getByRole('region', { name: 'Managed by your organisation' });
    await expect(notice).toContainText(
      `Settings marked “${ORGANISATION}” are its defaults: save your own to replace them.`,
    );
    await expect(notice.getByRole('alert')).toContainText(
      'customDomains[0]: “jira” is not a full host name. (ignored)',
    );

    const url = page.getByLabel('Goals API URL');
    await expect(url).toHaveValue(api.url);
    await expect(url).toBeEditable();
    await expect(url).toHaveAccessibleDescription(ORGANISATION);
    await page.getByLabel('API token').fill(api.token);
    await page.getByRole('button', { name: 'Save and test' }).click();
    await expect(page.getByText('Connected as Sam Rivera in Acme Payments (demo).')).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/options-managed-unlocked.png`, fullPage: true });

    const other = JIRA_URL.replace('8401', '8402');
    await servePage(context, other, fixture('jira-cloud-issue.html').replaceAll('PAY-318', 'PAY-8402'));
    await page.goto(other);
    await expect(sidebarOf(page).getByText('This ticket serves no goal.')).toBeVisible();

    // The person's own URL for the same API replaces the organisation's default. Another origin,
    // so the token saved for the first is not kept for it: the options ask for one.
    const own = api.url.replace('127.0.0.1', 'localhost');
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    await page.getByLabel('Goals API URL').fill(own);
    await page.getByRole('button', { name: 'Save and test' }).click();
    await expect(page.getByText('Not connected: set the goals API URL and your token in the options.')).toBeVisible();
    await page.getByLabel('API token').fill(api.token);
    await page.getByRole('button', { name: 'Save and test' }).click();
    await expect(page.getByText('Connected as Sam Rivera in Acme Payments (demo).')).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Goals API URL')).toHaveValue(own);
    await expect(page.getByLabel('Goals API URL')).not.toHaveAccessibleDescription(ORGANISATION);
  } finally {
    await context.close();
  }
});
