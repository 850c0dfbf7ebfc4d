/**
 * Offline in the browser: the API down, the person links several tickets, the extension's service
 * worker is stopped (as the browser does to idle workers) and started again, the API comes back:
 * each link arrives exactly once. And a hostile page cannot reach the extension's messages.
 */
import { expect, type Page } from '@playwright/test';
import { connectedBrowser, sidebarOf } from '../../testkit/browser';
import { apiForThisFile, fixture, test } from './harness';

const apiOf = apiForThisFile();
const KEYS = ['PAY-8101', 'PAY-8102', 'PAY-8103'];
const urlOf = (key: string) => `https://acme.atlassian.net/browse/${key}`;
const refOf = (key: string) => `jira:acme.atlassian.net/${key}`;
const linksOf = async (key: string) =>
  (await apiOf().get(`/v1/links?ref=${encodeURIComponent(refOf(key))}&state=all`)).links as unknown[];

/**
 * Stops the extension's service worker, as the browser does to an idle one, through the DevTools
 * protocol of an extension page that sends no messages itself; resolves once it has stopped.
 */
async function stopServiceWorker(extensionPage: Page): Promise<void> {
  const cdp = await extensionPage.context().newCDPSession(extensionPage);
  let stopping: string | null = null;
  const stopped = new Promise<void>((resolve) => {
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions as { versionId: string; runningStatus: string }[]) {
        if (version.runningStatus === 'running' && !stopping) {
          stopping = version.versionId;
          void cdp.send('ServiceWorker.stopWorker', { versionId: version.versionId });
        }
        if (version.versionId === stopping && version.runningStatus === 'stopped') resolve();
      }
    });
  });
  await cdp.send('ServiceWorker.enable');
  await stopped;
  await cdp.detach();
}

test('API down: three links made, the service worker stopped and restarted, the API back: each arrives once', async () => {
  const pages = Object.fromEntries(
    KEYS.map((key) => [urlOf(key), fixture('jira-cloud-issue.html').replaceAll('PAY-318', key)]),
  );
  const { context, page: options, extensionId } = await connectedBrowser(apiOf(), pages);
  try {
    const tabs: Page[] = [];
    for (const key of KEYS) {
      const tab = await context.newPage();
      await tab.goto(urlOf(key));
      await expect(sidebarOf(tab).getByText('This ticket serves no goal.')).toBeVisible();
      tabs.push(tab);
    }

    await apiOf().pause();
    for (const tab of tabs) {
      await sidebarOf(tab)
        .getByRole('button', { name: /^Link to / })
        .first()
        .click();
      await expect(
        sidebarOf(tab).getByText('Saved on this device: the link is sent when the goals API answers again.'),
      ).toBeVisible();
    }

    // Everything in the worker's memory is gone: the queue must have been kept in storage.
    await options.goto(`chrome-extension://${extensionId}/manifest.json`);
    await stopServiceWorker(options);

    await apiOf().resume();
    // A ticket view wakes the worker; it sends what waits in the queue, kept in storage meanwhile.
    await tabs[0]?.reload();
    for (const key of KEYS) await expect.poll(async () => (await linksOf(key)).length).toBe(1);
    for (const tab of tabs) {
      await tab.reload();
      await expect(sidebarOf(tab).getByText('This ticket serves')).toBeVisible();
    }
    await tabs[0]?.waitForTimeout(1000);
    for (const key of KEYS) expect(await linksOf(key)).toHaveLength(1);
  } finally {
    await context.close();
  }
});

test('a ticket page loaded offline shows what was known of it, with its age; a link made then says it waits', async () => {
  const key = 'PAY-8201';
  const { context, page } = await connectedBrowser(apiOf(), {
    [urlOf(key)]: fixture('jira-cloud-issue.html').replaceAll('PAY-318', key),
  });
  try {
    await page.goto(urlOf(key));
    const sidebar = sidebarOf(page);
    await expect(sidebar.getByText('This ticket serves no goal.')).toBeVisible();

    await apiOf().pause();
    await page.reload();
    await expect(sidebar.getByText('Can’t reach the goals API: showing what was known just now.')).toBeVisible();
    await expect(sidebar.getByText('This ticket serves no goal.')).toBeVisible();
    await sidebar
      .getByRole('button', { name: /^Link to / })
      .first()
      .click();
    await expect(
      sidebar.getByText('Saved on this device: the link is sent when the goals API answers again.'),
    ).toBeVisible();
    await expect(sidebar.getByText('One link waits to be sent to the goals API.')).toBeVisible();
    await expect(sidebar.getByText('Linking…')).toHaveCount(0);

    await apiOf().resume();
    await page.reload();
    await expect(sidebar.getByText('This ticket serves')).toBeVisible();
    await expect.poll(async () => (await linksOf(key)).length).toBe(1);
  } finally {
    await context.close();
  }
});

test('a hostile page cannot reach the extension: no messages, no settings, no token', async () => {
  const url = urlOf('PAY-8200');
  const { context, page, extensionId } = await connectedBrowser(apiOf(), {
    [url]: fixture('jira-cloud-issue.html').replaceAll('PAY-318', 'PAY-8200'),
  });
  try {
    await page.goto(url);
    await expect(sidebarOf(page).getByText('This ticket serves no goal.')).toBeVisible();
    // The page's own scripts try what a hostile page would: message the extension, fake our DOM events.
    const attempts = (await page.evaluate(`(async () => {
      const results = [];
      const send = (message) => new Promise((resolve) => {
        try {
          if (!globalThis.chrome?.runtime?.sendMessage) return resolve('no runtime');
          chrome.runtime.sendMessage(${JSON.stringify(extensionId)}, message, (reply) =>
            resolve(chrome.runtime.lastError ? 'refused: ' + chrome.runtime.lastError.message : JSON.stringify(reply)));
        } catch (error) { resolve('threw: ' + error.message); }
      });
      results.push(await send({ type: 'settings:get' }));
      results.push(await send({ type: 'settings:set', apiUrl: 'https://evil.example', token: 'tl_stolen' }));
      window.postMessage({ type: 'settings:set', apiUrl: 'https://evil.example' }, '*');
      document.dispatchEvent(new CustomEvent('turbo:render'));
      return results;
    })()`)) as string[];
    for (const result of attempts) expect(result).toMatch(/^(no runtime|refused|threw)/);

    // Nothing changed: the extension still talks to the real API with the real token.
    await page.reload();
    await sidebarOf(page)
      .getByRole('button', { name: /^Link to / })
      .first()
      .click();
    await expect.poll(async () => (await linksOf('PAY-8200')).length).toBe(1);
  } finally {
    await context.close();
  }
});
