import { createRoute } from '@hono/zod-openapi';
import {
  Connection,
  ConnectionCheck,
  ConnectionCreate,
  ConnectionFilters,
  ConnectionMade,
  Connections,
} from '../../lib/shared/contract';
import { requireAdmin } from '../auth';
import { createConnection, listConnections, removeConnection } from '../connections';
import type { Deps } from '../deps';
import { checkConnection } from '../sync';
import { errorResponses, IdParam, json, jsonBody, router } from './router';

export function connectionRoutes({ db, secrets, connectors }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/connections',
        summary: 'The connections to the hosts’ APIs, oldest first; their tokens are never returned (admins only)',
        request: { query: ConnectionFilters },
        responses: { 200: json(Connections, 'A page of connections'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        requireAdmin(caller);
        const query = c.req.valid('query');
        return c.json(await listConnections(db, caller.workspaceId, query), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/connections',
        summary: 'Connect a host’s API with a token, which is stored sealed and never returned (admins only)',
        request: jsonBody(ConnectionCreate),
        responses: {
          201: json(ConnectionMade, 'The connection, with the secret its webhooks are signed with (shown this once)'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const caller = c.get('caller');
        requireAdmin(caller);
        const input = c.req.valid('json');
        return c.json(await createConnection(db, secrets, caller.workspaceId, input, caller.userId), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/connections/{id}/check',
        summary:
          'Ask the host whether the connection’s token works and reads each part of the scope it would sync; problems in words (admins only)',
        request: { params: IdParam },
        responses: { 200: json(ConnectionCheck, 'What the host said'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        requireAdmin(caller);
        const { id } = c.req.valid('param');
        return c.json(await checkConnection(db, secrets, connectors, caller.workspaceId, id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/v1/connections/{id}',
        summary: 'Remove a connection and its token (admins only)',
        request: { params: IdParam },
        responses: { 200: json(Connection, 'The removed connection'), ...errorResponses },
      }),
      async (c) => {
        const caller = c.get('caller');
        requireAdmin(caller);
        return c.json(await removeConnection(db, caller.workspaceId, c.req.valid('param').id), 200);
      },
    );
}
