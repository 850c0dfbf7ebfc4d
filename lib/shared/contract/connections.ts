/** Connections to the hosts' APIs (GitHub, Jira, Asana): where, and with which credential, never returned. */
import { z } from 'zod';
import { isHostName } from '../ref';
import { Id, NextCursor, PAGE_LIMITS, pageQuery, Source, Timestamp, text } from './base';
import { PersonRef } from './people';

/** A GitHub App's installation: the API mints short-lived tokens from the app's private key. */
export const GithubAppCredential = z.strictObject({
  appId: z.number().int().positive(),
  installationId: z.number().int().positive(),
  privateKey: z
    .string()
    .trim()
    .max(10_000)
    .regex(
      /^-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----$/,
      'must be the app’s PEM private key',
    ),
});
export type GithubAppCredential = z.infer<typeof GithubAppCredential>;

const connectionFields = {
  host: Source,
  /** The API's address: github.com's is https://api.github.com; Enterprise, Jira and Asana say theirs. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048),
  /** A token (GitHub fine-grained, Jira API token or PAT, Asana PAT or service account); stored sealed, never returned. */
  token: text(4000).trim().min(1, 'must not be empty').optional(),
  /** GitHub only, in place of a token: a GitHub App installation; stored sealed, never returned. */
  githubApp: GithubAppCredential.optional(),
  /** The host name tickets are referenced under, when it is not the API's own (see `siteOf`). */
  site: z
    .string()
    .trim()
    .toLowerCase()
    .refine(isHostName, 'must be a host name, like github.com or acme.atlassian.net')
    .optional(),
  /** Jira Cloud's account e-mail, which its API tokens go with; a Jira Data Center PAT needs none. */
  email: z.email({ error: 'must be an e-mail address' }).max(320).optional(),
};
export const ConnectionCreate = z.strictObject(connectionFields).superRefine((input, ctx) => {
  if (input.githubApp && input.host !== 'github') {
    ctx.addIssue({ code: 'custom', path: ['githubApp'], message: 'a GitHub App connects GitHub only' });
  } else if (input.githubApp && input.token !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['token'], message: 'a token or a GitHub App, not both' });
  } else if (!input.githubApp && input.token === undefined) {
    ctx.addIssue({ code: 'custom', path: ['token'], message: 'is required (or, for GitHub, githubApp)' });
  }
});
export type ConnectionCreate = z.input<typeof ConnectionCreate>;

/** A sync of a connection, as it went (server/sync.ts). */
export const SyncRun = z.object({
  id: Id,
  /** `full` reads every ticket again and notices what is gone; `incremental` what changed; `tickets` those a webhook named. */
  mode: z.enum(['full', 'incremental', 'tickets']),
  status: z.enum(['running', 'succeeded', 'failed']),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  removed: z.number().int(),
  failed: z.number().int(),
  /** Why it failed, in words; never a credential. */
  error: z.string().nullable(),
});
export type SyncRun = z.infer<typeof SyncRun>;
export const SyncRuns = z.object({ runs: z.array(SyncRun), nextCursor: NextCursor });
export const SyncRunFilters = z.strictObject({ ...pageQuery(PAGE_LIMITS.scope, 50) });

export const SyncRequest = z.strictObject({
  /** `incremental` (the default) reads what changed since the last sync; `full` reads everything again. */
  mode: z.enum(['full', 'incremental']).default('incremental'),
});
export const SyncQueued = z.object({
  /** False when a sync of the connection was waiting already: it covers this request. */
  queued: z.boolean(),
  jobId: z.string().nullable(),
});

/** What the host said of a connection's credential and scope, in words. */
export const ConnectionCheck = z.object({
  ok: z.boolean(),
  /** Who the token is on the host, when it said. */
  account: z.string().nullable(),
  problems: z.array(z.string()),
});
export type ConnectionCheck = z.infer<typeof ConnectionCheck>;

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
  /** The newest sync, running or done; null before the first. */
  lastSync: SyncRun.nullable(),
});
export type Connection = z.infer<typeof Connection>;
/** As made: with the secret its host signs webhooks with, shown this once. */
export const ConnectionMade = Connection.extend({
  webhook: z.object({
    /**
     * Where the host sends them, below the API's address: `/hooks/<connection id>`; for Asana
     * `/hooks/<connection id>/<hook key>`, to which each webhook adds `-<a name of its own>`.
     */
    path: z.string(),
    /** Null for Asana, whose webhooks bring their own at the handshake. */
    secret: z.string().nullable(),
  }),
});
export type ConnectionMade = z.infer<typeof ConnectionMade>;
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
