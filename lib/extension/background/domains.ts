/**
 * Self-hosted Jira and GitHub Enterprise domains: which pages are ticket pages, and their
 * registered content scripts.
 */
import { type CustomDomain, isOnCustomDomain } from '../custom-domains';
import { allDomains } from '../managed';
import { type BackgroundDeps, policyOf } from './deps';

/** The self-hosted domains the sidebar runs on: the organisation's policy's and the person's own. */
export async function domainsOf(deps: BackgroundDeps): Promise<CustomDomain[]> {
  const [policy, own] = await Promise.all([policyOf(deps), deps.customDomains.read()]);
  return allDomains(policy, own);
}

/** The extension's own pages are known by their URL (an options page open in a tab has a tab too). */
export async function isTicketPage(deps: BackgroundDeps, url: string): Promise<boolean> {
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
