import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { WorkItem, WorkItemContext, WorkItemRecord, WorkItemRef } from '../../lib/shared/contract';
import { assertContainersFit } from '../containments';
import type { Deps } from '../deps';
import { unprocessable } from '../errors';
import { ticketRef, toWorkItem } from '../queries';
import { recordWorkItem } from '../record-writes';
import { asksPlace, assertInScope, placeOf } from '../scope';
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
        const entries = await scope.get(workspaceId);
        // An Asana task is in a tracked project by what this record says of its projects, or what was known.
        const place = !asksPlace(entries, ref)
          ? undefined
          : record.containers?.projects
            ? placeOf(record.containers.projects.map((p) => ({ ...p, slot: 'projects' })))
            : await contexts.place(workspaceId, refString);
        assertInScope(entries, ref, 'path.ref', place);
        // The ticket's address is on its own host: pages link it (a child's panel links its parent).
        if (record.url && new URL(record.url).host !== ref.host) {
          throw unprocessable('body.url', `must be an address on ${ref.host}, where the ticket is`);
        }
        if (record.containers) assertContainersFit(refString, record.containers);
        const { item, inserted, containersChanged } = await recordWorkItem(db, {
          workspaceId,
          ref: refString,
          record,
          source: 'page',
          at: now(),
        });
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
