/** What the popup shows: the caller’s own coverage against their team’s. */
import { createRoute } from '@hono/zod-openapi';
import { allocation, isObjectiveCurrent, unlinkedItems } from '../../lib/server/metrics';
import { MyCoverage, MyCoverageQuery, type Objective } from '../../lib/shared/contract';
import type { Deps } from '../deps';
import { resolveScope } from '../metric-data';
import { summarize } from '../queries';
import { coverageOf, staleLinkRows, unlinkedRows } from '../reads/figures';
import { loadMe } from '../reads/me';
import { errorResponses, json, router } from './router';

export function myCoverageRoutes({ db, now }: Deps) {
  return router().openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/coverage',
      summary: 'The caller’s coverage this week against their team’s, their unlinked tickets and stale links',
      description:
        'What the popup shows. The caller’s tickets are those assigned to them on each host, matched by the ' +
        'identities of `/v1/me`.',
      request: { query: MyCoverageQuery },
      responses: { 200: json(MyCoverage, 'The caller’s coverage'), ...errorResponses },
    }),
    async (c) => {
      const caller = c.get('caller');
      const query = c.req.valid('query');
      const at = now();
      const me = await loadMe(db, caller);
      const scope = await resolveScope(db, caller.workspaceId, caller.userId, { person: 'me' });
      const mine = await coverageOf(db, caller.workspaceId, scope, 7, query.weeks, at);
      const teamScope = me.user.team
        ? await resolveScope(db, caller.workspaceId, caller.userId, { team: me.user.team.id })
        : null;
      const team = teamScope ? await coverageOf(db, caller.workspaceId, teamScope, 7, query.weeks, at) : null;
      const unlinked = unlinkedItems(mine.index, mine.window);
      const current = mine.data.objectives.filter((o) => isObjectiveCurrent(o, mine.window.to));
      const served = allocation(mine.index, current, mine.window).rows.filter((r) => r.linkedEffort > 0);
      const { totalEffort } = mine.figure;
      return c.json(
        {
          person: me.user,
          coverage: mine.figure,
          team: team?.figure ?? null,
          ...(await unlinkedRows(db, caller.workspaceId, unlinked, query)),
          unlinkedCount: unlinked.length,
          staleLinks: await staleLinkRows(db, caller.workspaceId, mine.data, mine.window.to, () => true),
          objectives: served
            .sort((a, b) => b.linkedEffort - a.linkedEffort)
            .map((r) => ({
              objective: summarize(mine.data.objectiveRows.get(r.objectiveId) as Objective),
              effort: r.linkedEffort,
              share: totalEffort > 0 ? r.linkedEffort / totalEffort : 0,
            })),
        },
        200,
      );
    },
  );
}
