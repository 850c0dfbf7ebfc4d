import { sql } from 'drizzle-orm';
import type { Db } from '../../server/db';

/** The tables whose rows belong to a workspace (by `workspace_id`). */
export const OWNED_TABLES = [
  'teams',
  'users',
  'api_tokens',
  'periods',
  'objectives',
  'key_results',
  'status_updates',
  'work_items',
  'links',
  'reviews',
  'review_decisions',
  'host_selectors',
  'scope_entries',
];

/** Every row a workspace owns, as text: equal snapshots mean nothing of it changed. */
export async function snapshotWorkspace(db: Db, workspaceId: string): Promise<string> {
  const parts: unknown[] = [];
  const [workspace] = (await db.execute(sql`select * from workspaces where id = ${workspaceId}`)).rows;
  parts.push(workspace);
  for (const table of OWNED_TABLES) {
    const result = await db.execute(
      sql`select * from ${sql.identifier(table)} where workspace_id = ${workspaceId} order by id`,
    );
    // last_used_at is bookkeeping of authentication, not data a request changes.
    parts.push(
      table,
      result.rows.map(({ last_used_at: _, ...row }) => row),
    );
  }
  return JSON.stringify(parts);
}
