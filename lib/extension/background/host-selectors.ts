/**
 * The host selectors the workspace published (host fixes as data), cached for the content scripts.
 */
import type { SelectorOverrides } from '../../hosts/pages/types';
import type { Source } from '../../shared/contract';
import { ok, type Reply } from '../messages';
import { type BackgroundDeps, type CachedHostSelectors, client, settingsOf } from './deps';

/** How long published host selectors are used before they are fetched again. */
export const HOST_SELECTORS_MAX_AGE_MS = 10 * 60_000;
/** A page that shows no ticket with the selectors it has asks for new ones, at most this often. */
export const HOST_SELECTORS_RETRY_MS = 2_000;
/** Without a store of its own, a background keeps published selectors in memory. */
const memorySelectorStores = new WeakMap<BackgroundDeps, NonNullable<BackgroundDeps['hostSelectors']>>();
export function selectorStore(deps: BackgroundDeps): NonNullable<BackgroundDeps['hostSelectors']> {
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

/**
 * The selectors the workspace published for one host, from the cache while it is fresh. `fresh`:
 * the page shows no ticket with the selectors it has, so a newer publication is looked for now.
 * Anything going wrong leaves the built-in selectors (or the last published ones) in use.
 */
export async function publishedSelectors(
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
    // Read leniently: what this version cannot use of a newer server's document is left out.
    selectors = await (await client(deps)).hostSelectors();
  } catch {
    // Offline, not allowed, or an API without host selectors: asked again after the same wait.
  }
  await store.write({ apiUrl: settings.apiUrl, fetchedAt: deps.now(), selectors }).catch(() => {});
  return ok(selectors[source] ?? null);
}
