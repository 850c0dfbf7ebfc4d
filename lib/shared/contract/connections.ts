/** Connections to the hosts' APIs (GitHub, Jira, Asana): where, and with which credential, never returned. */
import { z } from 'zod';
import { Id, NextCursor, PAGE_LIMITS, pageQuery, Source, Timestamp, text } from './base';
import { PersonRef } from './people';

export const ConnectionCreate = z.strictObject({
  host: Source,
  /** The API's address: github.com's is https://api.github.com; Enterprise, Jira and Asana say theirs. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048),
  /** A token (GitHub fine-grained, Jira API token or PAT, Asana PAT); stored sealed, never returned. */
  token: text(4000).trim().min(1, 'must not be empty'),
});
export type ConnectionCreate = z.input<typeof ConnectionCreate>;

export const Connection = z.object({
  id: Id,
  host: Source,
  baseUrl: z.string(),
  /** The token's last four characters, to tell tokens apart (none of a token under 16 characters). */
  tokenHint: z.string(),
  createdBy: PersonRef.nullable(),
  createdAt: Timestamp,
});
export type Connection = z.infer<typeof Connection>;
export const Connections = z.object({ connections: z.array(Connection), nextCursor: NextCursor });
export const ConnectionFilters = z.strictObject({ ...pageQuery(PAGE_LIMITS.scope, 200) });
