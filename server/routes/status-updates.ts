/** Status updates of objectives. */
import { createRoute } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { StatusUpdate, StatusUpdateCreate, StatusUpdateFilters, StatusUpdates } from '../../lib/shared/contract';
import { objectives, statusUpdates, users } from '../db/schema';
import type { Deps } from '../deps';
import { unprocessable } from '../errors';
import { afterCursor, cursorOf, orderOf, pageOf, type SortKey } from '../paging';
import { iso, loadObjective } from '../queries';
import { CLOSED } from '../reads/objectives';
import { errorResponses, IdParam, json, jsonBody, router } from './router';

const STATUS_UPDATE_ORDER: SortKey[] = [
  { column: statusUpdates.createdAt, descending: true, kind: 'timestamp' },
  { column: statusUpdates.id, descending: true, kind: 'uuid' },
];

export function statusUpdateRoutes({ db, now, catalog }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/objectives/{id}/updates',
        summary: 'Status updates of an objective, newest first',
        request: { params: IdParam, query: StatusUpdateFilters },
        responses: { 200: json(StatusUpdates, 'Status updates'), ...errorResponses },
      }),
      async (c) => {
        const { workspaceId } = c.get('caller');
        const { id } = c.req.valid('param');
        const query = c.req.valid('query');
        await loadObjective(db, workspaceId, id);
        const rows = await db
          .select({
            update: statusUpdates,
            author: { id: users.id, name: users.name },
            cursor: cursorOf(STATUS_UPDATE_ORDER),
          })
          .from(statusUpdates)
          .leftJoin(users, eq(users.id, statusUpdates.authorId))
          .where(
            and(
              eq(statusUpdates.objectiveId, id),
              eq(statusUpdates.workspaceId, workspaceId),
              afterCursor(STATUS_UPDATE_ORDER, query.cursor),
            ),
          )
          .orderBy(...orderOf(STATUS_UPDATE_ORDER))
          .limit(query.limit + 1);
        const { page, nextCursor } = pageOf(rows, query.limit);
        return c.json(
          {
            nextCursor,
            updates: page.map(({ update, author }) => ({
              id: update.id,
              objectiveId: update.objectiveId,
              status: update.status,
              note: update.note,
              author,
              createdAt: iso(update.createdAt),
            })),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/objectives/{id}/updates',
        summary:
          'Post a status update: on_track, at_risk or off_track set its health; achieved, missed or dropped close it',
        request: { params: IdParam, ...jsonBody(StatusUpdateCreate) },
        responses: { 201: json(StatusUpdate, 'The update'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        const { id } = c.req.valid('param');
        const input = c.req.valid('json');
        const objective = await loadObjective(db, caller.workspaceId, id);
        const closing = (CLOSED as readonly string[]).includes(input.status);
        if (!closing && objective.status !== 'active') {
          throw unprocessable(
            'body.status',
            `cannot report ${input.status} on an objective that is ${objective.status}; reopen it first`,
          );
        }
        const at = now();
        const row = await db.transaction(async (tx) => {
          const [update] = await tx
            .insert(statusUpdates)
            .values({
              workspaceId: caller.workspaceId,
              objectiveId: id,
              authorId: caller.userId,
              ...input,
              createdAt: at,
            })
            .returning();
          await tx
            .update(objectives)
            .set(
              closing
                ? {
                    status: input.status as (typeof CLOSED)[number],
                    ...(objective.status === 'active' && { closedAt: at }),
                    lastUpdateAt: at,
                    updatedAt: at,
                  }
                : { health: input.status as 'on_track' | 'at_risk' | 'off_track', lastUpdateAt: at, updatedAt: at },
            )
            .where(eq(objectives.id, id));
          return update as typeof statusUpdates.$inferSelect;
        });
        await catalog.changed(caller.workspaceId);
        const [author] = await db
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(eq(users.id, caller.userId));
        return c.json(
          {
            id: row.id,
            objectiveId: id,
            status: row.status,
            note: row.note,
            author: author ?? null,
            createdAt: iso(row.createdAt),
          },
          201,
        );
      },
    );
}
