/** The workspace's scope: what is the company's work (admins declare it, everyone reads it). */
import { createRoute } from '@hono/zod-openapi';
import { ScopeEntries, ScopeEntry, ScopeEntryCreate, ScopeFilters } from '../../lib/shared/contract';
import { requireAdmin } from '../auth';
import type { Deps } from '../deps';
import { declareScope, listScope, removeScope } from '../scope';
import { errorResponses, IdParam, json, jsonBody, router } from './router';

export function scopeRoutes({ db, scope }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/scope',
        summary: 'What the workspace declares its work: organisations, repositories, sites, projects, workspaces',
        description: 'With no entry, every ticket is in scope.',
        request: { query: ScopeFilters },
        responses: { 200: json(ScopeEntries, 'The entries, oldest first'), ...errorResponses },
      }),
      async (c) => c.json(await listScope(db, c.get('caller').workspaceId, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/scope',
        summary: 'Declare a part of the scope (admin), by its fields or by pasting its URL',
        request: jsonBody(ScopeEntryCreate),
        responses: { 201: json(ScopeEntry, 'The entry'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        requireAdmin(caller);
        const entry = await declareScope(db, caller.workspaceId, c.req.valid('json'), caller.userId);
        scope.forget(caller.workspaceId);
        return c.json(entry, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/v1/scope/{id}',
        summary: 'Take a part out of the scope (admin): its tickets leave the figures and are kept',
        request: { params: IdParam },
        responses: { 200: json(ScopeEntry, 'The removed entry'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        requireAdmin(caller);
        const entry = await removeScope(db, caller.workspaceId, c.req.valid('param').id);
        scope.forget(caller.workspaceId);
        return c.json(entry, 200);
      },
    );
}
