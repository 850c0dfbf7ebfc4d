import { createRoute } from '@hono/zod-openapi';
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  LinkException,
  LinkExceptionCreate,
  LinkExceptionFilters,
  LinkExceptions,
  type ObjectiveSummary,
} from '../../lib/shared/contract';
import type { Db } from '../db';
import { linkExceptions, links, users, workItems } from '../db/schema';
import type { Deps } from '../deps';
import { ApiError, notFound, unprocessable } from '../errors';
import { afterCursor, cursorOf, orderOf, pageOf, type SortKey } from '../paging';
import { iso, isoOrNull, itemKindOf, ticketRef } from '../queries';
import { asksPlace, assertInScope } from '../scope';
import { errorResponses, IdParam, json, jsonBody, router } from './router';

const creators = alias(users, 'exception_creator');
const EXCEPTION_ORDER: SortKey[] = [
  { column: linkExceptions.createdAt, kind: 'timestamp' },
  { column: linkExceptions.id, kind: 'uuid' },
];

function exceptionRows(db: Db, workspaceId: string, where: (SQL | undefined)[]) {
  return db
    .select({
      exception: linkExceptions,
      ref: workItems.ref,
      title: workItems.title,
      url: workItems.url,
      createdBy: { id: creators.id, name: creators.name },
      cursor: cursorOf(EXCEPTION_ORDER),
    })
    .from(linkExceptions)
    .innerJoin(workItems, eq(workItems.id, linkExceptions.itemId))
    .leftJoin(creators, eq(creators.id, linkExceptions.createdById))
    .where(and(eq(linkExceptions.workspaceId, workspaceId), ...where));
}

type ExceptionRow = Awaited<ReturnType<typeof exceptionRows>>[number];

export function linkExceptionRoutes({ db, now, catalog, contexts, scope }: Deps) {
  async function toException(workspaceId: string, row: ExceptionRow): Promise<LinkException> {
    const objective = (await catalog.find(workspaceId, row.exception.objectiveId))?.summary as ObjectiveSummary;
    return {
      id: row.exception.id,
      ref: row.ref,
      title: row.title,
      url: row.url,
      objective,
      createdAt: iso(row.exception.createdAt),
      createdBy: row.createdBy,
      endedAt: isoOrNull(row.exception.endedAt),
    };
  }

  return router()
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/link-exceptions',
        summary: '"Not for this goal": the ticket stops serving an objective it inherits from its containers',
        description:
          'The ticket keeps its containers and its own links; only this objective stops coming down to it. ' +
          'Answers 200 with the standing exception when there is one.',
        request: jsonBody(LinkExceptionCreate),
        responses: {
          200: json(LinkException, 'The exception already stood'),
          201: json(LinkException, 'The exception was recorded'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const caller = c.get('caller');
        const { workspaceId } = caller;
        const input = c.req.valid('json');
        const ref = ticketRef(input.ref);
        const entries = await scope.get(workspaceId);
        const place = asksPlace(entries, ref) ? await contexts.place(workspaceId, input.ref) : undefined;
        assertInScope(entries, ref, 'body.ref', place);
        if (itemKindOf(ref) === 'container') {
          throw unprocessable('body.ref', 'a container has no inherited goals to refuse: end its link instead');
        }
        if (!(await catalog.find(workspaceId, input.objectiveId))) {
          throw unprocessable('body.objectiveId', 'no such objective in this workspace');
        }
        const at = now();
        // Only a goal the ticket inherits now can be refused (or one refused already).
        const context = await contexts.load(workspaceId, input.ref, at);
        const inherits = context.links.some((l) => l.inheritedFrom && l.objective.id === input.objectiveId);
        const standing = context.exceptions.some((e) => e.objective.id === input.objectiveId);
        const ownLink = context.links.some((l) => !l.inheritedFrom && l.objective.id === input.objectiveId);
        if (!inherits && !standing && !ownLink) {
          throw unprocessable('body.objectiveId', 'the ticket does not inherit this objective from its containers');
        }
        const { id, inserted } = await db.transaction(async (tx) => {
          const [item] = await tx
            .select({ id: workItems.id })
            .from(workItems)
            .where(and(eq(workItems.workspaceId, workspaceId), eq(workItems.ref, input.ref)));
          const itemId = (item as { id: string }).id;
          const [own] = await tx
            .select({ id: links.id })
            .from(links)
            .where(and(eq(links.workItemId, itemId), eq(links.objectiveId, input.objectiveId), isNull(links.endedAt)));
          if (own) {
            throw new ApiError('conflict', 'The ticket links this objective itself: unlink it instead', [
              { path: 'body.objectiveId', message: 'linked by the ticket itself' },
            ]);
          }
          const [made] = await tx
            .insert(linkExceptions)
            .values({ workspaceId, itemId, objectiveId: input.objectiveId, createdById: caller.userId, createdAt: at })
            .onConflictDoNothing({
              target: [linkExceptions.itemId, linkExceptions.objectiveId],
              where: isNull(linkExceptions.endedAt),
            })
            .returning({ id: linkExceptions.id });
          if (made) return { id: made.id, inserted: true };
          const [standing] = await tx
            .select({ id: linkExceptions.id })
            .from(linkExceptions)
            .where(
              and(
                eq(linkExceptions.itemId, itemId),
                eq(linkExceptions.objectiveId, input.objectiveId),
                isNull(linkExceptions.endedAt),
              ),
            );
          return { id: (standing as { id: string }).id, inserted: false };
        });
        if (inserted) await contexts.exceptionChanged(workspaceId, input.ref);
        const [row] = await exceptionRows(db, workspaceId, [eq(linkExceptions.id, id)]);
        return c.json(await toException(workspaceId, row as ExceptionRow), inserted ? 201 : 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/link-exceptions',
        summary: 'Standing "not for this goal" exceptions, oldest first, by ticket or objective',
        request: { query: LinkExceptionFilters },
        responses: { 200: json(LinkExceptions, 'A page of exceptions'), ...errorResponses },
      }),
      async (c) => {
        const { workspaceId } = c.get('caller');
        const filters = c.req.valid('query');
        const rows = await exceptionRows(db, workspaceId, [
          isNull(linkExceptions.endedAt),
          filters.ref ? eq(workItems.ref, filters.ref) : undefined,
          filters.objectiveId ? eq(linkExceptions.objectiveId, filters.objectiveId) : undefined,
          afterCursor(EXCEPTION_ORDER, filters.cursor),
        ])
          .orderBy(...orderOf(EXCEPTION_ORDER))
          .limit(filters.limit + 1);
        const { page, nextCursor } = pageOf(rows, filters.limit);
        return c.json(
          { exceptions: await Promise.all(page.map((row) => toException(workspaceId, row))), nextCursor },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/v1/link-exceptions/{id}',
        summary: 'Withdraw an exception: the ticket inherits the objective again. Withdrawing twice changes nothing',
        request: { params: IdParam },
        responses: { 200: json(LinkException, 'The withdrawn exception'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        const { id } = c.req.valid('param');
        const [ended] = await db
          .update(linkExceptions)
          .set({ endedAt: now(), endedById: caller.userId })
          .where(
            and(
              eq(linkExceptions.id, id),
              eq(linkExceptions.workspaceId, caller.workspaceId),
              isNull(linkExceptions.endedAt),
            ),
          )
          .returning({ id: linkExceptions.id });
        const [row] = await exceptionRows(db, caller.workspaceId, [eq(linkExceptions.id, id)]);
        if (!row) throw notFound(`Exception ${id}`);
        if (ended) await contexts.exceptionChanged(caller.workspaceId, row.ref);
        return c.json(await toException(caller.workspaceId, row), 200);
      },
    );
}
