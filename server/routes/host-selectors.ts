/** Host fixes as data: the CSS selectors the workspace published for the extension's host adapters. */
import { createRoute } from '@hono/zod-openapi';
import { HostSelectorOverrides, HostSelectors } from '../../lib/hosts/pages/overrides';
import { requireAdmin } from '../auth';
import type { Deps } from '../deps';
import { publishHostSelectors, readHostSelectors } from '../host-selectors';
import { errorResponses, json, jsonBody, router } from './router';

export function hostSelectorRoutes({ db, now }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/host-selectors',
        summary:
          'The selectors the workspace published for the host adapters (GitHub, Jira, Asana), tried before their built-in ones',
        responses: {
          200: json(HostSelectors, 'The published selectors; an empty document when none'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await readHostSelectors(db, c.get('caller').workspaceId), 200),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/v1/host-selectors',
        summary:
          'Publish the workspace’s host selectors (admin): replaces them all; `{}` withdraws them. CSS selectors only, each checked',
        request: jsonBody(HostSelectorOverrides),
        responses: { 200: json(HostSelectors, 'The published selectors'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        requireAdmin(caller);
        const selectors = c.req.valid('json');
        return c.json(await publishHostSelectors(db, caller.workspaceId, selectors, caller.userId, now()), 200);
      },
    );
}
