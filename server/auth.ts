import { and, eq, isNull } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { type ChangeFeed, Channel } from './changes';
import type { Db } from './db';
import { apiTokens, users } from './db/schema';
import { ApiError } from './errors';
import { hashesEqual, hashToken, looksLikeToken } from './tokens';

export interface Caller {
  tokenId: string;
  workspaceId: string;
  userId: string;
  name: string;
  role: 'admin' | 'member';
}

export type AppEnv = { Variables: { caller: Caller } };

interface CachedCaller {
  caller: Caller;
  hash: string;
  expiresAt: number;
}

/**
 * Resolves bearer tokens to callers. A short cache spares the database a lookup per request, but
 * only while the change feed listens: a token revoked by any process, another API server or the
 * CLI, is refused on its next request.
 */
export class TokenAuthenticator {
  private cache = new Map<string, CachedCaller>();
  private lastUsedWritten = new Map<string, number>();
  /** Bumped by every revocation notice: a lookup that overlapped one is not cached. */
  private revocations = 0;

  constructor(
    private db: Db,
    private feed: ChangeFeed,
    private ttlMs = 60_000,
  ) {
    feed.on(Channel.tokenRevoked, (tokenId) => this.forget({ tokenId }));
    feed.onReset(() => {
      this.revocations++;
      this.cache.clear();
    });
  }

  async authenticate(token: string): Promise<Caller | null> {
    if (!looksLikeToken(token)) return null;
    const hash = hashToken(token);
    const now = Date.now();
    const cached = this.feed.listening ? this.cache.get(hash) : undefined;
    if (cached && cached.expiresAt > now && hashesEqual(cached.hash, hash)) return cached.caller;
    const revocationsBefore = this.revocations;

    const [row] = await this.db
      .select({
        tokenId: apiTokens.id,
        hash: apiTokens.hash,
        workspaceId: apiTokens.workspaceId,
        userId: apiTokens.userId,
        name: users.name,
        role: users.role,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(and(eq(apiTokens.hash, hash), isNull(apiTokens.revokedAt)));
    if (!row || !hashesEqual(row.hash, hash)) {
      this.cache.delete(hash);
      return null;
    }
    const caller: Caller = {
      tokenId: row.tokenId,
      workspaceId: row.workspaceId,
      userId: row.userId,
      name: row.name,
      role: row.role,
    };
    if (this.cache.size > 10_000) this.cache.clear();
    // A revocation noticed while this lookup ran may be of this token, read just before it committed.
    if (this.revocations === revocationsBefore) this.cache.set(hash, { caller, hash, expiresAt: now + this.ttlMs });
    this.touch(caller.tokenId, now);
    return caller;
  }

  /** Forget cached callers of these tokens (revoked) or of this user (role changed). */
  forget(match: { tokenId?: string; userId?: string }): void {
    this.revocations++;
    for (const [hash, entry] of this.cache) {
      if (entry.caller.tokenId === match.tokenId || entry.caller.userId === match.userId) this.cache.delete(hash);
    }
  }

  // last_used_at is informative: written at most once a minute per token, never on the request's path.
  private touch(tokenId: string, now: number): void {
    if ((this.lastUsedWritten.get(tokenId) ?? 0) > now - 60_000) return;
    this.lastUsedWritten.set(tokenId, now);
    this.db
      .update(apiTokens)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiTokens.id, tokenId))
      .catch(() => {});
  }
}

export function requireAuth(authenticator: TokenAuthenticator) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) {
      throw new ApiError('unauthorized', 'Missing bearer token: send "Authorization: Bearer tl_..."');
    }
    const caller = await authenticator.authenticate(match[1] as string);
    if (!caller) throw new ApiError('unauthorized', 'The token is invalid or has been revoked');
    c.set('caller', caller);
    await next();
  });
}

export function requireAdmin(caller: Caller): void {
  if (caller.role !== 'admin') throw new ApiError('forbidden', 'Only a workspace admin may do this');
}
