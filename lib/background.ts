/**
 * What the background does with each message, with the browser passed in as plain functions so
 * it can be tested without one. The entry point (entrypoints/background.ts) wires the real APIs.
 * Nothing lives only in memory: the service worker may be stopped between any two messages.
 */

import { ApiClient, ApiProblem } from './api-client';
import type { Link, WorkItemContext } from './contract';
import { type CustomDomain, isOnCustomDomain } from './custom-domains';
import { enqueue, flush, type LockedQueue, pendingFor, type QueuedLink } from './link-queue';
import { ContentRequest, fail, ok, PageRequest, type Reply } from './messages';

export interface Settings {
  apiUrl: string;
  token: string;
}

export interface BackgroundDeps {
  extensionId: string;
  /** The origin of this extension's own pages, e.g. `chrome-extension://<id>`. */
  extensionOrigin: string;
  readSettings(): Promise<Settings>;
  writeSettings(settings: Settings): Promise<void>;
  queue: LockedQueue;
  /** Whether the browser lets the background reach this origin (host permission). */
  canReach(origin: string): Promise<boolean>;
  /** Whether a tab at this URL is on one of the built-in hosts. */
  isBuiltInHost(url: string): boolean;
  customDomains: {
    read(): Promise<CustomDomain[]>;
    write(domains: CustomDomain[]): Promise<void>;
    /** Registers the host's content script for the origin (its permission already granted). */
    register(domain: CustomDomain): Promise<void>;
    unregister(origin: string): Promise<void>;
    /** Gives the origin's permission back to the browser. */
    revoke(origin: string): Promise<void>;
  };
  fetch: typeof fetch;
  newId(): string;
  now(): number;
  /** Told after a link is made or ended, so the badge can follow. */
  linksChanged?(): void;
  openOptions(): Promise<void>;
}

export interface Sender {
  id?: string;
  url?: string;
  tab?: { url?: string };
}

export interface TicketView {
  context: WorkItemContext;
  /** Links made while the API was unreachable, not sent yet. */
  pending: QueuedLink[];
}

export type LinkOutcome = { status: 'linked'; link: Link } | { status: 'queued'; pending: QueuedLink };

async function client(deps: BackgroundDeps): Promise<ApiClient> {
  const settings = await deps.readSettings();
  if (!settings.apiUrl || !settings.token) {
    throw new ApiProblem('signed_out', 'Not connected: set the goals API URL and your token in the options.');
  }
  const origin = new URL(settings.apiUrl).origin;
  if (!(await deps.canReach(origin))) {
    throw new ApiProblem('no_permission', `The browser has not allowed access to ${origin}: grant it in the options.`);
  }
  return new ApiClient({ baseUrl: settings.apiUrl, token: settings.token, fetch: deps.fetch });
}

async function attempt<T>(run: () => Promise<T>): Promise<Reply<T>> {
  try {
    return ok(await run());
  } catch (error) {
    if (error instanceof ApiProblem) return { ok: false, problem: error.toProblem() };
    throw error;
  }
}

/** Sends what waits in the queue; safe to call often, from anywhere. */
export async function flushQueue(deps: BackgroundDeps): Promise<{ sent: number; refused: number; left: number }> {
  let api: ApiClient;
  try {
    api = await client(deps);
  } catch {
    return { sent: 0, refused: 0, left: (await deps.queue.read()).length };
  }
  const result = await flush(deps.queue, async (link) => {
    try {
      await api.createLink({ ref: link.ref, objectiveId: link.objectiveId, keyResultId: link.keyResultId }, link.id);
      return 'sent';
    } catch (error) {
      if (error instanceof ApiProblem && error.kind === 'refused') return 'refused';
      return 'unreachable';
    }
  });
  if (result.sent > 0) deps.linksChanged?.();
  return result;
}

/** The extension's own pages are known by their URL (an options page open in a tab has a tab too). */
async function isTicketPage(deps: BackgroundDeps, url: string): Promise<boolean> {
  return deps.isBuiltInHost(url) || isOnCustomDomain(url, await deps.customDomains.read());
}

/** The browser took back a granted origin: its content script and its entry go too. */
export async function originsRemoved(deps: BackgroundDeps, origins: string[]): Promise<void> {
  const gone = new Set(origins.map((pattern) => pattern.replace(/\/\*$/, '')));
  const domains = await deps.customDomains.read();
  for (const domain of domains.filter((d) => gone.has(d.origin))) await deps.customDomains.unregister(domain.origin);
  await deps.customDomains.write(domains.filter((d) => !gone.has(d.origin)));
}

function senderKind(deps: BackgroundDeps, sender: Sender): 'content' | 'page' | null {
  if (sender.id !== deps.extensionId) return null;
  if (sender.url?.startsWith(`${deps.extensionOrigin}/`)) return 'page';
  if (sender.tab) return 'content';
  return null;
}

export async function handleMessage(deps: BackgroundDeps, message: unknown, sender: Sender): Promise<Reply<unknown>> {
  const kind = senderKind(deps, sender);
  if (!kind) return fail('invalid', 'Messages are taken only from this extension.');

  const content = ContentRequest.safeParse(message);
  if (content.success) {
    if (kind === 'content' && !(await isTicketPage(deps, sender.url ?? sender.tab?.url ?? ''))) {
      return fail('invalid', 'This page is not a ticket page Throughline runs on.');
    }
    return handleContent(deps, content.data);
  }
  const page = PageRequest.safeParse(message);
  if (page.success) {
    // Settings and the token change only from the extension's own pages, never from a web page.
    if (kind !== 'page') return fail('invalid', 'Settings change only from the extension’s own pages.');
    return handlePage(deps, page.data);
  }
  return fail('invalid', 'Unknown or malformed message.');
}

async function handleContent(deps: BackgroundDeps, request: ContentRequest): Promise<Reply<unknown>> {
  switch (request.type) {
    case 'context:get': {
      const reply = await attempt(async (): Promise<TicketView> => {
        const context = await (await client(deps)).context(request.ref);
        return { context, pending: await pendingFor(deps.queue, request.ref) };
      });
      if (reply.ok) void flushQueue(deps);
      return reply;
    }
    case 'item:record':
      return attempt(async () => (await client(deps)).record(request.ref, request.record));
    case 'link:create': {
      const pending: QueuedLink = {
        id: deps.newId(),
        ref: request.ref,
        objectiveId: request.objectiveId,
        keyResultId: request.keyResultId ?? null,
        queuedAt: deps.now(),
      };
      const reply = await attempt(async (): Promise<LinkOutcome> => {
        const api = await client(deps);
        const link = await api.createLink(
          { ref: pending.ref, objectiveId: pending.objectiveId, keyResultId: pending.keyResultId },
          pending.id,
        );
        return { status: 'linked', link };
      });
      if (reply.ok) {
        deps.linksChanged?.();
        return reply;
      }
      if (reply.problem.kind !== 'unreachable') return reply;
      await enqueue(deps.queue, pending);
      return ok<LinkOutcome>({ status: 'queued', pending });
    }
    case 'link:end': {
      const reply = await attempt(async () => (await client(deps)).endLink(request.linkId));
      if (reply.ok) deps.linksChanged?.();
      return reply;
    }
    case 'objectives:open':
      return attempt(async () => (await client(deps)).objectives({ status: 'open', period: 'current' }));
    case 'identity:seen':
      return ok(null);
    case 'options:open':
      await deps.openOptions();
      return ok(null);
  }
}

async function handlePage(deps: BackgroundDeps, request: PageRequest): Promise<Reply<unknown>> {
  switch (request.type) {
    case 'settings:get': {
      const settings = await deps.readSettings();
      // Pages learn whether a token is set, never the token itself.
      return ok({ apiUrl: settings.apiUrl, hasToken: settings.token !== '' });
    }
    case 'settings:set': {
      const current = await deps.readSettings();
      await deps.writeSettings({ apiUrl: request.apiUrl, token: request.token?.trim() ?? current.token });
      return ok(null);
    }
    case 'connection:test':
      return attempt(async () => (await client(deps)).me());
    case 'domains:list':
      return ok(await deps.customDomains.read());
    case 'domains:add': {
      const origin = new URL(request.origin).origin;
      if (!(await deps.canReach(origin))) {
        return fail('no_permission', `The browser has not allowed ${origin}: allow it when asked.`);
      }
      const domain: CustomDomain = { origin, kind: request.kind };
      const others = (await deps.customDomains.read()).filter((d) => d.origin !== origin);
      await deps.customDomains.unregister(origin);
      await deps.customDomains.register(domain);
      await deps.customDomains.write([...others, domain]);
      return ok([...others, domain]);
    }
    case 'domains:remove': {
      await originsRemoved(deps, [request.origin]);
      await deps.customDomains.revoke(request.origin);
      return ok(await deps.customDomains.read());
    }
  }
}
