/** The workspace and its metric thresholds. */
import { createRoute } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { WorkspacePatch, WorkspaceSettings } from '../../lib/shared/contract';
import { requireAdmin } from '../auth';
import { workspaces } from '../db/schema';
import type { Deps } from '../deps';
import { loadSettings } from '../reads/workspace-settings';
import { errorResponses, json, jsonBody, router } from './router';

export function workspaceRoutes({ db }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/workspace',
        summary: 'The workspace and its metric thresholds',
        responses: { 200: json(WorkspaceSettings, 'The workspace'), ...errorResponses },
      }),
      async (c) => c.json(await loadSettings(db, c.get('caller').workspaceId), 200),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/v1/workspace',
        summary: 'Rename the workspace or change its metric thresholds (admin)',
        request: jsonBody(WorkspacePatch),
        responses: { 200: json(WorkspaceSettings, 'The workspace'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        requireAdmin(caller);
        const patch = c.req.valid('json');
        const current = await loadSettings(db, caller.workspaceId);
        await db
          .update(workspaces)
          .set({
            name: patch.name ?? current.workspace.name,
            settings: { ...current.thresholds, ...patch.thresholds },
          })
          .where(eq(workspaces.id, caller.workspaceId));
        return c.json(await loadSettings(db, caller.workspaceId), 200);
      },
    );
}
