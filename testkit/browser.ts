/**
 * The real parts for browser tests and the sidebar benchmark: the goals API on its own embedded
 * PostgreSQL with the demo workspace, and Debian's Chromium with the built extension loaded, host
 * pages served at their real URLs by routing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from '@playwright/test';
import { seedDemo } from '../server/demo';
import { type RunningServer, startServer } from '../server/server';

export const EXTENSION_DIR = path.resolve('.output/chrome-mv3');
const SYSTEM_CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Api {
  url: string;
  token: string;
  get<T = any>(path: string): Promise<T>;
  post<T = any>(path: string, body: unknown): Promise<T>;
  patch<T = any>(path: string, body: unknown): Promise<T>;
  put<T = any>(path: string, body: unknown): Promise<T>;
  delete<T = any>(path: string): Promise<T>;
  /** Stops the server (the browser then finds nothing at its URL); `resume` starts it again there. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** JSON calls to the API at `url` with `token`, answering the parsed body whatever the status. */
export function apiCalls(url: string, token: string): Pick<Api, 'get' | 'post' | 'patch' | 'put' | 'delete'> {
  const call = async (method: string, apiPath: string, body?: unknown) => {
    const response = await fetch(`${url}${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.json();
  };
  return {
    get: (apiPath) => call('GET', apiPath),
    post: (apiPath, body) => call('POST', apiPath, body),
    patch: (apiPath, body) => call('PATCH', apiPath, body),
    put: (apiPath, body) => call('PUT', apiPath, body),
    delete: (apiPath) => call('DELETE', apiPath),
  };
}

export const BROWSER_TEST_SCOPE = [
  { source: 'github', host: 'github.com', kind: 'repository', value: 'dotnet/runtime' },
  { source: 'jira', host: 'jira.acme-corp.example', kind: 'host', value: '' },
];

export async function startApi(): Promise<Api> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'throughline-e2e-'));
  let server: RunningServer | null = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    rateLimitPerMinute: 0,
    log: () => {},
  });
  const port = Number(new URL(server.url).port);
  const demo = await seedDemo(server.database.db, new Date());
  const token = demo.token as string;
  const url = server.url;
  // The pages served here are the demo company's work too: the real saved GitHub page's
  // repository, and the self-hosted Jira the tests add.
  for (const target of BROWSER_TEST_SCOPE) {
    const declared = await apiCalls(url, token).post('/v1/scope', target);
    if (!declared.id) throw new Error(`declaring ${JSON.stringify(target)}: ${JSON.stringify(declared)}`);
  }
  return {
    url,
    token,
    ...apiCalls(url, token),
    async pause() {
      await server?.close();
      server = null;
    },
    async resume() {
      server = await startServer({ port, host: '127.0.0.1', dataDir, rateLimitPerMinute: 0, log: () => {} });
    },
    async stop() {
      await server?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchWithExtension(
  extraArgs: string[] = [],
  /** Another copy of the build (its own extension id, as an unpacked extension's id is its path's). */
  extensionDir = EXTENSION_DIR,
): Promise<{ context: BrowserContext; extensionId: string }> {
  if (!existsSync(path.join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}: run "WXT_SELFHOST=1 npx wxt build" first`);
  }
  const context = await chromium.launchPersistentContext('', {
    // Debian's Chromium here; elsewhere Playwright's own when the system one is missing.
    ...(existsSync(SYSTEM_CHROMIUM) && { executablePath: SYSTEM_CHROMIUM }),
    headless: true,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
  let [worker] = context.serviceWorkers();
  if (!worker) worker = await context.waitForEvent('serviceworker');
  return { context, extensionId: new URL(worker.url()).host };
}

/** Serves a saved page at its real URL, so the content script's match patterns apply as in real use. */
export async function servePage(context: BrowserContext, url: string, html: string): Promise<void> {
  await context.route(url, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
  );
}

/** The hosts' asset and API servers: there is no network here, so refuse at once instead of waiting. */
export async function refuseHostAssets(context: BrowserContext): Promise<void> {
  for (const pattern of [
    'https://*.githubassets.com/**',
    'https://*.githubusercontent.com/**',
    'https://api.github.com/**',
    'https://collector.github.com/**',
  ]) {
    await context.route(pattern, (route) => route.abort());
  }
}

/** The real saved GitHub page beside the repository (shared/fixtures/real). */
export const realGithubIssue = () => {
  const saved = path.resolve('..', 'shared', 'fixtures', 'real', 'github-classic-issue.html');
  if (!existsSync(saved)) {
    throw new Error(`No real saved GitHub page at ${saved}: the browser tests need shared/ beside the repository.`);
  }
  return readFileSync(saved, 'utf8');
};

/** Connects the extension to the API through its options page, as a person would. */
export async function connect(page: Page, extensionId: string, api: Pick<Api, 'url' | 'token'>): Promise<void> {
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await page.getByLabel('Goals API URL').fill(api.url);
  await page.getByLabel('API token').fill(api.token);
  await page.getByRole('button', { name: 'Save and test' }).click();
  await page.getByText('Connected as Sam Rivera in Acme Payments (demo).').waitFor();
}

/**
 * A browser with the extension, connected to the API, and host pages served at their real URLs.
 * `panel: 'open'` (the default) is a person who keeps the Throughline panel open, as the tests of
 * its contents need; `'closed'` is a new person's default, with the Goal row in the host's panel.
 */
export async function connectedBrowser(
  api: Pick<Api, 'url' | 'token'>,
  pages: Record<string, string>,
  { panel = 'open' }: { panel?: 'open' | 'closed' } = {},
) {
  const launched = await launchWithExtension();
  await refuseHostAssets(launched.context);
  for (const [url, html] of Object.entries(pages)) await servePage(launched.context, url, html);
  const page = await launched.context.newPage();
  // A page script running would show as a dialog: hostile titles must stay text.
  page.on('dialog', (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
  await connect(page, launched.extensionId, api);
  if (panel === 'open') await keepPanelOpen(page);
  return { ...launched, page };
}

/**
 * On an extension page of `page`: the person keeps the panel open, the setting its close button
 * writes (content/run-sidebar.tsx, `sync:sidebar-collapsed`).
 */
export async function keepPanelOpen(page: Page): Promise<void> {
  await page.evaluate(() =>
    (
      globalThis as unknown as { chrome: { storage: { sync: { set(items: object): Promise<void> } } } }
    ).chrome.storage.sync.set({ 'sidebar-collapsed': false }),
  );
}

export const sidebarOf = (page: Page) =>
  page.getByRole('complementary', { name: 'Throughline: the goal this ticket serves' });
