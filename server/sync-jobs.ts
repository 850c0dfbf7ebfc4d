/**
 * Syncs as jobs on pg-boss, a PostgreSQL job queue, so that every API process on one database
 * shares them: scheduled (an incremental sync of every connection every few minutes, a full one
 * each night), retried with backoff when a host fails, and one per connection at a time (the
 * queue's `stately` policy keyed by connection: one running and one waiting; the sync's own
 * advisory lock holds across queues). pg-boss over graphile-worker: it runs on the pool URL the API
 * already has with no separate runner, and its per-key policies are exactly this rule
 * (bench/queue.ts measures both).
 */
import { PgBoss } from 'pg-boss';
import { connections } from './db/schema';
import { runSync, type SyncDeps, type SyncMode } from './sync';

/** Whole syncs of a connection: scheduled, or asked for through the API or the CLI. */
const SYNC_QUEUE = 'throughline-sync';
/** Tickets a webhook named: never dropped while a sync runs, run after it. */
const TICKETS_QUEUE = 'throughline-sync-tickets';
/** The schedule's ticks, which enqueue a sync of every connection. */
const TICK_QUEUE = 'throughline-sync-tick';

export interface SyncJob {
  workspaceId: string;
  connectionId: string;
  mode: SyncMode;
  refs?: string[];
}

export interface SyncJobOptions {
  /** Whether this process runs jobs (an API process) or only enqueues them (the CLI). */
  work: boolean;
  /** Minutes between incremental syncs of every connection; 0 schedules none. */
  everyMinutes: number;
  log: (line: string) => void;
}

export class SyncJobs {
  private constructor(private boss: PgBoss) {}

  static async start(databaseUrl: string, deps: SyncDeps, options: SyncJobOptions): Promise<SyncJobs> {
    const boss = new PgBoss({
      connectionString: databaseUrl,
      max: 3,
      application_name: 'throughline-sync-jobs',
      // Only API processes keep the schedule and tidy the queue; the CLI just enqueues.
      schedule: options.work,
      supervise: options.work,
    });
    boss.on('error', (error) => options.log(`sync jobs: ${error.message}`));
    await boss.start();
    const retried = { retryLimit: 5, retryDelay: 30, retryBackoff: true, retryDelayMax: 3_600 };
    // A full sync of a large site takes long; a process that died mid-job gives it back after this.
    const expireInSeconds = 3 * 3_600;
    await boss.createQueue(SYNC_QUEUE, { policy: 'stately', expireInSeconds, ...retried });
    await boss.createQueue(TICKETS_QUEUE, { policy: 'singleton', expireInSeconds: 600, ...retried });
    await boss.createQueue(TICK_QUEUE, { policy: 'stately', retryLimit: 0 });
    const jobs = new SyncJobs(boss);
    if (options.work) {
      const run = async ([job]: { data: SyncJob; signal: AbortSignal }[]) => {
        if (!job) return;
        const result = await runSync(deps, { ...job.data, signal: job.signal });
        // Thrown, the job is retried with backoff; the run keeps the reason for people.
        if (result.status === 'failed') throw new Error(result.error ?? 'the sync failed');
        return { runId: result.id };
      };
      await boss.work<SyncJob>(SYNC_QUEUE, run);
      await boss.work<SyncJob>(TICKETS_QUEUE, run);
      await boss.work<{ mode: SyncMode }>(TICK_QUEUE, async ([tick]) => {
        const all = await deps.database.db
          .select({ id: connections.id, workspaceId: connections.workspaceId })
          .from(connections);
        for (const c of all) {
          await jobs.enqueue({
            workspaceId: c.workspaceId,
            connectionId: c.id,
            mode: tick?.data.mode ?? 'incremental',
          });
        }
      });
      if (options.everyMinutes > 0) {
        await boss.schedule(
          TICK_QUEUE,
          `*/${options.everyMinutes} * * * *`,
          { mode: 'incremental' },
          { key: 'incremental' },
        );
        await boss.schedule(TICK_QUEUE, '30 3 * * *', { mode: 'full' }, { key: 'full' });
      } else {
        await boss.unschedule(TICK_QUEUE, 'incremental');
      }
    }
    return jobs;
  }

  /**
   * Queues a sync; null when the connection already has one waiting (the waiting one covers this
   * request). A webhook's tickets always queue.
   */
  enqueue(job: SyncJob): Promise<string | null> {
    const queue = job.mode === 'tickets' ? TICKETS_QUEUE : SYNC_QUEUE;
    return this.boss.send(queue, job, { singletonKey: job.connectionId });
  }

  stop(): Promise<void> {
    return this.boss.stop({ graceful: true, timeout: 10_000 });
  }
}
