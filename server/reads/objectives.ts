/** Checks on the objective tree. */
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { objectives } from '../db/schema';
import { unprocessable } from '../errors';

/** The statuses that close an objective. */
export const CLOSED = ['achieved', 'missed', 'dropped'] as const;

/** Refuses a parent that is the objective itself or one of its descendants. */
export async function assertNoCycle(db: Db, workspaceId: string, id: string, parentId: string): Promise<void> {
  const rows = await db
    .select({ id: objectives.id, parentId: objectives.parentId })
    .from(objectives)
    .where(eq(objectives.workspaceId, workspaceId));
  const parentOf = new Map(rows.map((r) => [r.id, r.parentId]));
  const seen = new Set<string>();
  for (let at: string | null | undefined = parentId; at; at = parentOf.get(at)) {
    if (at === id) throw unprocessable('body.parentId', 'would make the objective its own ancestor');
    if (seen.has(at)) break;
    seen.add(at);
  }
}
