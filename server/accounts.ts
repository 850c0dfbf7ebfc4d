/** Workspaces, users and tokens: used by the admin routes and by the CLI alike. */
import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { CreatedToken, IdentitiesPatch, User, UserCreate } from '../lib/shared/contract';
import { Channel, notify } from './changes';
import type { Db } from './db';
import { apiTokens, teams, users, workspaces } from './db/schema';
import { ApiError, notFound } from './errors';
import { afterCursor, cursorOf, orderOf, pageOf, type SortKey } from './paging';
import { iso, isoOrNull, toUser } from './queries';
import { generateToken } from './tokens';

export function slugify(name: string): string {
  return (
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'workspace'
  );
}

export async function createWorkspace(db: Db, input: { name: string; slug?: string }) {
  const slug = input.slug ?? slugify(input.name);
  const [existing] = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, slug));
  if (existing) throw new ApiError('conflict', `A workspace with the slug "${slug}" already exists`);
  const [workspace] = await db.insert(workspaces).values({ name: input.name, slug }).returning();
  return workspace as typeof workspaces.$inferSelect;
}

export async function findWorkspace(db: Db, slugOrId: string) {
  const rows = await db.select().from(workspaces);
  const workspace = rows.find((w) => w.slug === slugOrId || w.id === slugOrId);
  if (!workspace) throw notFound(`Workspace ${slugOrId}`);
  return workspace;
}

function identityColumns(identities: z.infer<typeof IdentitiesPatch> | undefined) {
  return {
    githubLogin: identities?.githubLogin,
    jiraName: identities?.jiraName,
    jiraAccountId: identities?.jiraAccountId,
    asanaName: identities?.asanaName,
    asanaGid: identities?.asanaGid,
  };
}

export async function createUser(db: Db, workspaceId: string, input: z.output<typeof UserCreate>): Promise<User> {
  return db.transaction(async (tx) => {
    let team: { id: string; name: string } | null = null;
    if (input.teamId) {
      const [row] = await tx
        .select({ id: teams.id, name: teams.name })
        .from(teams)
        .where(and(eq(teams.id, input.teamId), eq(teams.workspaceId, workspaceId)));
      if (!row) {
        throw new ApiError('unprocessable', 'teamId: no such team in this workspace', [
          { path: 'body.teamId', message: 'no such team in this workspace' },
        ]);
      }
      team = row;
    }
    if (input.email) {
      const [clash] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.workspaceId, workspaceId), eq(users.email, input.email)));
      if (clash) throw new ApiError('conflict', `A user with the email ${input.email} already exists`);
    }
    const [row] = await tx
      .insert(users)
      .values({
        workspaceId,
        name: input.name,
        email: input.email ?? null,
        role: input.role,
        teamId: team?.id ?? null,
        ...identityColumns(input.identities),
      })
      .returning();
    return toUser(row as typeof users.$inferSelect, team);
  });
}

export async function createToken(
  db: Db,
  workspaceId: string,
  userId: string,
  name: string,
): Promise<z.infer<typeof CreatedToken>> {
  const [user] = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.workspaceId, workspaceId)));
  if (!user) {
    throw new ApiError('unprocessable', 'userId: no such user in this workspace', [
      { path: 'body.userId', message: 'no such user in this workspace' },
    ]);
  }
  const secret = generateToken();
  const [row] = await db
    .insert(apiTokens)
    .values({ workspaceId, userId, name, displayPrefix: secret.displayPrefix, hash: secret.hash })
    .returning();
  const token = row as typeof apiTokens.$inferSelect;
  return {
    id: token.id,
    name: token.name,
    displayPrefix: token.displayPrefix,
    user,
    createdAt: iso(token.createdAt),
    lastUsedAt: null,
    revokedAt: null,
    token: secret.token,
  };
}

const TOKEN_ORDER: SortKey[] = [
  { column: apiTokens.createdAt, kind: 'timestamp' },
  { column: apiTokens.id, kind: 'uuid' },
];

/** A page of tokens, oldest first: of the workspace, of one user, or the one of `id`. */
export async function listTokens(
  db: Db,
  workspaceId: string,
  filter: { userId?: string; id?: string; limit: number; cursor?: string },
) {
  const rows = await db
    .select({ token: apiTokens, user: { id: users.id, name: users.name }, cursor: cursorOf(TOKEN_ORDER) })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.workspaceId, workspaceId),
        filter.userId ? eq(apiTokens.userId, filter.userId) : undefined,
        filter.id ? eq(apiTokens.id, filter.id) : undefined,
        afterCursor(TOKEN_ORDER, filter.cursor),
      ),
    )
    .orderBy(...orderOf(TOKEN_ORDER))
    .limit(filter.limit + 1);
  const { page, nextCursor } = pageOf(rows, filter.limit);
  const tokens = page.map(({ token, user }) => ({
    id: token.id,
    name: token.name,
    displayPrefix: token.displayPrefix,
    user,
    createdAt: iso(token.createdAt),
    lastUsedAt: isoOrNull(token.lastUsedAt),
    revokedAt: isoOrNull(token.revokedAt),
  }));
  return { tokens, nextCursor };
}

/**
 * Revokes a token of the workspace (only `ownerId`'s, when given); revoking twice keeps the first
 * time. Throws not-found for a token outside that scope, exactly as for one that does not exist.
 */
export async function revokeToken(db: Db, workspaceId: string, tokenId: string, now: Date, ownerId?: string) {
  const [token] = await db
    .update(apiTokens)
    .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, ${now})` })
    .where(
      and(
        eq(apiTokens.id, tokenId),
        eq(apiTokens.workspaceId, workspaceId),
        ownerId ? eq(apiTokens.userId, ownerId) : undefined,
      ),
    )
    .returning({ id: apiTokens.id });
  if (!token) throw notFound(`Token ${tokenId}`);
  await notify(db, Channel.tokenRevoked, tokenId);
  const {
    tokens: [revoked],
  } = await listTokens(db, workspaceId, { id: tokenId, limit: 1 });
  return revoked as NonNullable<typeof revoked>;
}
