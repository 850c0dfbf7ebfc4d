/** The caller as `/v1/me` and the popup show them. */
import { eq } from 'drizzle-orm';
import type { Me } from '../../lib/shared/contract';
import type { Caller } from '../auth';
import type { Db } from '../db';
import { teams, users, workspaces } from '../db/schema';
import { toUser } from '../queries';

export async function loadMe(db: Db, caller: Caller): Promise<Me> {
  const [row] = await db
    .select({ user: users, team: { id: teams.id, name: teams.name }, workspace: workspaces })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .leftJoin(teams, eq(teams.id, users.teamId))
    .where(eq(users.id, caller.userId));
  if (!row) throw new Error(`user ${caller.userId} of a valid token is missing`);
  return {
    user: toUser(row.user, row.team),
    workspace: { id: row.workspace.id, name: row.workspace.name, slug: row.workspace.slug },
  };
}
