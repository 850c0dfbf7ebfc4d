/**
 * Self-hosted Jira (Server / Data Center) and GitHub Enterprise domains a person adds in the
 * options. Each is granted by the browser for that one origin, at runtime, and gets the host's
 * content script registered for it.
 */
export type DomainKind = 'jira' | 'github';

export interface CustomDomain {
  origin: string;
  kind: DomainKind;
}

/** Reads what a person typed (a URL or a bare host) as an origin; https unless http is written. */
export function parseOrigin(input: string): { ok: true; origin: string } | { ok: false; reason: string } {
  const trimmed = input.trim();
  if (!trimmed) return { ok: false, reason: 'Type the address of your Jira or GitHub Enterprise server.' };
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return { ok: false, reason: `“${trimmed.slice(0, 100)}” is not an address like jira.example.com.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: 'The address must start with https:// (or http://).' };
  }
  if (!url.hostname.includes('.') && url.hostname !== 'localhost') {
    return { ok: false, reason: `“${url.hostname}” is not a full host name.` };
  }
  return { ok: true, origin: url.origin };
}

export const scriptIdOf = (origin: string) => `custom-domain:${origin}`;
export const originOfScriptId = (id: string) => id.slice('custom-domain:'.length);

export function isOnCustomDomain(url: string, domains: CustomDomain[]): boolean {
  try {
    const origin = new URL(url).origin;
    return domains.some((d) => d.origin === origin);
  } catch {
    return false;
  }
}
