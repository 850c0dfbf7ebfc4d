import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { ErrorBody } from '../../lib/shared/contract';
import type { Deps } from '../deps';
import { receiveWebhook, type WebhookDelivery } from '../webhooks';
import { json, router } from './router';

const WebhookAnswer = z.object({
  /** How many syncs the delivery queued. */
  queued: z.number().int(),
  /** This delivery was taken before: nothing queued again. */
  replay: z.literal(true).optional(),
  /** Why a verified delivery asked for nothing. */
  ignored: z.string().optional(),
});

// Any text: an id that is not a connection's answers 404 like an unknown one, in no more words.
const ConnectionParam = z.object({ connectionId: z.string() });
const NamedHookParams = ConnectionParam.extend({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, - or _'),
});

const error = (description: string) => json(ErrorBody, description);
const answers = {
  200: json(WebhookAnswer, 'A ping, a heartbeat, a handshake (`X-Hook-Secret` echoed), or a replay (`replay`)'),
  202: json(WebhookAnswer, 'Verified: its syncs queued, or nothing to sync (`ignored`)'),
  400: error('The body is not JSON, or not the event it says'),
  401: error('No signature, or one that does not match the body and the hook’s secret'),
  404: error('No such hook'),
  409: error('A handshake for a hook that has its secret already'),
  413: error('The body is too large'),
  503: error('This process runs no syncs'),
} as const;

const summary = (host: string) =>
  `A webhook delivery from ${host}: verified by its signature, refused when replayed, and queued as a sync of the tickets it names (no bearer token)`;

/**
 * The hosts' webhooks, outside `/v1`: they carry no bearer token, only the signature of their
 * secret, so they are mounted before the token check takes `/v1`. Left out of /openapi.json
 * (`hide`), which describes the API its clients call with a token; the hosts call these.
 */
export function webhookRoutes(deps: Deps) {
  const delivery = (
    params: { connectionId: string; name?: string },
    req: { header(name: string): string | undefined },
    body: ArrayBuffer,
  ): WebhookDelivery => ({
    connectionId: params.connectionId,
    name: params.name ?? null,
    header: (name) => req.header(name),
    body: Buffer.from(body),
  });
  return router()
    .openapi(
      createRoute({
        method: 'post',
        path: '/hooks/{connectionId}',
        summary: summary('GitHub (X-Hub-Signature-256) or Jira (X-Hub-Signature)'),
        hide: true,
        request: { params: ConnectionParam },
        responses: answers,
      }),
      async (c) => {
        const answer = await receiveWebhook(deps, delivery(c.req.valid('param'), c.req, await c.req.arrayBuffer()));
        return c.json(answer.body, answer.status);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/hooks/{connectionId}/{name}',
        summary: summary('Asana (X-Hook-Signature; its handshake brings X-Hook-Secret, kept under the name)'),
        hide: true,
        request: { params: NamedHookParams },
        responses: answers,
      }),
      async (c) => {
        const answer = await receiveWebhook(deps, delivery(c.req.valid('param'), c.req, await c.req.arrayBuffer()));
        if (answer.hookSecret !== undefined) c.header('X-Hook-Secret', answer.hookSecret);
        return c.json(answer.body, answer.status);
      },
    );
}
