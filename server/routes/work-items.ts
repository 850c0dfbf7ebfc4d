import { createRoute } from '@hono/zod-openapi';
import { getTableColumns, sql } from 'drizzle-orm';
import { z } from 'zod';
import { projectOfRef, WorkItem, WorkItemContext, WorkItemRecord, WorkItemRef } from '../../lib/shared/contract';
import { assertContainersFit, recordContainers } from '../containments';
import { workItems } from '../db/schema';
import type { Deps } from '../deps';
import { itemKindOf, ticketRef, toWorkItem } from '../queries';
import { assertInScope, placeOf } from '../scope';
import { errorResponses, json, jsonBody, router } from './router';

const RefParam = z.object({ ref: WorkItemRef });

export function workItemRoutes({ db, now, contexts, scope }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'put',
        path: '/v1/work-items/{ref}',
        summary: 'Record what a page shows of a ticket; fields left out keep their value',
        description: 'The reference is `source:host/key`, URL-encoded, e.g. `github%3Agithub.com%2Focto%2Fapi%2342`.',
        request: { params: RefParam, ...jsonBody(WorkItemRecord) },
        responses: {
          200: json(WorkItem, 'The ticket, updated'),
          201: json(WorkItem, 'The ticket, first seen now'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const { workspaceId } = c.get('caller');
        const refString = c.req.valid('param').ref;
        const ref = ticketRef(refString);
        const record = c.req.valid('json');
        // An Asana task is in a tracked project by what this record says of its projects, or what was known.
        const place = record.containers?.projects
          ? placeOf(record.containers.projects.map((p) => ({ ...p, slot: 'projects' })))
          : await contexts.place(workspaceId, refString);
        assertInScope(await scope.get(workspaceId), ref, 'path.ref', place);
        if (record.containers) assertContainersFit(refString, record.containers);
        const at = now();
        const fields = {
          ...(record.url !== undefined && { url: record.url }),
          ...(record.title !== undefined && { title: record.title }),
          ...(record.state !== undefined && { state: record.state }),
          ...(record.assignees !== undefined && { assignees: record.assignees }),
          ...(record.project !== undefined && { project: record.project }),
          ...(record.estimate !== undefined && { estimate: record.estimate }),
        };
        const closedAt =
          record.closed === undefined
            ? sql`${workItems.closedAt}`
            : record.closed
              ? sql`coalesce(${workItems.closedAt}, ${at})`
              : null;
        const { row, containersChanged } = await db.transaction(async (tx) => {
          const [row] = await tx
            .insert(workItems)
            .values({
              workspaceId,
              ref: refString,
              kind: itemKindOf(ref),
              ...ref,
              project: projectOfRef(ref),
              ...fields,
              closedAt: record.closed ? at : null,
              firstSeenAt: at,
              lastSeenAt: at,
            })
            .onConflictDoUpdate({
              target: [workItems.workspaceId, workItems.ref],
              set: { ...fields, closedAt, lastSeenAt: at },
            })
            .returning({ ...getTableColumns(workItems), inserted: sql<boolean>`(xmax = 0)` });
          const recorded = row as typeof workItems.$inferSelect & { inserted: boolean };
          const containersChanged = record.containers
            ? await recordContainers(tx, workspaceId, recorded.id, record.containers, at)
            : false;
          return { row: recorded, containersChanged };
        });
        const { inserted, ...item } = row;
        await contexts.recorded(workspaceId, item, containersChanged);
        return c.json(toWorkItem(item), inserted ? 201 : 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/work-items/{ref}/context',
        summary: 'A ticket with its live links, verdict (aligned, unaligned, stale) and suggested objectives',
        request: { params: RefParam },
        responses: { 200: json(WorkItemContext, 'The ticket’s goal context'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        const context = await contexts.load(caller.workspaceId, c.req.valid('param').ref, now());
        return c.json({ ...context, canDeclareScope: caller.role === 'admin' }, 200);
      },
    );
}
