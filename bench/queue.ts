/**
 * The two PostgreSQL job queues the sync could run on, side by side in one run on the embedded
 * PostgreSQL: pg-boss and graphile-worker (what server/sync-jobs.ts uses). For each: how fast it
 * takes 500 jobs in and works them off (4 at a time), how long a job waits from sent to started,
 * and the rule the sync needs: one job per connection at a time, and a burst of requests for a
 * connection that is busy collapsing into one waiting job.
 *
 *   npm run bench:queue
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger, makeWorkerUtils, run } from 'graphile-worker';
import type pg from 'pg';
import { PgBoss } from 'pg-boss';
import { openDatabase } from '../server/db';
import { median } from './median';

const JOBS = 500;
const CONCURRENCY = 4;
const KEYS = 20;
const BURST = 10;

interface Result {
  name: string;
  sendPerSecond: number;
  workPerSecond: number;
  waitMedianMs: number;
  /** The most jobs of one key seen running at once. */
  mostAtOnceForAKey: number;
  /** Jobs waiting for a busy key after a burst of BURST requests for it. */
  waitingAfterBurst: number;
}

const quiet = new Logger(() => () => {});

/** Tracks jobs running per key, to show whether the queue ever ran two of one key at once. */
function keyWatch() {
  const running = new Map<string, number>();
  let most = 0;
  return {
    async around(key: string, work: () => Promise<void>) {
      running.set(key, (running.get(key) ?? 0) + 1);
      most = Math.max(most, running.get(key) ?? 0);
      try {
        await work();
      } finally {
        running.set(key, (running.get(key) ?? 1) - 1);
      }
    },
    most: () => most,
  };
}

const until = async (done: () => boolean | Promise<boolean>) => {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 20));
};
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function pgBoss(url: string, db: pg.Pool): Promise<Result> {
  // Its defaults, polling: its LISTEN/NOTIFY option (useListenNotify with notify queues) left the
  // workers waiting on this machine, so the measure is of what works.
  const boss = new PgBoss({ connectionString: url, max: CONCURRENCY + 2, schedule: false });
  boss.on('error', () => {});
  await boss.start();
  await boss.createQueue('bench', { policy: 'standard' });
  await boss.createQueue('bench-keyed', { policy: 'stately' });
  const waits: number[] = [];
  let done = 0;
  const sendStart = performance.now();
  for (let i = 0; i < JOBS; i += 100) {
    await boss.insert(
      'bench',
      Array.from({ length: Math.min(100, JOBS - i) }, () => ({ data: { sentAt: Date.now() } })),
    );
  }
  const sendMs = performance.now() - sendStart;
  const workStart = performance.now();
  await boss.work<{ sentAt: number }>(
    'bench',
    { batchSize: 1, localConcurrency: CONCURRENCY, pollingIntervalSeconds: 0.5 },
    async ([job]) => {
      if (job) waits.push(Date.now() - job.data.sentAt);
      done += 1;
    },
  );
  await until(() => done >= JOBS);
  const workMs = performance.now() - workStart;

  const watch = keyWatch();
  let keyedDone = 0;
  await boss.work<{ key: string }>(
    'bench-keyed',
    { batchSize: 1, localConcurrency: CONCURRENCY, pollingIntervalSeconds: 0.5 },
    async ([job]) => {
      if (job) await watch.around(job.data.key, () => pause(5));
      keyedDone += 1;
    },
  );
  let accepted = 0;
  for (let round = 0; round < 5; round++) {
    for (let k = 0; k < KEYS; k++) {
      if (await boss.send('bench-keyed', { key: `k${k}` }, { singletonKey: `k${k}` })) accepted += 1;
    }
  }
  await until(() => keyedDone >= accepted);
  // A burst for one key while a job of it runs: one runs, one waits, the rest collapse into it.
  let releaseBusy = () => {};
  await boss.createQueue('bench-burst', { policy: 'stately' });
  await boss.work(
    'bench-burst',
    { batchSize: 1, pollingIntervalSeconds: 0.5 },
    () =>
      new Promise<void>((resolve) => {
        releaseBusy = resolve;
      }),
  );
  await boss.send('bench-burst', {}, { singletonKey: 'busy' });
  const countOf = async (state: string) =>
    Number(
      (
        await db.query<{ n: string }>(
          "select count(*) as n from pgboss.job where name = 'bench-burst' and state = $1",
          [state],
        )
      ).rows[0]?.n,
    );
  await until(async () => (await countOf('active')) > 0);
  for (let i = 0; i < BURST; i++) await boss.send('bench-burst', {}, { singletonKey: 'busy' });
  const waiting = await countOf('created');
  releaseBusy();
  await boss.stop({ graceful: false, timeout: 1_000 });
  return {
    name: 'pg-boss',
    sendPerSecond: JOBS / (sendMs / 1000),
    workPerSecond: JOBS / (workMs / 1000),
    waitMedianMs: median(waits),
    mostAtOnceForAKey: watch.most(),
    waitingAfterBurst: waiting,
  };
}

async function graphileWorker(url: string): Promise<Result> {
  const utils = await makeWorkerUtils({ connectionString: url, logger: quiet });
  await utils.migrate();
  const waits: number[] = [];
  let done = 0;
  const watch = keyWatch();
  let releaseBusy = () => {};
  const sendStart = performance.now();
  for (let i = 0; i < JOBS; i += 100) {
    await utils.addJobs(
      Array.from({ length: Math.min(100, JOBS - i) }, () => ({ identifier: 'bench', payload: { sentAt: Date.now() } })),
    );
  }
  const sendMs = performance.now() - sendStart;
  const workStart = performance.now();
  const runner = await run({
    connectionString: url,
    concurrency: CONCURRENCY,
    noHandleSignals: true,
    pollInterval: 500,
    logger: quiet,
    taskList: {
      bench: async (payload) => {
        waits.push(Date.now() - (payload as { sentAt: number }).sentAt);
        done += 1;
      },
      keyed: async (payload) => {
        await watch.around((payload as { key: string }).key, () => pause(5));
      },
      busy: () =>
        new Promise<void>((resolve) => {
          releaseBusy = resolve;
        }),
    },
  });
  await until(() => done >= JOBS);
  const workMs = performance.now() - workStart;
  // Per key: a queue name runs its jobs one at a time; a job key keeps one waiting job per key.
  for (let round = 0; round < 5; round++) {
    for (let k = 0; k < KEYS; k++) {
      await utils.addJob('keyed', { key: `k${k}` }, { queueName: `k${k}`, jobKey: `k${k}` });
    }
  }
  await until(async () => {
    const { rows } = await utils.withPgClient((client) =>
      client.query<{ n: string }>("select count(*) as n from graphile_worker.jobs where task_identifier = 'keyed'"),
    );
    return Number(rows[0]?.n) === 0;
  });
  await utils.addJob('busy', {}, { queueName: 'busy', jobKey: 'busy' });
  await until(async () => {
    const { rows } = await utils.withPgClient((client) =>
      client.query<{ n: string }>(
        "select count(*) as n from graphile_worker.jobs where task_identifier = 'busy' and locked_at is not null",
      ),
    );
    return Number(rows[0]?.n) > 0;
  });
  for (let i = 0; i < BURST; i++) await utils.addJob('busy', {}, { queueName: 'busy', jobKey: 'busy' });
  const { rows } = await utils.withPgClient((client) =>
    client.query<{ n: string }>(
      "select count(*) as n from graphile_worker.jobs where task_identifier = 'busy' and locked_at is null",
    ),
  );
  releaseBusy();
  await runner.stop();
  await utils.release();
  return {
    name: 'graphile-worker',
    sendPerSecond: JOBS / (sendMs / 1000),
    workPerSecond: JOBS / (workMs / 1000),
    waitMedianMs: median(waits),
    mostAtOnceForAKey: watch.most(),
    waitingAfterBurst: Number(rows[0]?.n),
  };
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'throughline-bench-queue-'));
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir, poolSize: 2 });
  try {
    const results = [await pgBoss(database.url, database.pool), await graphileWorker(database.url)];
    const n = (value: number) => Math.round(value).toLocaleString('en');
    console.log(
      `Job queues on the ${database.kind} PostgreSQL, one run: ${JOBS.toLocaleString('en')} jobs, ${CONCURRENCY} at a time`,
    );
    console.log(
      'queue           | sent /s | worked /s | wait (median) | most at once for one key | waiting after a burst of 10 for a busy key',
    );
    for (const r of results) {
      console.log(
        `${r.name.padEnd(15)} | ${n(r.sendPerSecond).padStart(7)} | ${n(r.workPerSecond).padStart(9)} | ${n(r.waitMedianMs).padStart(10)} ms | ${String(r.mostAtOnceForAKey).padStart(24)} | ${r.waitingAfterBurst}`,
      );
    }
    console.log(
      'The sync needs 1 at once per connection and 1 waiting after a burst; a sync takes seconds to minutes, so either rate is far beyond its need.',
    );
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
