import { createRoute } from '@hono/zod-openapi';
import { SyncQueued, SyncRequest, SyncRunFilters, SyncRuns } from '../../lib/shared/contract';
import { requireAdmin } from '../auth';
import { listConnections } from '../connections';
import type { Deps } from '../deps';
import { ApiError, notFound } from '../errors';
import { listSyncRuns } from '../sync';
import { errorResponses, IdParam, json, jsonBody, router } from './router';

export function syncRoutes({ db, syncJobs }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/connections/{id}/syncs',
        summary:
          'Queue a sync of the connection: what changed since the last one, or everything again (`full`); the API processes run it (admins only)',
        request: { params: IdParam, ...jsonBody(SyncRequest) },
        responses: { 202: json(SyncQueued, 'Queued, or already waiting'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        requireAdmin(caller);
        const { id } = c.req.valid('param');
        const { mode } = c.req.valid('json');
        const { connections } = await listConnections(db, caller.workspaceId, { id, limit: 1 });
        if (connections.length === 0) throw notFound(`Connection ${id}`);
        if (!syncJobs)
          throw new ApiError('unavailable', 'This API process runs no syncs; start it with `throughline serve`');
        const jobId = await syncJobs.enqueue({ workspaceId: caller.workspaceId, connectionId: id, mode });
        return c.json({ queued: jobId !== null, jobId }, 202);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/connections/{id}/syncs',
        summary: 'The connection’s syncs, newest first: when, how, what each did, and why one failed (admins only)',
        request: { params: IdParam, query: SyncRunFilters },
        responses: { 200: json(SyncRuns, 'A page of syncs'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        requireAdmin(caller);
        const { id } = c.req.valid('param');
        return c.json(await listSyncRuns(db, caller.workspaceId, id, c.req.valid('query')), 200);
      },
    );
}
