/**
 * Syncs as jobs on graphile-worker, a PostgreSQL job queue, so that every API process on one
 * database shares them: scheduled by its crontab (an incremental sync of every connection every
 * few minutes, a full one each night), retried with exponential backoff when a host fails, and run
 * one at a time per connection across all processes (a queue per connection). A whole sync asked
 * for while one waits is that waiting one (a job key); the tickets a webhook names always queue.
 *
 * graphile-worker over pg-boss, measured by bench/queue.ts in one run: it wakes workers by
 * LISTEN/NOTIFY and worked 500 jobs at ~1,000 a second with a median wait of ~0.3 s where pg-boss,
 * polling, worked 8 a second with a median wait of ~31 s; both keep one job per key at once and
 * one waiting after a burst. A webhook's sync is waited for by a person: that latency decides.
 */
import {
  Logger,
  type LogLevel,
  makeWorkerUtils,
  parseCronItems,
  type Runner,
  run,
  type WorkerUtils,
} from 'graphile-worker';
import pg from 'pg';
import { connections } from './db/schema';
import { runSync, type SyncDeps, type SyncMode } from './sync';

const SYNC_TASK = 'throughline_sync';
/** The schedule's tick, which queues a sync of every connection. */
const TICK_TASK = 'throughline_sync_tick';
/** PostgreSQL's words (57P01) for the connections it ends as it shuts down. */
const SHUTTING_DOWN = 'terminating connection due to administrator command';
/** How long a graceful stop may take before the worker is stopped forcefully. */
const STOP_GRACE_MS = 5_000;
/** Attempts of a failing sync before it waits for the next schedule (backoff exp(min(10, n)) s). */
const MAX_ATTEMPTS = 6;

export interface SyncJob {
  workspaceId: string;
  connectionId: string;
  mode: SyncMode;
  refs?: string[];
}

export interface SyncJobOptions {
  /** Whether this process runs jobs (an API process) or only queues them (the CLI). */
  work: boolean;
  /** Minutes between incremental syncs of every connection; 0 schedules none. */
  everyMinutes: number;
  log: (line: string) => void;
}

/** Each connection's jobs share a queue, which runs one job at a time. */
const queueOf = (connectionId: string) => `throughline-sync-${connectionId}`;

export class SyncJobs {
  private constructor(
    private pool: pg.Pool,
    private utils: WorkerUtils,
    private runner: Runner | null,
  ) {}

  static async start(databaseUrl: string, deps: SyncDeps, options: SyncJobOptions): Promise<SyncJobs> {
    // Only what needs a person's eye: the worker's own chatter ("looking for jobs") is not news.
    // Only what needs a person's eye: not the worker's chatter ("looking for jobs"), nor the
    // database ending connections as it stops (Ctrl+C stops it beside the API), after which the
    // worker reconnects by itself.
    const logger = new Logger(() => (level: LogLevel, message: string) => {
      if ((level === 'error' || level === 'warning') && !message.includes(SHUTTING_DOWN)) {
        options.log(`sync jobs: ${message}`);
      }
    });
    // A pool of our own with handlers on it and its clients, as graphile-worker asks: a connection
    // the database drops is logged, never thrown from an idle client with nobody listening.
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    const lost = (error: Error) => {
      if (!error.message.includes(SHUTTING_DOWN)) options.log(`sync jobs: database connection lost: ${error.message}`);
    };
    pool.on('error', lost);
    pool.on('connect', (client) => client.on('error', lost));
    const utils = await makeWorkerUtils({ pgPool: pool, logger });
    await utils.migrate();
    const jobs = new SyncJobs(pool, utils, null);
    if (!options.work) return jobs;
    const minutes = options.everyMinutes;
    jobs.runner = await run({
      pgPool: pool,
      concurrency: 2,
      noHandleSignals: true,
      logger,
      taskList: {
        [SYNC_TASK]: async (payload, helpers) => {
          const job = payload as SyncJob;
          const result = await runSync(deps, { ...job, signal: helpers.abortSignal });
          // Thrown, the job is retried with backoff; the run keeps the reason for people.
          if (result.status === 'failed') throw new Error(result.error ?? 'the sync failed');
        },
        [TICK_TASK]: async (payload) => {
          const mode = (payload as { mode?: SyncMode }).mode === 'full' ? 'full' : 'incremental';
          const all = await deps.database.db
            .select({ id: connections.id, workspaceId: connections.workspaceId })
            .from(connections);
          for (const c of all) await jobs.enqueue({ workspaceId: c.workspaceId, connectionId: c.id, mode });
        },
      },
      parsedCronItems: parseCronItems(
        minutes > 0
          ? [
              {
                task: TICK_TASK,
                match: `*/${minutes} * * * *`,
                identifier: 'incremental',
                payload: { mode: 'incremental' },
              },
              { task: TICK_TASK, match: '30 3 * * *', identifier: 'full', payload: { mode: 'full' } },
            ]
          : [],
      ),
    });
    return jobs;
  }

  /**
   * Queues a sync; null when a sync of the same kind already waits for the connection (that one
   * covers this request). A webhook's tickets always queue.
   */
  async enqueue(job: SyncJob): Promise<string | null> {
    const queueName = queueOf(job.connectionId);
    if (job.mode === 'tickets') {
      return (await this.utils.addJob(SYNC_TASK, job, { queueName, maxAttempts: MAX_ATTEMPTS })).id;
    }
    const jobKey = `${queueName}-${job.mode}`;
    // Only a job that waits to run for the first time covers this request. One waiting for a
    // retry, or one that failed for good, is taken up again by the job key, due now, attempts reset.
    const { rows } = await this.utils.withPgClient((client) =>
      client.query('select 1 from graphile_worker.jobs where key = $1 and locked_at is null and attempts = 0', [
        jobKey,
      ]),
    );
    if (rows.length > 0) return null;
    const added = await this.utils.addJob(SYNC_TASK, job, {
      queueName,
      jobKey,
      jobKeyMode: 'replace',
      maxAttempts: MAX_ATTEMPTS,
    });
    return added.id;
  }

  /**
   * Stops gracefully (a running sync is asked to stop between pages), within a bound: a stop
   * asked for while the worker is still starting can wait on it for good. Then forcefully; a
   * sync cut short resumes after its last stored page.
   */
  async stop(): Promise<void> {
    if (this.runner) {
      const runner = this.runner;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stopped = await Promise.race([
        runner.stop().then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), STOP_GRACE_MS);
        }),
      ]);
      clearTimeout(timer);
      if (!stopped) await runner.kill().catch(() => {});
    }
    await this.utils.release();
    await this.pool.end();
  }
}
