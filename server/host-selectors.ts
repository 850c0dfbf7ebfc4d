/**
 * Host fixes as data (lib/hosts/pages/overrides.ts): the selectors a workspace published, read by every
 * extension of the workspace and replaced as a whole by an admin, through the API or the CLI.
 */
import { eq } from 'drizzle-orm';
import { type HostSelectorOverrides, type HostSelectors, usableOverrides } from '../lib/hosts/pages/overrides';
import type { Db } from './db';
import { hostSelectors, users } from './db/schema';

/**
 * The workspace's published selectors; none published yet is an empty document. Read leniently: a
 * document published before a check was tightened keeps its valid selectors, and what this version
 * no longer accepts is left out and named in `dropped` (never a failed read).
 */
export async function readHostSelectors(db: Db, workspaceId: string): Promise<HostSelectors> {
  const [row] = await db
    .select({
      selectors: hostSelectors.selectors,
      updatedAt: hostSelectors.updatedAt,
      updatedBy: { id: users.id, name: users.name },
    })
    .from(hostSelectors)
    .leftJoin(users, eq(users.id, hostSelectors.updatedById))
    .where(eq(hostSelectors.workspaceId, workspaceId));
  if (!row) return { selectors: {}, dropped: [], updatedAt: null, updatedBy: null };
  const { selectors, dropped } = usableOverrides(row.selectors);
  return {
    selectors,
    dropped,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy?.id ? { id: row.updatedBy.id, name: row.updatedBy.name } : null,
  };
}

/**
 * Replaces the workspace's published selectors with `selectors` (already checked; `{}` withdraws
 * them all). `updatedById` is the admin publishing through the API, null from the CLI.
 */
export async function publishHostSelectors(
  db: Db,
  workspaceId: string,
  selectors: HostSelectorOverrides,
  updatedById: string | null,
  now: Date,
): Promise<HostSelectors> {
  await db
    .insert(hostSelectors)
    .values({ workspaceId, selectors, updatedById, updatedAt: now })
    .onConflictDoUpdate({ target: hostSelectors.workspaceId, set: { selectors, updatedById, updatedAt: now } });
  return readHostSelectors(db, workspaceId);
}
