/** Connections to the hosts' APIs (GitHub, Jira, Asana): where, and with which credential, never returned. */
import { z } from 'zod';
import { isHostName } from '../ref';
import { Id, NextCursor, PAGE_LIMITS, pageQuery, Source, Timestamp, text } from './base';
import { PersonRef } from './people';

export const ConnectionCreate = z.strictObject({
  host: Source,
  /** The API's address: github.com's is https://api.github.com; Enterprise, Jira and Asana say theirs. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048),
  /** A token (GitHub fine-grained, Jira API token or PAT, Asana PAT); stored sealed, never returned. */
  token: text(4000).trim().min(1, 'must not be empty'),
  /** The host name tickets are referenced under, when it is not the API's own (see `siteOf`). */
  site: z
    .string()
    .trim()
    .toLowerCase()
    .refine(isHostName, 'must be a host name, like github.com or acme.atlassian.net')
    .optional(),
  /** Jira Cloud's account e-mail, which its API tokens go with; a Jira Data Center PAT needs none. */
  email: z.email({ error: 'must be an e-mail address' }).max(320).optional(),
});
export type ConnectionCreate = z.input<typeof ConnectionCreate>;

export const Connection = z.object({
  id: Id,
  host: Source,
  baseUrl: z.string(),
  site: z.string(),
  email: z.string().nullable(),
  /** The token's last four characters, to tell tokens apart (none of a token under 16 characters). */
  tokenHint: z.string(),
  createdBy: PersonRef.nullable(),
  createdAt: Timestamp,
});
export type Connection = z.infer<typeof Connection>;
export const Connections = z.object({ connections: z.array(Connection), nextCursor: NextCursor });
export const ConnectionFilters = z.strictObject({ ...pageQuery(PAGE_LIMITS.scope, 200) });

/**
 * The host name a connection's tickets are referenced under, from its API's address: github.com's
 * API is api.github.com, an Enterprise Server's is `https://HOST/api/v3`, and Jira's and Asana's
 * live on their sites. A connection may say otherwise (a proxy in front of the API).
 */
export function siteOf(host: Source, baseUrl: string): string {
  const { host: apiHost } = new URL(baseUrl);
  return host === 'github' && apiHost === 'api.github.com' ? 'github.com' : apiHost;
}
