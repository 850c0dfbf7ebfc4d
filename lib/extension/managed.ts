/**
 * Enterprise deployment: what an organisation sets by browser policy (`storage.managed`, declared by
 * `public/managed_schema.json`), and how it combines with what the person saved in the options.
 *
 * Policy keys (all optional):
 * - `apiUrl`: the goals API. Used when the person has saved none; with `locked`, always.
 * - `token`: an API token (for per-user policies). Used with the policy's `apiUrl` when the person
 *   has saved none for it; with `locked`, always. Without a usable `apiUrl`, never (a problem).
 * - `customDomains`: `[{ "origin": "https://jira.example.com", "kind": "jira" | "github" }]`,
 *   self-hosted Jira and GitHub Enterprise servers the sidebar runs on (once the browser allows each
 *   origin). Always the organisation's: listed in the options, not removable there. The first 50
 *   are read.
 * - `locked`: `true` and the person cannot change the `apiUrl` and `token` the policy sets.
 *
 * A value the policy gets wrong is left out and named in `problems` (shown in the options), the
 * rest still applies.
 */
import { z } from 'zod';
import { type CustomDomain, parseOrigin } from './custom-domains';

export interface Settings {
  apiUrl: string;
  token: string;
}

export interface Policy {
  apiUrl: string | null;
  token: string | null;
  domains: CustomDomain[];
  locked: boolean;
  /** What the policy set that could not be used, in words. */
  problems: string[];
}

export const NO_POLICY: Policy = { apiUrl: null, token: null, domains: [], locked: false, problems: [] };

const PolicyApiUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048);
const PolicyToken = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
/** The most `customDomains` entries read; any after them are named in `problems`. */
export const MAX_POLICY_DOMAINS = 50;
const PolicyDomain = z.strictObject({ origin: z.string().max(300), kind: z.enum(['jira', 'github']) });

/** Whether any policy applies: the options then say what the organisation set, and what it got wrong. */
export const isManaged = (policy: Policy) =>
  policy.apiUrl !== null ||
  policy.token !== null ||
  policy.domains.length > 0 ||
  policy.locked ||
  policy.problems.length > 0;

/** The policy from what `storage.managed.get()` answered (anything: the browser checks little). */
export function readPolicy(raw: unknown): Policy {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return NO_POLICY;
  const values = raw as Record<string, unknown>;
  const problems: string[] = [];
  const field = <T>(name: string, schema: z.ZodType<T>): T | null => {
    if (values[name] === undefined) return null;
    const parsed = schema.safeParse(values[name]);
    if (parsed.success) return parsed.data;
    problems.push(`${name}: ${parsed.error.issues[0]?.message ?? 'not valid'} (ignored)`);
    return null;
  };
  const domains: CustomDomain[] = [];
  const listed = values.customDomains;
  if (listed !== undefined && !Array.isArray(listed)) problems.push('customDomains: must be a list (ignored)');
  const entries = Array.isArray(listed) ? listed : [];
  for (const [i, entry] of entries.slice(0, MAX_POLICY_DOMAINS).entries()) {
    const domain = PolicyDomain.safeParse(entry);
    const origin = domain.success ? parseOrigin(domain.data.origin) : null;
    if (!domain.success || !origin?.ok) {
      const reason =
        origin && !origin.ok ? origin.reason : 'must be { "origin": "https://…", "kind": "jira" | "github" }';
      problems.push(`customDomains[${i}]: ${reason} (ignored)`);
      continue;
    }
    if (!domains.some((d) => d.origin === origin.origin))
      domains.push({ origin: origin.origin, kind: domain.data.kind });
  }
  if (entries.length > MAX_POLICY_DOMAINS) {
    problems.push(
      `customDomains: at most ${MAX_POLICY_DOMAINS} are read; the ${entries.length - MAX_POLICY_DOMAINS} after the ${MAX_POLICY_DOMAINS}th are ignored`,
    );
  }
  const apiUrl = field('apiUrl', PolicyApiUrl);
  let token = field('token', PolicyToken);
  if (token !== null && apiUrl === null) {
    // A policy's token goes only to the policy's API (resolveSettings): without one it is never used.
    problems.push(
      'token: goes only to the goals API the policy sets in apiUrl, and it sets none that can be used (ignored)',
    );
    token = null;
  }
  return {
    apiUrl,
    token,
    domains,
    locked: field('locked', z.boolean({ error: 'must be true or false' })) ?? false,
    problems,
  };
}

export type SettingSource = 'policy' | 'person' | 'default';

export interface Resolved {
  settings: Settings;
  apiUrlFrom: SettingSource;
  tokenFrom: SettingSource | null;
}

/** The URL's origin, or null when it is not a URL. */
export function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * The settings the background uses: the person's where the policy allows, the organisation's
 * otherwise. A token goes only to the API it was given for: a token the person saved for another
 * server is never sent to the policy's.
 */
export function resolveSettings(saved: Settings | null, policy: Policy, defaultApiUrl: string): Resolved {
  const savedUrl = saved?.apiUrl ?? '';
  const apiUrlFrom: SettingSource =
    policy.apiUrl !== null && (policy.locked || !savedUrl) ? 'policy' : savedUrl ? 'person' : 'default';
  const apiUrl =
    apiUrlFrom === 'policy' ? (policy.apiUrl as string) : apiUrlFrom === 'person' ? savedUrl : defaultApiUrl;
  const personToken = saved?.token && originOf(savedUrl) === originOf(apiUrl) ? saved.token : '';
  // The policy's token belongs to the policy's API, also when the person saved that same URL.
  const policyApi = policy.apiUrl !== null && originOf(policy.apiUrl) === originOf(apiUrl);
  if (policy.token !== null && policyApi && (policy.locked || !personToken)) {
    return { settings: { apiUrl, token: policy.token }, apiUrlFrom, tokenFrom: 'policy' };
  }
  return { settings: { apiUrl, token: personToken }, apiUrlFrom, tokenFrom: personToken ? 'person' : null };
}

const sameUrl = (a: string, b: string) => {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
};

/** Why the person may not save these settings (a locked policy sets them), or null. */
export function lockedOut(policy: Policy, request: { apiUrl: string; token?: string }): string | null {
  if (!policy.locked) return null;
  if (policy.apiUrl !== null && !sameUrl(request.apiUrl, policy.apiUrl)) {
    return `Your organisation set the goals API URL to ${policy.apiUrl}: it cannot be changed here.`;
  }
  if (policy.token !== null && request.token?.trim()) {
    return 'Your organisation set the API token: it cannot be changed here.';
  }
  return null;
}

/** The domains the sidebar runs on: the organisation's, then the person's own. */
export function allDomains(policy: Policy, own: CustomDomain[]): CustomDomain[] {
  return [...policy.domains, ...own.filter((d) => !policy.domains.some((p) => p.origin === d.origin))];
}
