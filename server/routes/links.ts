import { createHash } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import { and, eq, isNotNull, isNull, type SQL } from 'drizzle-orm';
import { staleReason } from '../../lib/server/metrics';
import { IdempotencyKeyHeader, Link, LinkCreate, LinkFilters, Links } from '../../lib/shared/contract';
import type { Db } from '../db';
import { links, workItems } from '../db/schema';
import type { Deps } from '../deps';
import { ApiError, notFound, unprocessable } from '../errors';
import { createLink } from '../link-writes';
import { afterCursor, orderOf, pageOf } from '../paging';
import { LINK_ORDER, linksQuery, ticketRef, toLink } from '../queries';
import { asksPlace, assertInScope } from '../scope';
import { errorResponses, IdParam, json, jsonBody, router } from './router';

async function projectOf(db: Db, workItemId: string): Promise<string | null> {
  const [row] = await db.select({ project: workItems.project }).from(workItems).where(eq(workItems.id, workItemId));
  return row?.project ?? null;
}

async function findLink(db: Db, workspaceId: string, where: SQL) {
  const [row] = await linksQuery(db).where(and(eq(links.workspaceId, workspaceId), where));
  return row ? toLink(row) : null;
}

type LinkPayload = { ref: string; objectiveId: string; keyResultId: string | null; weight: number | null };

/**
 * What an Idempotency-Key stands for: the request it first came with. Kept with the link (a hash of
 * the payload, not the link's own columns: a key first used on a link that already existed stands
 * for its request, whose weight or key result may differ from the link's).
 */
function fingerprintOf(payload: LinkPayload): string {
  const canonical = [
    payload.ref,
    payload.objectiveId.toLowerCase(),
    payload.keyResultId?.toLowerCase() ?? null,
    payload.weight,
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

const keyReused = () =>
  new ApiError(
    'unprocessable',
    'This Idempotency-Key was already used with another request (ticket, objective, key result or weight); use a new key for a new request',
    [{ path: 'header.idempotency-key', message: 'already used with a different payload' }],
  );

export function linkRoutes({ db, now, catalog, contexts, scope }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/links',
        summary: 'Link a ticket to an objective (idempotent)',
        description:
          'Linking a ticket that already has a live link to the objective answers 200 with that link. ' +
          'With an Idempotency-Key header, a retry answers with the link the first request made; the same key ' +
          'with another payload (ticket, objective, key result or weight) is refused with 422.',
        request: { headers: IdempotencyKeyHeader, ...jsonBody(LinkCreate) },
        responses: {
          200: json(Link, 'The link already existed'),
          201: json(Link, 'The link was made'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const caller = c.get('caller');
        const { workspaceId } = caller;
        const input = c.req.valid('json');
        const idempotencyKey = c.req.valid('header')['idempotency-key'] ?? null;

        const payload: LinkPayload = {
          ref: input.ref,
          objectiveId: input.objectiveId,
          keyResultId: input.keyResultId ?? null,
          weight: input.weight ?? null,
        };
        const fingerprint = idempotencyKey ? fingerprintOf(payload) : null;
        // The link this key already answers for, if any; a reuse with another payload is refused with
        // 422, as the IETF Idempotency-Key draft has it, and an identical retry replays the first answer.
        const replay = async () => {
          if (!idempotencyKey) return null;
          const [row] = await linksQuery(db).where(
            and(eq(links.workspaceId, workspaceId), eq(links.idempotencyKey, idempotencyKey)),
          );
          if (!row) return null;
          const stored =
            row.link.idempotencyFingerprint ??
            fingerprintOf({
              ref: row.ref,
              objectiveId: row.link.objectiveId,
              keyResultId: row.link.keyResultId,
              weight: row.link.weight,
            });
          if (stored !== fingerprint) throw keyReused();
          return toLink(row);
        };
        const previous = await replay();
        if (previous) return c.json(previous, 200);

        const entries = await scope.get(workspaceId);
        const ref = ticketRef(input.ref);
        const place = asksPlace(entries, ref) ? await contexts.place(workspaceId, input.ref) : undefined;
        assertInScope(entries, ref, 'body.ref', place);
        const at = now();
        const entry = await catalog.find(workspaceId, input.objectiveId);
        if (!entry) throw unprocessable('body.objectiveId', 'no such objective in this workspace');
        const stale = staleReason(entry.metric, at.getTime());
        if (stale === 'objective_closed' || stale === 'objective_dropped' || stale === 'past_period') {
          throw unprocessable(
            'body.objectiveId',
            `the objective is not open (${stale.replace('_', ' ')}); link an open one`,
          );
        }
        if (input.keyResultId && !entry.objective.keyResults.some((kr) => kr.id === input.keyResultId)) {
          throw unprocessable('body.keyResultId', 'is not a key result of that objective');
        }

        const { workItemId, link: created } = await createLink(db, contexts, {
          workspaceId,
          ref: input.ref,
          objectiveId: entry.objective.id,
          keyResultId: input.keyResultId ?? null,
          weight: input.weight ?? null,
          idempotencyKey,
          idempotencyFingerprint: fingerprint,
          createdById: caller.userId,
          at,
        });
        if (created) {
          return c.json(
            toLink({
              link: created,
              ref: input.ref,
              createdBy: { id: caller.userId, name: caller.name },
              endedBy: null,
            }),
            201,
          );
        }

        const raced = await replay();
        if (raced) return c.json(raced, 200);
        const live = await findLink(
          db,
          workspaceId,
          and(
            eq(links.workItemId, workItemId),
            eq(links.objectiveId, entry.objective.id),
            isNull(links.endedAt),
          ) as SQL,
        );
        if (!live) throw new ApiError('conflict', 'The link changed while it was being made; try again');
        if (idempotencyKey) {
          // The link existed already: it answers for this key (and this request) from now on, so a
          // retry after someone ends it replays this answer instead of linking again.
          const attached = await db
            .update(links)
            .set({ idempotencyKey, idempotencyFingerprint: fingerprint })
            .where(and(eq(links.id, live.id), isNull(links.idempotencyKey)))
            .returning({ id: links.id })
            .catch(() => []);
          // Not attached: the link has a key of its own, or this key went to another request meanwhile.
          if (attached.length === 0) {
            const keyed = await replay();
            if (keyed) return c.json(keyed, 200);
          }
        }
        return c.json(live, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/links',
        summary: 'Links of a ticket or an objective, live, ended or all (history is kept)',
        request: { query: LinkFilters },
        responses: { 200: json(Links, 'Links, oldest first'), ...errorResponses },
      }),
      async (c) => {
        const { workspaceId } = c.get('caller');
        const filters = c.req.valid('query');
        const rows = await linksQuery(db)
          .where(
            and(
              eq(links.workspaceId, workspaceId),
              filters.ref ? eq(workItems.ref, filters.ref) : undefined,
              filters.objectiveId ? eq(links.objectiveId, filters.objectiveId) : undefined,
              filters.state === 'live' ? isNull(links.endedAt) : undefined,
              filters.state === 'ended' ? isNotNull(links.endedAt) : undefined,
              afterCursor(LINK_ORDER, filters.cursor),
            ),
          )
          .orderBy(...orderOf(LINK_ORDER))
          .limit(filters.limit + 1);
        const { page, nextCursor } = pageOf(rows, filters.limit);
        return c.json({ links: page.map(toLink), nextCursor }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/v1/links/{id}',
        summary: 'End a link; it stays in the history. Ending an ended link changes nothing',
        request: { params: IdParam },
        responses: { 200: json(Link, 'The ended link'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        const { id } = c.req.valid('param');
        const [ended] = await db
          .update(links)
          .set({ endedAt: now(), endedById: caller.userId })
          .where(and(eq(links.id, id), eq(links.workspaceId, caller.workspaceId), isNull(links.endedAt)))
          .returning({ workItemId: links.workItemId });
        const link = await findLink(db, caller.workspaceId, eq(links.id, id));
        if (!link) throw notFound(`Link ${id}`);
        if (ended) await contexts.linkEnded(caller.workspaceId, link.ref, await projectOf(db, ended.workItemId));
        return c.json(link, 200);
      },
    );
}
