import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { rateLimiter } from 'hono-rate-limiter';
import { ServiceHealth } from '../lib/shared/contract';
import { type AppEnv, requireAuth, TokenAuthenticator } from './auth';
import { ObjectiveCatalog } from './catalog';
import { ChangeFeed } from './changes';
import { CONNECTORS } from './connectors';
import type { DatabaseKind, Db } from './db';
import type { Deps } from './deps';
import { ApiError, errorBody, handleError, validationFailed } from './errors';
import { connectionRoutes } from './routes/connections';
import { coverageRoutes } from './routes/coverage';
import { decisionRoutes } from './routes/decisions';
import { hostSelectorRoutes } from './routes/host-selectors';
import { keyResultRoutes } from './routes/key-results';
import { linkExceptionRoutes } from './routes/link-exceptions';
import { linkRoutes } from './routes/links';
import { meRoutes } from './routes/me';
import { myCoverageRoutes } from './routes/my-coverage';
import { objectiveFileRoutes } from './routes/objective-files';
import { objectiveRoutes } from './routes/objectives';
import { periodRoutes } from './routes/periods';
import { reviewRoutes } from './routes/review';
import { heldReviewRoutes } from './routes/reviews';
import { scopeRoutes } from './routes/scope';
import { statusUpdateRoutes } from './routes/status-updates';
import { syncRoutes } from './routes/syncs';
import { teamRoutes } from './routes/teams';
import { tokenRoutes } from './routes/tokens';
import { userRoutes } from './routes/users';
import { webhookRoutes } from './routes/webhooks';
import { workItemRoutes } from './routes/work-items';
import { workspaceRoutes } from './routes/workspace';
import { ScopeCatalog } from './scope';
import type { SecretBox } from './secrets';
import { TicketContexts } from './ticket-context';

export interface RateLimits {
  /** Requests per token per minute. */
  perMinute: number;
  /** Token and user creations per token per minute. */
  credentialsPerMinute: number;
}

export interface AppOptions {
  db: Db;
  /** Change notices from other processes; without a started feed nothing is cached. */
  feed?: ChangeFeed;
  databaseKind: DatabaseKind;
  rateLimits?: RateLimits | false;
  maxBodyBytes?: number;
  now?: () => Date;
  log?: (line: string) => void;
  /** The server's key for the hosts' tokens (SecretBox.forServer). */
  secrets: SecretBox;
  /** The hosts' connectors; the real ones unless a test points them elsewhere. */
  connectors?: Deps['connectors'];
  /** The sync queue (server/sync-jobs.ts); without it a sync asked for through the API is refused. */
  syncJobs?: Deps['syncJobs'];
}

export const defaultRateLimits: RateLimits = { perMinute: 1200, credentialsPerMinute: 20 };

export function createApp(options: AppOptions) {
  const log = options.log ?? ((line: string) => console.error(line));
  const feed = options.feed ?? new ChangeFeed();
  const catalog = new ObjectiveCatalog(options.db, feed);
  const scope = new ScopeCatalog(options.db, feed);
  const deps: Deps = {
    db: options.db,
    auth: new TokenAuthenticator(options.db, feed),
    catalog,
    scope,
    contexts: new TicketContexts(options.db, feed, catalog, scope),
    secrets: options.secrets,
    connectors: options.connectors ?? CONNECTORS,
    syncJobs: options.syncJobs ?? null,
    now: options.now ?? (() => new Date()),
    log,
  };

  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return validationFailed(result.target, result.error, c);
    },
  });
  app.onError((error, c) => handleError(error, c, log));
  app.notFound((c) => c.json(errorBody('not_found', `No route ${c.req.method} ${c.req.path}`), 404));

  app.get('/healthz', async (c) => {
    await options.db.execute('select 1');
    return c.json(ServiceHealth.parse({ ok: true, database: options.databaseKind }));
  });

  const limitBody = bodyLimit({
    maxSize: options.maxBodyBytes ?? 2 * 1024 * 1024 + 64 * 1024,
    onError: (c) => c.json(errorBody('payload_too_large', 'Request body too large'), 413),
  });
  // Only where a body is expected: touching the body of a GET makes the Node adapter build a full
  // Request, a fifth of the cost of the hottest read.
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) app.on(method, '/v1/*', limitBody);
  // The hosts' webhooks carry a signature, not a bearer token: outside `/v1` and its auth.
  app.on('POST', '/hooks/*', limitBody);
  app.route('/', webhookRoutes(deps));
  app.use('/v1/*', requireAuth(deps.auth));

  const limits = options.rateLimits === undefined ? defaultRateLimits : options.rateLimits;
  if (limits) {
    const limited = (limit: number, prefix: string) =>
      rateLimiter<AppEnv>({
        windowMs: 60_000,
        limit,
        standardHeaders: 'draft-6',
        keyGenerator: (c) => `${prefix}:${c.get('caller').tokenId}`,
        handler: () => {
          throw new ApiError(
            'rate_limited',
            `Too many requests: at most ${limit} a minute; retry after the time in Retry-After`,
          );
        },
      });
    const credentials = limited(limits.credentialsPerMinute, 'credentials');
    for (const path of ['/v1/tokens', '/v1/users']) {
      app.on('POST', path, credentials);
    }
    app.use('/v1/*', limited(limits.perMinute, 'all'));
  }

  // One router per resource. The file routes go before the objectives': `/v1/objectives/export`
  // must not be taken for an objective's id.
  for (const routes of [
    meRoutes,
    workspaceRoutes,
    scopeRoutes,
    connectionRoutes,
    syncRoutes,
    teamRoutes,
    userRoutes,
    tokenRoutes,
    periodRoutes,
    objectiveFileRoutes,
    objectiveRoutes,
    keyResultRoutes,
    statusUpdateRoutes,
    workItemRoutes,
    linkRoutes,
    linkExceptionRoutes,
    coverageRoutes,
    myCoverageRoutes,
    reviewRoutes,
    heldReviewRoutes,
    decisionRoutes,
    hostSelectorRoutes,
  ]) {
    app.route('/', routes(deps));
  }

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A Throughline API token (tl_...)',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Throughline goals API',
      version: '1.0.0',
      description: 'Objectives, key results, and the links between tickets and the goals they serve.',
    },
    security: [{ bearer: [] }],
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
