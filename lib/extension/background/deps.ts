/**
 * What the background is handed (the browser's APIs as plain functions, so tests need no browser),
 * and the settings and API client it works with.
 */

import type { HostSelectors } from '../../hosts/pages/overrides';
import type { Source } from '../../shared/contract';
import { ApiClient, ApiProblem } from '../api-client';
import type { Badge, BadgeMode } from '../badge';
import type { CustomDomain } from '../custom-domains';
import type { ContextIndex, KnownContext } from '../last-contexts';
import type { LockedQueue } from '../link-queue';
import { NO_POLICY, type Policy, type Resolved, readPolicy, resolveSettings, type Settings } from '../managed';
import { ok, type Reply } from '../messages';

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
  /** The last context read for each ticket (lib/extension/last-contexts.ts), for pages loaded offline. */
  lastContexts: {
    readIndex(): Promise<ContextIndex>;
    writeIndex(index: ContextIndex): Promise<void>;
    read(ref: string): Promise<KnownContext | null>;
    /** null: forget it. */
    write(ref: string, known: KnownContext | null): Promise<void>;
  };
  openOptions(): Promise<void>;
  /** Opens the goals page at one objective, in a new tab. */
  openGoals(objectiveId: string): Promise<void>;
}

export interface Sender {
  id?: string;
  url?: string;
  tab?: { url?: string };
}

export async function policyOf(deps: BackgroundDeps): Promise<Policy> {
  if (!deps.readPolicy) return NO_POLICY;
  return readPolicy(await deps.readPolicy().catch(() => ({})));
}

/** The settings in use: the person's, or the organisation's where its policy says so (lib/extension/managed.ts). */
export async function settingsOf(deps: BackgroundDeps): Promise<Resolved & { policy: Policy }> {
  const [saved, policy] = await Promise.all([deps.readSettings(), policyOf(deps)]);
  return { ...resolveSettings(saved, policy, deps.defaultApiUrl ?? ''), policy };
}

export async function client(deps: BackgroundDeps): Promise<ApiClient> {
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

export async function attempt<T>(run: () => Promise<T>): Promise<Reply<T>> {
  try {
    return ok(await run());
  } catch (error) {
    if (error instanceof ApiProblem) return { ok: false, problem: error.toProblem() };
    throw error;
  }
}
