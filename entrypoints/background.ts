import { browser } from 'wxt/browser';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { storage } from 'wxt/utils/storage';
import { refreshBadge } from '../lib/extension/background/badge';
import type { BackgroundDeps, CachedHostSelectors } from '../lib/extension/background/deps';
import { originsRemoved, syncDomainScripts } from '../lib/extension/background/domains';
import { handleMessage, importWithProgress, type Settings } from '../lib/extension/background/handlers';
import { flushQueue } from '../lib/extension/background/queue';
import type { BadgeMode } from '../lib/extension/badge';
import { type CustomDomain, originOfScriptId, scriptIdOf } from '../lib/extension/custom-domains';
import { BUILT_IN_HOSTS } from '../lib/extension/host-permissions';
import type { ContextIndex, KnownContext } from '../lib/extension/last-contexts';
import { lockedQueue, type QueuedLink } from '../lib/extension/link-queue';
import { fail, IMPORT_PORT } from '../lib/extension/messages';
import { TOGGLE_SIDEBAR } from '../lib/extension/reply';
import type { Source } from '../lib/shared/contract';

// Null until the person saves settings: an organisation's policy (storage.managed) applies until then.
const settingsItem = storage.defineItem<Settings>('local:settings');
const hostSelectorsItem = storage.defineItem<CachedHostSelectors>('local:host-selectors');
const queueItem = storage.defineItem<QueuedLink[]>('local:link-queue', { fallback: [] });
const lastContextIndexItem = storage.defineItem<ContextIndex>('local:last-context-index', { fallback: {} });
const domainsItem = storage.defineItem<CustomDomain[]>('local:custom-domains', { fallback: [] });
const badgeModeItem = storage.defineItem<BadgeMode>('local:badge-mode', { fallback: 'coverage' });
const badgeShownAtItem = storage.defineItem<number>('session:badge-shown-at', { fallback: 0 });
// Per browser session: a name seen on a page is checked against the API once, not on every view.
const seenIdentitiesItem = storage.defineItem<Partial<Record<Source, string>>>('session:seen-identities', {
  fallback: {},
});
const builtInPatterns = BUILT_IN_HOSTS.map((pattern) => new MatchPattern(pattern));

export default defineBackground(() => {
  // The token lives in storage.local: keep content scripts from reading it where the browser allows.
  (browser.storage.local as { setAccessLevel?: (o: { accessLevel: string }) => Promise<void> })
    .setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' })
    .catch(() => {});

  // Every ticket view asks for the settings and the API origin's grant: kept in memory until they
  // change, as two storage and permission round trips each took 5–30 ms while a host page loads.
  let settings: Promise<Settings | null> | null = null;
  settingsItem.watch(() => {
    settings = null;
  });
  // The organisation's policy, read once and again whenever the browser reports a change.
  let policy: Promise<unknown> | null = null;
  const readPolicy = () => {
    // Firefox without a policy refuses to read managed storage: that is no policy.
    policy ??= browser.storage.managed.get().catch(() => ({}));
    return policy;
  };
  const grants = new Map<string, Promise<boolean>>();
  browser.permissions.onAdded.addListener(() => grants.clear());
  browser.permissions.onRemoved.addListener(() => grants.clear());

  const deps: BackgroundDeps = {
    extensionId: browser.runtime.id,
    extensionOrigin: new URL(browser.runtime.getURL('/')).origin,
    readPolicy,
    defaultApiUrl: import.meta.env.WXT_SELFHOST === '1' ? 'http://127.0.0.1:8787' : '',
    hostSelectors: {
      read: () => hostSelectorsItem.getValue(),
      write: async (cached) => {
        if (cached) await hostSelectorsItem.setValue(cached);
        else await hostSelectorsItem.removeValue();
      },
    },
    readSettings: () => {
      settings ??= settingsItem.getValue().catch((error) => {
        settings = null;
        throw error;
      });
      return settings;
    },
    writeSettings: async (next) => {
      settings = null;
      await settingsItem.setValue(next);
      settings = null;
    },
    queue: lockedQueue({ read: () => queueItem.getValue(), write: (queue) => queueItem.setValue(queue) }),
    canReach: (origin) => {
      const known = grants.get(origin) ?? browser.permissions.contains({ origins: [`${origin}/*`] });
      grants.set(origin, known);
      return known;
    },
    isBuiltInHost: (url) => builtInPatterns.some((pattern) => pattern.includes(url)),
    customDomains: {
      read: () => domainsItem.getValue(),
      write: (domains) => domainsItem.setValue(domains),
      register: (domain) =>
        browser.scripting.registerContentScripts([
          {
            id: scriptIdOf(domain.origin),
            matches: [`${domain.origin}/*`],
            js: [`content-scripts/${domain.kind}.js`],
            runAt: 'document_idle',
          },
        ]),
      unregister: async (origin) => {
        // Without the scripting permission nothing was registered.
        if (browser.scripting) {
          const ids = [scriptIdOf(origin)];
          if ((await browser.scripting.getRegisteredContentScripts({ ids })).length > 0) {
            await browser.scripting.unregisterContentScripts({ ids });
          }
        }
      },
      revoke: async (origin) => {
        await browser.permissions.remove({ origins: [`${origin}/*`] }).catch(() => false);
      },
      registered: async () => {
        if (!browser.scripting) return [];
        const scripts = await browser.scripting.getRegisteredContentScripts();
        return scripts.flatMap((script) =>
          script.id.startsWith('custom-domain:') ? [originOfScriptId(script.id)] : [],
        );
      },
    },
    fetch: (input, init) => fetch(input, init),
    newId: () => crypto.randomUUID(),
    now: () => Date.now(),
    badge: {
      mode: () => badgeModeItem.getValue(),
      setMode: (mode) => badgeModeItem.setValue(mode),
      show: async ({ text, color, title }) => {
        await browser.action.setBadgeBackgroundColor({ color });
        await browser.action.setBadgeTextColor?.({ color: '#ffffff' });
        await browser.action.setBadgeText({ text });
        await browser.action.setTitle({ title });
        await badgeShownAtItem.setValue(Date.now());
      },
      shownAt: () => badgeShownAtItem.getValue(),
    },
    seenIdentities: {
      read: () => seenIdentitiesItem.getValue(),
      write: (seen) => seenIdentitiesItem.setValue(seen),
    },
    lastContexts: {
      readIndex: () => lastContextIndexItem.getValue(),
      writeIndex: (index) => lastContextIndexItem.setValue(index),
      read: (ref) => storage.getItem<KnownContext>(`local:last-context:${ref}`),
      write: (ref, known) =>
        known ? storage.setItem(`local:last-context:${ref}`, known) : storage.removeItem(`local:last-context:${ref}`),
    },
    openOptions: () => browser.runtime.openOptionsPage(),
    openGoals: async (objectiveId) => {
      await browser.tabs.create({ url: browser.runtime.getURL(`/goals.html#objective=${objectiveId}`) });
    },
  };

  browser.runtime.onMessage.addListener((message, sender) => handleMessage(deps, message, sender));
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== IMPORT_PORT) return;
    let open = true;
    port.onDisconnect.addListener(() => {
      open = false;
    });
    // The page may close before the import ends: the API still finishes it; the page is not told.
    const post = (message: unknown) => open && port.postMessage(message);
    port.onMessage.addListener((message) => {
      importWithProgress(deps, port.sender ?? {}, message, post).catch((error: Error) => {
        post({ reply: fail('unreachable', `The import failed: ${error.message}`) });
      });
    });
  });
  browser.commands.onCommand.addListener(async (command, tab) => {
    if (command !== 'toggle-sidebar') return;
    const target = tab ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0];
    if (target?.id !== undefined) await browser.tabs.sendMessage(target.id, { type: TOGGLE_SIDEBAR }).catch(() => {});
  });
  browser.permissions.onRemoved.addListener(({ origins }) => void originsRemoved(deps, origins ?? []));
  // The organisation's domains get their script once the browser allows them, and follow the policy.
  browser.permissions.onAdded.addListener(() => void syncDomainScripts(deps));
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area !== 'managed') return;
    policy = null;
    void hostSelectorsItem.removeValue();
    void syncDomainScripts(deps);
    void refreshBadge(deps);
  });
  void syncDomainScripts(deps);
  // Queued links go out whenever the worker starts and after every ticket view that reaches the API.
  browser.runtime.onStartup.addListener(() => void flushQueue(deps));
  void flushQueue(deps);
  // The badge is the browser's, kept across worker restarts: refreshed when the browser starts,
  // when the extension is installed or updated, and after every link change.
  browser.runtime.onStartup.addListener(() => void refreshBadge(deps));
  browser.runtime.onInstalled.addListener(() => void refreshBadge(deps));
});
