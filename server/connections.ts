/**
 * Connections to the hosts' APIs, for the routes and the CLI alike: made with a token that is
 * sealed at once (server/secrets.ts), listed and removed; the token never leaves this module.
 */
import { and, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type Connection, type ConnectionCreate, siteOf } from '../lib/shared/contract';
import type { Db } from './db';
import { connections, users } from './db/schema';
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
      cursor: cursorOf(CONNECTION_ORDER),
    })
    .from(connections)
    .leftJoin(makers, eq(makers.id, connections.createdById))
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
    connections: shown.map(({ cursor: _cursor, createdAt, ...row }) => ({ ...row, createdAt: iso(createdAt) })),
    nextCursor,
  };
}

/** A connection to a host's API; its token is sealed before it is written. */
export async function createConnection(
  db: Db,
  secrets: SecretBox,
  workspaceId: string,
  input: ConnectionCreate,
  createdById: string | null,
): Promise<Connection> {
  const token = input.token.trim();
  const baseUrl = input.baseUrl.replace(/\/+$/, '');
  if (input.email !== undefined && input.host !== 'jira') {
    throw unprocessable('body.email', 'an e-mail goes only with a Jira Cloud API token');
  }
  const [row] = await db
    .insert(connections)
    .values({
      workspaceId,
      host: input.host,
      // One spelling of an address: no trailing slash, so that paths join to it alike.
      baseUrl,
      site: input.site ?? siteOf(input.host, baseUrl),
      email: input.email ?? null,
      sealedToken: secrets.seal(token),
      // The last four characters tell tokens apart; a short token shows none of itself.
      tokenHint: token.length >= 16 ? `…${token.slice(-4)}` : '…',
      createdById,
    })
    .returning({ id: connections.id });
  const { connections: made } = await listConnections(db, workspaceId, { id: (row as { id: string }).id, limit: 1 });
  return made[0] as Connection;
}

/** Removes a connection, and its sealed token with it. */
export async function removeConnection(db: Db, workspaceId: string, id: string): Promise<Connection> {
  const { connections: found } = await listConnections(db, workspaceId, { id, limit: 1 });
  const connection = found[0];
  if (!connection) throw notFound(`Connection ${id}`);
  await db.delete(connections).where(and(eq(connections.id, id), eq(connections.workspaceId, workspaceId)));
  return connection;
}
