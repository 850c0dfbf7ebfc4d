/**
 * Connections to the hosts' APIs, for the routes and the CLI alike: made with a token that is
 * sealed at once (server/secrets.ts), listed and removed; the token never leaves this module.
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  type Connection,
  type ConnectionCreate,
  type ConnectionMade,
  type SyncRun,
  siteOf,
} from '../lib/shared/contract';
import type { Db } from './db';
import { connections, syncRuns, users, webhookSecrets } from './db/schema';
import { notFound, unprocessable } from './errors';
import { afterCursor, cursorOf, orderOf, pageOf, type SortKey } from './paging';
import { iso } from './queries';
import type { SecretBox } from './secrets';

const makers = alias(users, 'connection_maker');
const CONNECTION_ORDER: SortKey[] = [
  { column: connections.createdAt, kind: 'timestamp' },
  { column: connections.id, kind: 'uuid' },
];

/** A page of the workspace's connections, oldest first; or the one of `id`. */
export async function listConnections(
  db: Db,
  workspaceId: string,
  page: { limit: number; cursor?: string; id?: string },
): Promise<{ connections: Connection[]; nextCursor: string | null }> {
  const lastRun = db
    .select()
    .from(syncRuns)
    .where(eq(syncRuns.connectionId, connections.id))
    .orderBy(desc(syncRuns.startedAt))
    .limit(1)
    .as('last_run');
  const rows = await db
    .select({
      id: connections.id,
      host: connections.host,
      baseUrl: connections.baseUrl,
      site: connections.site,
      email: connections.email,
      tokenHint: connections.tokenHint,
      createdAt: connections.createdAt,
      createdBy: { id: makers.id, name: makers.name },
      lastSync: {
        id: lastRun.id,
        mode: lastRun.mode,
        status: lastRun.status,
        startedAt: lastRun.startedAt,
        finishedAt: lastRun.finishedAt,
        created: lastRun.created,
        updated: lastRun.updated,
        unchanged: lastRun.unchanged,
        removed: lastRun.removed,
        failed: lastRun.failed,
        error: lastRun.error,
      },
      cursor: cursorOf(CONNECTION_ORDER),
    })
    .from(connections)
    .leftJoin(makers, eq(makers.id, connections.createdById))
    .leftJoinLateral(lastRun, sql`true`)
    .where(
      and(
        eq(connections.workspaceId, workspaceId),
        page.id ? eq(connections.id, page.id) : undefined,
        afterCursor(CONNECTION_ORDER, page.cursor),
      ),
    )
    .orderBy(...orderOf(CONNECTION_ORDER))
    .limit(page.limit + 1);
  const { page: shown, nextCursor } = pageOf(rows, page.limit);
  return {
    connections: shown.map(({ cursor: _cursor, createdAt, lastSync, ...row }) => ({
      ...row,
      createdAt: iso(createdAt),
      lastSync: lastSync ? syncRunOf(lastSync) : null,
    })),
    nextCursor,
  };
}

/** A sync run as the contract has it. */
export function syncRunOf(run: Omit<typeof syncRuns.$inferSelect, 'workspaceId' | 'connectionId'>): SyncRun {
  return { ...run, startedAt: iso(run.startedAt), finishedAt: run.finishedAt ? iso(run.finishedAt) : null };
}

/**
 * A connection to a host's API; its token is sealed before it is written, and so is the secret
 * GitHub and Jira sign its webhooks with, returned this once.
 */
export async function createConnection(
  db: Db,
  secrets: SecretBox,
  workspaceId: string,
  input: ConnectionCreate,
  createdById: string | null,
): Promise<ConnectionMade> {
  const token = input.token?.trim() ?? '';
  const baseUrl = input.baseUrl.replace(/\/+$/, '');
  if (input.email !== undefined && input.host !== 'jira') {
    throw unprocessable('body.email', 'an e-mail goes only with a Jira Cloud API token');
  }
  const site = input.site ?? siteOf(input.host, baseUrl);
  // Jira Cloud takes its API tokens only with the account's e-mail (Basic); Data Center's PATs alone.
  if (input.host === 'jira' && input.email === undefined && site.endsWith('.atlassian.net')) {
    throw unprocessable('body.email', 'a Jira Cloud API token goes with the e-mail of its Atlassian account');
  }
  // GitHub and Jira sign with this secret; for Asana it is the key its hooks' names start with
  // (Asana brings each hook's signing secret at its handshake).
  const webhookSecret = input.host === 'asana' ? randomBytes(16).toString('hex') : randomBytes(32).toString('hex');
  const row = await db.transaction(async (tx) => {
    const [made] = await tx
      .insert(connections)
      .values({
        workspaceId,
        host: input.host,
        // One spelling of an address: no trailing slash, so that paths join to it alike.
        baseUrl,
        site,
        email: input.email ?? null,
        credential: input.githubApp ? 'github_app' : 'token',
        sealedToken: secrets.seal(input.githubApp ? JSON.stringify(input.githubApp) : token),
        // The last four characters tell tokens apart; a short token shows none of itself.
        tokenHint: input.githubApp
          ? `GitHub App ${input.githubApp.appId}, installation ${input.githubApp.installationId}`
          : token.length >= 16
            ? `…${token.slice(-4)}`
            : '…',
        createdById,
      })
      .returning({ id: connections.id });
    const id = (made as { id: string }).id;
    await tx.insert(webhookSecrets).values({ connectionId: id, name: '', sealedSecret: secrets.seal(webhookSecret) });
    return { id };
  });
  const { connections: listed } = await listConnections(db, workspaceId, { id: row.id, limit: 1 });
  const webhook =
    input.host === 'asana'
      ? { path: `/hooks/${row.id}/${webhookSecret}`, secret: null }
      : { path: `/hooks/${row.id}`, secret: webhookSecret };
  return { ...(listed[0] as Connection), webhook };
}

/** Removes a connection, and its sealed token with it. */
export async function removeConnection(db: Db, workspaceId: string, id: string): Promise<Connection> {
  const { connections: found } = await listConnections(db, workspaceId, { id, limit: 1 });
  const connection = found[0];
  if (!connection) throw notFound(`Connection ${id}`);
  await db.delete(connections).where(and(eq(connections.id, id), eq(connections.workspaceId, workspaceId)));
  return connection;
}
