/**
 * What every host's connector does for the sync (server/sync.ts): list what changed in a scope
 * since a cursor, fetch one ticket, and check a credential. One file per host, each through the
 * host's own client library (Octokit, jira.js, asana); the JSON-to-ticket mapping is pure, in
 * lib/hosts/apis/.
 */
import type { SyncedTicket } from '../../lib/hosts/apis/types';
import type { GithubAppCredential } from '../../lib/shared/contract';
import type { Source, TicketRef } from '../../lib/shared/ref';
import type { ScopeTarget } from '../../lib/shared/scope';

/** A connection with its credential unsealed: held only while a sync or a check runs. */
export interface ConnectionAccess {
  id: string;
  host: Source;
  /** The API's address, without a trailing slash: https://api.github.com, https://ghe.acme.com/api/v3, a Jira site with its context path, https://app.asana.com/api/1.0. */
  baseUrl: string;
  /** The host name tickets are referenced under (`github:<site>/…`): github.com, acme.atlassian.net, app.asana.com. */
  site: string;
  /** Jira Cloud's account e-mail, which its API tokens go with (Basic); null sends the token as a bearer (GitHub, Asana, Jira DC PAT). */
  email: string | null;
  /** The token; '' where a GitHub App's installation stands in its place. */
  token: string;
  githubApp: GithubAppCredential | null;
}

/** One unit of sync with its own cursor: a GitHub repository or organisation, a Jira project or site, an Asana project. */
export interface SyncScope {
  /** Stable, as the cursor is stored under it: `repo:acme/api`, `org:acme`, `project:PAY`, `site:`, `project:1207…`. */
  key: string;
  /** As a person reads it: "repository acme/api". */
  description: string;
}

export interface SyncPage {
  tickets: SyncedTicket[];
  /** References the host says no longer exist (Asana's deleted events), when it says so. */
  removed: string[];
  /** Where the next sync of this scope starts once this page is stored; opaque to the sync. */
  cursor: string;
}

/** One ticket as the host has it now: found (under a new reference when it moved), or gone. */
export type FetchedTicket = { status: 'found'; ticket: SyncedTicket } | { status: 'gone' };

/** What a host said about a credential or a scope it cannot read, in words a person acts on. */
export interface CheckResult {
  ok: boolean;
  /** Who the token is on the host ("octocat"), when it could say. */
  account: string | null;
  problems: string[];
}

export interface Connector {
  /** The sync scopes the workspace's scope entries on this connection's site ask for. */
  scopes(entries: readonly ScopeTarget[]): SyncScope[];
  /**
   * The scope's tickets changed since `cursor` (all of them when null), in pages, oldest change
   * first. Stops between pages when `signal` aborts.
   */
  changes(scope: SyncScope, cursor: string | null, signal: AbortSignal): AsyncIterable<SyncPage>;
  fetch(ref: TicketRef): Promise<FetchedTicket>;
  /** Whether the credential reaches the host and reads each scope. */
  check(scopes: readonly SyncScope[]): Promise<CheckResult>;
}

/** Told when the host asked to slow down, and how long the client waits before trying again. */
export type RateLimitListener = (event: { waitMs: number; reason: string }) => void;

export type ConnectorFactory = (access: ConnectionAccess, options: { onRateLimit?: RateLimitListener }) => Connector;
