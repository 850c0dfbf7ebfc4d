/** The workspace's own settings: its name and the thresholds its figures use. */
import { eq } from 'drizzle-orm';
import { thresholdsFor } from '../../lib/server/metrics';
import type { Db } from '../db';
import { workspaces } from '../db/schema';

export async function loadSettings(db: Db, workspaceId: string) {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!row) throw new Error(`workspace ${workspaceId} of a valid token is missing`);
  return {
    workspace: { id: row.id, name: row.name, slug: row.slug },
    thresholds: thresholdsFor(row.settings as object),
  };
}

export async function workspaceThresholds(db: Db, workspaceId: string) {
  const [row] = await db
    .select({ settings: workspaces.settings })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  return thresholdsFor(row?.settings as object | undefined);
}
