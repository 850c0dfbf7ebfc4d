/** The person's identities on the hosts, as pages show them: which field a name seen on a page fills. */
import type { Identities, Source } from '../shared/contract';

type IdentityField = keyof Identities;

/** Jira Cloud account ids: 24 hex digits, or `<number>:<uuid>`. */
const JIRA_ACCOUNT_ID = /^(?:[0-9a-f]{24}|\d+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function identityFieldFor(source: Source, seen: string): IdentityField {
  if (source === 'github') return 'githubLogin';
  if (source === 'asana') return 'asanaName';
  return JIRA_ACCOUNT_ID.test(seen) ? 'jiraAccountId' : 'jiraName';
}

/**
 * What to save of a name seen signed in on a page: only into an empty field. A value the person
 * typed in the options, or one saved before, is theirs to change, never overwritten by a page.
 */
export function identityPatchFor(
  identities: Identities,
  source: Source,
  seen: string,
): Partial<Record<IdentityField, string>> | null {
  const name = seen.trim();
  if (!name) return null;
  const field = identityFieldFor(source, name);
  return identities[field] ? null : { [field]: name };
}

/** The identities as the popup lists them: host and name, only those set. */
export function matchedIdentities(identities: Identities): { host: string; name: string }[] {
  const rows: [string, string | null][] = [
    ['GitHub', identities.githubLogin],
    ['Jira', identities.jiraName],
    ['Jira account', identities.jiraAccountId],
    ['Asana', identities.asanaName],
    ['Asana account', identities.asanaGid],
  ];
  return rows.flatMap(([host, name]) => (name ? [{ host, name }] : []));
}
