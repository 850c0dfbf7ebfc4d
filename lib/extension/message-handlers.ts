/**
 * What the background does with each message, with the browser passed in as plain functions so
 * it can be tested without one. The entry point (entrypoints/background.ts) wires the real APIs.
 * Nothing lives only in memory: the service worker may be stopped between any two messages.
 */

import type { z } from 'zod';
import { HostSelectors } from '../hosts/pages/overrides';
import type { SelectorOverrides } from '../hosts/pages/types';
import { ImportRequest, type MyCoverage, type Source } from '../shared/contract';
import { ApiClient, ApiProblem } from './api-client';
import { type Badge, type BadgeMode, badgeFor } from './badge';
import { type CustomDomain, isOnCustomDomain } from './custom-domains';
import { identityPatchFor } from './identities';
import { enqueue, flush, type LockedQueue, pendingFor, type QueuedLink } from './link-queue';
import {
  allDomains,
  isManaged,
  lockedOut,
  NO_POLICY,
  type Policy,
  type Resolved,
  readPolicy,
  resolveSettings,
  type Settings,
} from './managed';
import {
  ContentRequest,
  fail,
  type ImportPortMessage,
  type LinkOutcome,
  ok,
  PageRequest,
  type PolicyView,
  type Reply,
  type TicketView,
} from './messages';
import { type PageCallName, pageCalls } from './page-calls';

export type { Settings } from './managed';

/** The published host selectors (lib/hosts/pages/overrides.ts) as last fetched, for the API they came from. */
export interface CachedHostSelectors {
  apiUrl: string;
  fetchedAt: number;
  selectors: HostSelectors['selectors'];
}

export interface BackgroundDeps {
  extensionId: string;
  /** The origin of this extension's own pages, e.g. `chrome-extension://<id>`. */
  extensionOrigin: string;
  /** What the person saved in the options; null when nothing was saved. */
  readSettings(): Promise<Settings | null>;
  writeSettings(settings: Settings): Promise<void>;
  /**
   * What the organisation set by browser policy, as `storage.managed.get()` answers (checked here);
   * absent or failing: no policy.
   */
  readPolicy?(): Promise<unknown>;
  /** The API URL when neither the person nor a policy gives one ('' when none). */
  defaultApiUrl?: string;
  /** Where the published host selectors are cached; absent: in this worker's memory. */
  hostSelectors?: {
    read(): Promise<CachedHostSelectors | null>;
    write(cached: CachedHostSelectors | null): Promise<void>;
  };
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
    /** The origins that have a content script registered now (absent: not known). */
    registered?(): Promise<string[]>;
  };
  fetch: typeof fetch;
  newId(): string;
  now(): number;
  /** The toolbar badge: what the person chose it to show, and showing it. */
  badge: {
    mode(): Promise<BadgeMode>;
    setMode(mode: BadgeMode): Promise<void>;
    show(badge: Badge): Promise<void>;
    /** When the badge was last shown (ms), 0 if never in this browser session. */
    shownAt(): Promise<number>;
  };
  /** Names seen signed in on pages and already dealt with, so a page view costs no API call. */
  seenIdentities: {
    read(): Promise<Partial<Record<Source, string>>>;
    write(seen: Partial<Record<Source, string>>): Promise<void>;
  };
  openOptions(): Promise<void>;
}

export interface Sender {
  id?: string;
  url?: string;
  tab?: { url?: string };
}

async function policyOf(deps: BackgroundDeps): Promise<Policy> {
  if (!deps.readPolicy) return NO_POLICY;
  return readPolicy(await deps.readPolicy().catch(() => ({})));
}

/** The settings in use: the person's, or the organisation's where its policy says so (lib/extension/managed.ts). */
async function settingsOf(deps: BackgroundDeps): Promise<Resolved & { policy: Policy }> {
  const [saved, policy] = await Promise.all([deps.readSettings(), policyOf(deps)]);
  return { ...resolveSettings(saved, policy, deps.defaultApiUrl ?? ''), policy };
}

async function client(deps: BackgroundDeps): Promise<ApiClient> {
  const { settings } = await settingsOf(deps);
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
  if (result.sent > 0) void refreshBadge(deps);
  return result;
}

/** A figure older than this is refreshed when a ticket is viewed: the week moves on by itself. */
const BADGE_MAX_AGE_MS = 60 * 60 * 1000;
/** Refreshes started in this worker; only the latest shows its figure, so an older one never wins. */
let badgeRounds = 0;

/** Shows the person's coverage (or unlinked count) on the toolbar; fetches it unless given. */
export async function refreshBadge(deps: BackgroundDeps, mine?: MyCoverage): Promise<void> {
  const round = ++badgeRounds;
  let current: MyCoverage | null = mine ?? null;
  if (!current) {
    try {
      current = await (await client(deps)).myCoverage();
    } catch {
      current = null;
    }
  }
  if (round !== badgeRounds) return;
  try {
    await deps.badge.show(badgeFor(await deps.badge.mode(), current));
  } catch {
    // The badge is a convenience: a browser that refuses it changes nothing else.
  }
}

/** A name seen signed in on a host fills that identity if the person has none there yet. */
async function identitySeen(deps: BackgroundDeps, source: Source, name: string): Promise<Reply<unknown>> {
  const seen = await deps.seenIdentities.read();
  if (seen[source] === name) return ok(null);
  const reply = await attempt(async () => {
    const api = await client(deps);
    const patch = identityPatchFor((await api.me()).user.identities, source, name);
    if (patch) await api.updateIdentities(patch);
    return patch;
  });
  if (!reply.ok) return reply;
  await deps.seenIdentities.write({ ...seen, [source]: name });
  if (reply.data) void refreshBadge(deps);
  return ok(null);
}

/** A page's input the contract refused, each field named. */
function invalidInput(error: z.ZodError, what: string): Reply<never> {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return {
    ok: false,
    problem: { kind: 'invalid', message: `${issues[0]?.path || what}: ${issues[0]?.message}`, issues },
  };
}

/** Page calls after which the person's coverage may read differently. */
const CHANGES_COVERAGE = new Set<PageCallName>([
  'updateIdentities',
  'createObjective',
  'updateObjective',
  'postStatusUpdate',
  'importObjectives',
]);

/** A named API call from one of the extension's pages, its input parsed with the contract first. */
async function pageCall(deps: BackgroundDeps, name: PageCallName, input: unknown): Promise<Reply<unknown>> {
  const spec = pageCalls[name];
  const parsed = spec.input.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error, name);
  const reply = await attempt(async () =>
    (spec.run as (api: ApiClient, input: unknown) => Promise<unknown>)(await client(deps), parsed.data),
  );
  if (reply.ok && name === 'myCoverage') void refreshBadge(deps, reply.data as MyCoverage);
  else if (reply.ok && CHANGES_COVERAGE.has(name)) void refreshBadge(deps);
  return reply;
}

/** The self-hosted domains the sidebar runs on: the organisation's policy's and the person's own. */
async function domainsOf(deps: BackgroundDeps): Promise<CustomDomain[]> {
  const [policy, own] = await Promise.all([policyOf(deps), deps.customDomains.read()]);
  return allDomains(policy, own);
}

/** The extension's own pages are known by their URL (an options page open in a tab has a tab too). */
async function isTicketPage(deps: BackgroundDeps, url: string): Promise<boolean> {
  return deps.isBuiltInHost(url) || isOnCustomDomain(url, await domainsOf(deps));
}

/** The browser took back a granted origin: its content script and its entry go too. */
export async function originsRemoved(deps: BackgroundDeps, origins: string[]): Promise<void> {
  const gone = new Set(origins.map((pattern) => pattern.replace(/\/\*$/, '')));
  const own = await deps.customDomains.read();
  // The policy's domains stay listed (the organisation's), without their script until allowed again.
  for (const domain of (await domainsOf(deps)).filter((d) => gone.has(d.origin))) {
    await deps.customDomains.unregister(domain.origin);
  }
  await deps.customDomains.write(own.filter((d) => !gone.has(d.origin)));
}

/**
 * Brings the registered content scripts in line with the domains: the policy's (when the browser
 * allows them) and the person's. Run when the worker starts, when the policy changes, and when the
 * browser grants an origin.
 */
export async function syncDomainScripts(deps: BackgroundDeps): Promise<void> {
  const domains = await domainsOf(deps);
  const registered = new Set((await deps.customDomains.registered?.().catch(() => [])) ?? []);
  for (const origin of registered) {
    if (!domains.some((d) => d.origin === origin)) await deps.customDomains.unregister(origin).catch(() => {});
  }
  for (const domain of domains) {
    if (registered.has(domain.origin) || !(await deps.canReach(domain.origin))) continue;
    // Without the scripting permission (not granted yet) nothing can be registered: the options ask.
    await deps.customDomains.register(domain).catch(() => {});
  }
}

/** How long published host selectors are used before they are fetched again. */
export const HOST_SELECTORS_MAX_AGE_MS = 10 * 60_000;
/** A page that shows no ticket with the selectors it has asks for new ones, at most this often. */
export const HOST_SELECTORS_RETRY_MS = 2_000;
/** Without a store of its own, a background keeps published selectors in memory. */
const memorySelectorStores = new WeakMap<BackgroundDeps, NonNullable<BackgroundDeps['hostSelectors']>>();
function selectorStore(deps: BackgroundDeps): NonNullable<BackgroundDeps['hostSelectors']> {
  if (deps.hostSelectors) return deps.hostSelectors;
  let store = memorySelectorStores.get(deps);
  if (!store) {
    let cached: CachedHostSelectors | null = null;
    store = {
      read: async () => cached,
      write: async (next) => {
        cached = next;
      },
    };
    memorySelectorStores.set(deps, store);
  }
  return store;
}

/** `GET /v1/host-selectors`, its answer checked with the contract: selectors and nothing else. */
async function fetchHostSelectors(deps: BackgroundDeps, settings: Settings): Promise<HostSelectors['selectors']> {
  await client(deps); // refuses when not connected, or when the browser does not allow the API's origin
  const response = await deps.fetch(new URL('/v1/host-selectors', settings.apiUrl), {
    headers: { authorization: `Bearer ${settings.token}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new ApiProblem('refused', `The goals API answered ${response.status}.`, response.status);
  return HostSelectors.parse(await response.json()).selectors;
}

/**
 * The selectors the workspace published for one host, from the cache while it is fresh. `fresh`:
 * the page shows no ticket with the selectors it has, so a newer publication is looked for now.
 * Anything going wrong leaves the built-in selectors (or the last published ones) in use.
 */
async function publishedSelectors(
  deps: BackgroundDeps,
  source: Source,
  fresh: boolean,
): Promise<Reply<SelectorOverrides | null>> {
  const store = selectorStore(deps);
  const { settings } = await settingsOf(deps);
  if (!settings.apiUrl || !settings.token) return ok(null);
  const cached = await store.read().catch(() => null);
  const usable = cached?.apiUrl === settings.apiUrl ? cached : null;
  const age = usable ? deps.now() - usable.fetchedAt : Number.POSITIVE_INFINITY;
  if (usable && age < (fresh ? HOST_SELECTORS_RETRY_MS : HOST_SELECTORS_MAX_AGE_MS)) {
    return ok(usable.selectors[source] ?? null);
  }
  let selectors = usable?.selectors ?? {};
  try {
    selectors = await fetchHostSelectors(deps, settings);
  } catch {
    // Offline, not allowed, or an API without host selectors: asked again after the same wait.
  }
  await store.write({ apiUrl: settings.apiUrl, fetchedAt: deps.now(), selectors }).catch(() => {});
  return ok(selectors[source] ?? null);
}

async function policyView(deps: BackgroundDeps): Promise<PolicyView> {
  const { policy, apiUrlFrom, tokenFrom } = await settingsOf(deps);
  const domains = await Promise.all(
    policy.domains.map(async (d) => ({ ...d, allowed: await deps.canReach(d.origin) })),
  );
  return {
    managed: isManaged(policy),
    locked: policy.locked,
    apiUrl: policy.apiUrl,
    token: policy.token !== null,
    domains,
    problems: policy.problems,
    apiUrlFrom,
    tokenFrom,
  };
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
    const url = sender.url ?? sender.tab?.url ?? '';
    if (kind === 'content' && !(await isTicketPage(deps, url))) {
      return fail('invalid', 'This page is not a ticket page Throughline runs on.');
    }
    // A self-hosted server's page is whatever that server sends: it may not name who the person is.
    if (content.data.type === 'identity:seen' && !deps.isBuiltInHost(url)) return ok(null);
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

/**
 * An import from the goals page, over a port (runtime.connect) so the page hears the progress of
 * a large file as the API writes it. Only the extension's own pages may import.
 */
export async function importWithProgress(
  deps: BackgroundDeps,
  sender: Sender,
  message: unknown,
  post: (message: ImportPortMessage) => void,
): Promise<void> {
  if (senderKind(deps, sender) !== 'page') {
    post({ reply: fail('invalid', 'Imports are taken only from the extension’s own pages.') });
    return;
  }
  const input = ImportRequest.safeParse(message);
  if (!input.success) {
    post({ reply: invalidInput(input.error, 'import') });
    return;
  }
  const reply = await attempt(async () =>
    (await client(deps)).importObjectivesWithProgress(input.data, (progress) => post({ progress })),
  ).catch((error: Error) => fail('unreachable', `The import failed: ${error.message}`));
  post({ reply });
  if (reply.ok) void refreshBadge(deps);
}

async function handleContent(deps: BackgroundDeps, request: ContentRequest): Promise<Reply<unknown>> {
  switch (request.type) {
    case 'context:get': {
      const reply = await attempt(async (): Promise<TicketView> => {
        const [context, pending] = await Promise.all([
          client(deps).then((api) => api.context(request.ref)),
          pendingFor(deps.queue, request.ref),
        ]);
        return { context, pending };
      });
      if (reply.ok) {
        void flushQueue(deps);
        if (deps.now() - (await deps.badge.shownAt()) > BADGE_MAX_AGE_MS) void refreshBadge(deps);
      }
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
        void refreshBadge(deps);
        return reply;
      }
      if (reply.problem.kind !== 'unreachable') return reply;
      await enqueue(deps.queue, pending);
      return ok<LinkOutcome>({ status: 'queued', pending });
    }
    case 'link:end': {
      const reply = await attempt(async () => (await client(deps)).endLink(request.linkId));
      if (reply.ok) void refreshBadge(deps);
      return reply;
    }
    case 'objectives:open':
      return attempt(async () => (await client(deps)).objectives({ status: 'open', period: 'current' }));
    case 'identity:seen':
      return identitySeen(deps, request.source, request.name);
    case 'selectors:get':
      return publishedSelectors(deps, request.source, request.fresh === true);
    case 'options:open':
      await deps.openOptions();
      return ok(null);
  }
}

async function handlePage(deps: BackgroundDeps, request: PageRequest): Promise<Reply<unknown>> {
  switch (request.type) {
    case 'settings:get': {
      const { settings } = await settingsOf(deps);
      // Pages learn whether a token is set, never the token itself.
      return ok({ apiUrl: settings.apiUrl, hasToken: settings.token !== '' });
    }
    case 'settings:set': {
      const refused = lockedOut(await policyOf(deps), request);
      if (refused) return fail('invalid', refused);
      const current = await deps.readSettings();
      await deps.writeSettings({ apiUrl: request.apiUrl, token: request.token?.trim() ?? current?.token ?? '' });
      // Perhaps another person or workspace: what was learnt of the previous one does not apply.
      await deps.seenIdentities.write({});
      await selectorStore(deps).write(null);
      void refreshBadge(deps);
      return ok(null);
    }
    case 'policy:get':
      return ok(await policyView(deps));
    case 'connection:test':
      return attempt(async () => (await client(deps)).me());
    case 'domains:list':
      return ok(await deps.customDomains.read());
    case 'domains:add': {
      const origin = new URL(request.origin).origin;
      if (!(await deps.canReach(origin))) {
        return fail('no_permission', `The browser has not allowed ${origin}: allow it when asked.`);
      }
      const own = await deps.customDomains.read();
      const policyDomain = (await policyOf(deps)).domains.find((d) => d.origin === origin);
      if (policyDomain) {
        // The organisation's domain, now allowed: its script is registered; the person's list is unchanged.
        await deps.customDomains.unregister(origin);
        await deps.customDomains.register(policyDomain);
        return ok(own);
      }
      const domain: CustomDomain = { origin, kind: request.kind };
      const others = own.filter((d) => d.origin !== origin);
      await deps.customDomains.unregister(origin);
      await deps.customDomains.register(domain);
      await deps.customDomains.write([...others, domain]);
      return ok([...others, domain]);
    }
    case 'api':
      return pageCall(deps, request.call, request.input);
    case 'badge:get':
      return ok(await deps.badge.mode());
    case 'badge:set':
      await deps.badge.setMode(request.mode);
      await refreshBadge(deps);
      return ok(null);
    case 'domains:remove': {
      if ((await policyOf(deps)).domains.some((d) => d.origin === request.origin)) {
        return fail('invalid', `${request.origin} is set by your organisation: it cannot be removed here.`);
      }
      await originsRemoved(deps, [request.origin]);
      await deps.customDomains.revoke(request.origin);
      return ok(await deps.customDomains.read());
    }
  }
}
