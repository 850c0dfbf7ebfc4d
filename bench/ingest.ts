/**
 * Connector ingest, measured in one run: a full GitHub sync of 10k then 100k issues (Octokit
 * against the GitHub stand-in, `npm run hosts`, in its own process) into the embedded PostgreSQL,
 * against a bare multi-row insert of the same rows into the same table, 100 rows a statement, as
 * the sync's pages are. Then an incremental sync of 100 changed issues at that size: its requests
 * and its database time. And the process's resident memory during each full sync, which must not
 * grow with the inventory (pages are streamed, never held). Aims: full sync >= 0.5x the bare
 * insert; the incremental sync in one round of requests and < 1 s of database time.
 * Memory: the peak resident growth during the sync, and the heap still held after it once
 * collected (node --expose-gc), which is what would grow if the sync held the inventory.
 *
 *   npm run bench:ingest [-- --sizes 10000,100000]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { and, eq } from 'drizzle-orm';
import pg from 'pg';
import { createUser, createWorkspace } from '../server/accounts';
import { createConnection } from '../server/connections';
import { CONNECTORS } from '../server/connectors';
import { type Database, openDatabase } from '../server/db';
import { workItems } from '../server/db/schema';
import { declareScope } from '../server/scope';
import { SecretBox } from '../server/secrets';
import { runSync } from '../server/sync';

const { values: args } = parseArgs({ options: { sizes: { type: 'string', default: '10000,100000' } } });
const sizes = args.sizes.split(',').map(Number);
const TOKEN = 'demo-github-token';
const BATCH = 100;

/** Database time: every query's time from send to answer, summed while `counting`. */
let databaseMs = 0;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function timedQuery(this: pg.Client, ...params: unknown[]) {
  const start = performance.now();
  const result = (originalQuery as (...p: unknown[]) => unknown).apply(this, params);
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    void (result as Promise<unknown>)
      .finally(() => {
        databaseMs += performance.now() - start;
      })
      .catch(() => {});
  }
  return result;
} as typeof pg.Client.prototype.query;

/** Requests to the host: every fetch the connector's client makes. */
let requests = 0;
const originalFetch = globalThis.fetch;
globalThis.fetch = (...params: Parameters<typeof fetch>) => {
  requests += 1;
  return originalFetch(...params);
};

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;
const heapMb = () => process.memoryUsage().heapUsed / 1024 / 1024;

function startHosts(
  issues: number,
): Promise<{ child: ChildProcess; baseUrl: string; send: (line: string, answer: RegExp) => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'testkit/fake-hosts/serve.ts',
      '--github-issues',
      String(issues),
      '--jira-issues',
      '0',
      '--asana-tasks',
      '0',
      '--port',
      '0',
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let output = '';
  const waiters: { answer: RegExp; resolve: () => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of [...waiters]) {
      if (waiter.answer.test(output)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  const send = (line: string, answer: RegExp) =>
    new Promise<void>((resolve) => {
      waiters.push({ answer, resolve });
      child.stdin?.write(`${line}\n`);
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the host stand-ins exited (${code})`)));
    const ready = setInterval(() => {
      const url = /GitHub {2}(http:\/\/\S+)/.exec(output)?.[1];
      if (!url) return;
      clearInterval(ready);
      resolve({ child, baseUrl: url, send });
    }, 50);
  });
}

async function measure(database: Database, size: number) {
  const { db } = database;
  const hosts = await startHosts(size);
  try {
    const workspace = await createWorkspace(db, { name: `Ingest ${size}` });
    const admin = await createUser(db, workspace.id, { name: 'Ada', role: 'admin' });
    await declareScope(
      db,
      workspace.id,
      { source: 'github', host: 'github.com', kind: 'organization', value: 'acme' },
      admin.id,
    );
    const secrets = new SecretBox([Buffer.alloc(32, 3)]);
    const connection = await createConnection(
      db,
      secrets,
      workspace.id,
      { host: 'github', baseUrl: hosts.baseUrl, site: 'github.com', token: TOKEN },
      admin.id,
    );
    const deps = { database, secrets, connectors: CONNECTORS };

    global.gc?.();
    const heapBefore = heapMb();
    const rssBefore = rssMb();
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMb());
    }, 25);
    databaseMs = 0;
    requests = 0;
    const fullStart = performance.now();
    const full = await runSync(deps, { workspaceId: workspace.id, connectionId: connection.id, mode: 'full' });
    const fullMs = performance.now() - fullStart;
    const fullDatabaseMs = databaseMs;
    const fullRequests = requests;
    clearInterval(sampler);
    global.gc?.();
    const heapRetained = heapMb() - heapBefore;
    if (full.status !== 'succeeded' || full.created !== size) {
      throw new Error(`the full sync ${full.status}: ${full.created} created of ${size}; ${full.error ?? ''}`);
    }

    // The same rows, inserted bare into the same table (another workspace), 100 a statement.
    const rows = await db
      .select()
      .from(workItems)
      .where(and(eq(workItems.workspaceId, workspace.id), eq(workItems.kind, 'ticket')));
    const bare = await createWorkspace(db, { name: `Bare ${size}` });
    const copies = rows.map(({ id: _id, ...row }) => ({ ...row, workspaceId: bare.id }));
    const bareStart = performance.now();
    for (let i = 0; i < copies.length; i += BATCH) await db.insert(workItems).values(copies.slice(i, i + BATCH));
    const bareMs = performance.now() - bareStart;

    await hosts.send('github edit 100', /edited 100/);
    databaseMs = 0;
    requests = 0;
    const incrementalStart = performance.now();
    const incremental = await runSync(deps, {
      workspaceId: workspace.id,
      connectionId: connection.id,
      mode: 'incremental',
    });
    const incrementalMs = performance.now() - incrementalStart;
    if (incremental.status !== 'succeeded' || incremental.updated !== 100) {
      throw new Error(
        `the incremental sync ${incremental.status}: ${incremental.updated} updated; ${incremental.error ?? ''}`,
      );
    }
    return {
      size,
      syncRate: size / (fullMs / 1000),
      bareRate: size / (bareMs / 1000),
      fullMs,
      fullDatabaseMs,
      fullRequests,
      rssGrowth: rssPeak - rssBefore,
      heapRetained,
      incrementalMs,
      incrementalDatabaseMs: databaseMs,
      incrementalRequests: requests,
    };
  } finally {
    hosts.child.kill('SIGTERM');
  }
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'throughline-bench-ingest-'));
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir, poolSize: 4 });
  try {
    const results = [];
    for (const size of sizes) results.push(await measure(database, size));
    const n = (value: number, digits = 0) =>
      value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
    console.log(
      `Connector ingest on the ${database.kind} PostgreSQL: a full GitHub sync against a bare multi-row insert of the same rows (100 a statement), one run`,
    );
    console.log(
      'tickets   | full sync /s | bare insert /s | ratio  | requests | db time | RSS peak growth | heap kept | incremental (100 changes): requests, db time, total',
    );
    for (const r of results) {
      console.log(
        `${n(r.size).padStart(9)} | ${n(r.syncRate).padStart(12)} | ${n(r.bareRate).padStart(14)} | ${n(r.syncRate / r.bareRate, 2).padStart(5)}x | ${n(r.fullRequests).padStart(8)} | ${n(r.fullDatabaseMs / 1000, 1).padStart(5)} s | ${n(r.rssGrowth).padStart(12)} MB | ${n(r.heapRetained, 1).padStart(6)} MB | ${r.incrementalRequests}, ${n(r.incrementalDatabaseMs)} ms, ${n(r.incrementalMs)} ms`,
      );
    }
    const [first, last] = [results[0], results.at(-1)];
    if (first && last && last !== first) {
      console.log(
        `From ${n(first.size)} to ${n(last.size)} tickets (${n(last.size / first.size)}x): full sync rate ${n(last.syncRate / first.syncRate, 2)}x, RSS peak growth ${n(first.rssGrowth)} -> ${n(last.rssGrowth)} MB, heap kept ${n(first.heapRetained, 1)} -> ${n(last.heapRetained, 1)} MB, incremental db time ${n(first.incrementalDatabaseMs)} -> ${n(last.incrementalDatabaseMs)} ms`,
      );
    }
    console.log(
      'Aims: full sync >= 0.5x the bare insert; incremental in one round of requests and < 1 s of database time; memory flat as the inventory grows.',
    );
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
