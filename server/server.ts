import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { type ServerType, serve } from '@hono/node-server';
import { createApp, defaultRateLimits } from './app';
import { ChangeFeed } from './changes';
import { CONNECTORS } from './connectors';
import { type Database, openDatabase } from './db';
import { answerParseErrors, MAX_HEADER_BYTES, urlTooLong } from './http-limits';
import { SecretBox } from './secrets';
import { SyncJobs } from './sync-jobs';

export interface StartOptions {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** Requests per token per minute; 0 turns rate limiting off. */
  rateLimitPerMinute?: number;
  /** Minutes between scheduled incremental syncs; 0 schedules none. */
  syncEveryMinutes?: number;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  database: Database;
  close(): Promise<void>;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.error(line));
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir, log });
  const perMinute = options.rateLimitPerMinute ?? defaultRateLimits.perMinute;
  const feed = new ChangeFeed();
  const stopListening = await feed.start(database.url, log);
  const secrets = SecretBox.forServer(options.dataDir);
  const syncJobs = await SyncJobs.start(
    database.url,
    { database, secrets, connectors: CONNECTORS },
    { work: true, everyMinutes: options.syncEveryMinutes ?? 5, log },
  );
  const app = createApp({
    feed,
    db: database.db,
    databaseKind: database.kind,
    rateLimits: perMinute > 0 ? { ...defaultRateLimits, perMinute } : false,
    log,
    secrets,
    syncJobs,
  });

  let server: ServerType;
  const port = await new Promise<number>((resolve, reject) => {
    server = serve(
      {
        fetch: (request, env) => urlTooLong(env.incoming as IncomingMessage) ?? app.fetch(request, env),
        port: options.port,
        hostname: options.host,
        serverOptions: { maxHeaderSize: MAX_HEADER_BYTES },
      },
      (info) => resolve(info.port),
    );
    answerParseErrors(server as HttpServer);
    server.once('error', reject);
  }).catch(async (error: NodeJS.ErrnoException) => {
    await syncJobs.stop();
    await stopListening();
    await database.close();
    throw error.code === 'EADDRINUSE'
      ? new Error(`Port ${options.port} is in use; start with --port to choose another`)
      : error;
  });

  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    database,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await syncJobs.stop();
      await stopListening();
      await database.close();
    },
  };
}
