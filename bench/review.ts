/**
 * The alignment review at scale: a workspace of 200 objectives and 1k, 10k, then 100k work items
 * (60% linked, some to two objectives, 5% links ended), on the embedded PostgreSQL. For each size:
 * the time of `GET /v1/review` end to end, split into loading the rows and computing the figures
 * (lib/metrics), and how both grow against the smallest size; the API's resident memory.
 *
 *   npm run bench:review [-- --runs 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import {
  allocation,
  coverage,
  indexMetricData,
  plannedObjectives,
  staleLinks,
  unlinkedItems,
  WEEK,
  weeklySeries,
} from '../lib/server/metrics';
import { createToken, createUser, createWorkspace } from '../server/accounts';
import { seedDemo } from '../server/demo';
import { loadMetricData, resolveScope } from '../server/metric-data';
import { startServer } from '../server/server';
import { median } from './median';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(args.runs);
const SIZES = [1_000, 10_000, 100_000];
const OBJECTIVES = 200;

const rssMb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value };
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'throughline-bench-review-'));
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, rateLimitPerMinute: 0, log: () => {} });
  const { db } = server.database;
  try {
    const rssStart = rssMb();
    await seedDemo(db, new Date());
    const rssDemo = rssMb();

    const workspace = await createWorkspace(db, { name: 'Scale' });
    const admin = await createUser(db, workspace.id, { name: 'Ada', role: 'admin' });
    const token = (await createToken(db, workspace.id, admin.id, 'bench')).token;
    const now = new Date();
    const quarterStart = new Date(Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1));
    const quarterEnd = new Date(Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3 + 3, 0));
    const day = (d: Date) => d.toISOString().slice(0, 10);
    await db.execute(sql`
      insert into periods (workspace_id, name, starts_on, ends_on)
      values (${workspace.id}::uuid, 'Current', ${day(quarterStart)}, ${day(quarterEnd)})`);
    await db.execute(sql`
      insert into objectives (workspace_id, period_id, title, priority_weight, status, update_cadence_days)
      select ${workspace.id}::uuid, p.id, 'Objective ' || g, 1 + (g % 10), 'active', 14
      from generate_series(1, ${OBJECTIVES}::int) g, periods p where p.workspace_id = ${workspace.id}`);

    const lines: string[] = [];
    const results: { size: number; api: number; load: number; compute: number; rss: number }[] = [];
    let seeded = 0;
    for (const size of SIZES) {
      // Items seen over the last eight weeks, a fifth of them closed; effort 1 to 8 or unknown.
      await db.execute(sql`
        insert into work_items (workspace_id, ref, source, host, key, title, assignees, estimate, first_seen_at, last_seen_at, closed_at)
        select ${workspace.id}::uuid, 'github:github.com/scale/repo#' || g, 'github', 'github.com', 'scale/repo#' || g,
               'Ticket ' || g, array['dev' || (g % 40)], case when g % 3 = 0 then null else 1 + g % 8 end,
               now() - (g % 56) * interval '1 day', now() - (g % 7) * interval '1 day',
               case when g % 5 = 0 then now() - (g % 20) * interval '1 day' end
        from generate_series(${seeded + 1}::int, ${size}::int) g`);
      await db.execute(sql`
        with items as (
          select id, (regexp_replace(key, '.*#', ''))::int as n from work_items
          where workspace_id = ${workspace.id} and (regexp_replace(key, '.*#', ''))::int > ${seeded}::int
        ), objs as (
          select id, row_number() over (order by title) as k from objectives where workspace_id = ${workspace.id}
        )
        insert into links (workspace_id, work_item_id, objective_id, created_at, ended_at)
        select ${workspace.id}::uuid, items.id, objs.id, now() - (items.n % 50) * interval '1 day',
               case when items.n % 20 = 0 then now() - interval '1 day' end
        from items join objs on objs.k = 1 + (items.n * 7) % ${OBJECTIVES}::int
        where items.n % 5 < 3
        union all
        select ${workspace.id}::uuid, items.id, objs.id, now() - (items.n % 30) * interval '1 day', null
        from items join objs on objs.k = 1 + (items.n * 13 + 1) % ${OBJECTIVES}::int
        where items.n % 10 = 0`);
      await db.execute(sql`analyze work_items; analyze links`);
      seeded = size;

      const api: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const { ms, value } = await timed(() =>
          fetch(`${server.url}/v1/review`, { headers: { authorization: `Bearer ${token}` } }),
        );
        if (value.status !== 200) throw new Error(`review answered ${value.status}: ${await value.text()}`);
        await value.arrayBuffer();
        api.push(ms);
      }

      // The same review in parts: loading the rows, then the pure figures of lib/metrics.
      const loads: number[] = [];
      const computes: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const at = Date.now();
        const scope = await resolveScope(db, workspace.id, admin.id, {});
        const load = await timed(() => loadMetricData(db, workspace.id, scope, new Date(at - 8 * WEEK), new Date(at)));
        const start = performance.now();
        const index = indexMetricData(load.value);
        const window = { from: at - WEEK, to: at };
        coverage(index, window);
        allocation(index, plannedObjectives(load.value.objectives, at), window);
        weeklySeries(index, load.value.objectives, at, 8);
        unlinkedItems(index, window);
        staleLinks(load.value.links, index.objectives, at);
        computes.push(performance.now() - start);
        loads.push(load.ms);
      }
      results.push({ size, api: median(api), load: median(loads), compute: median(computes), rss: rssMb() });
    }

    const base = results[0] as (typeof results)[number];
    lines.push(
      `The alignment review, ${OBJECTIVES} objectives, medians of ${RUNS} runs, one API process on the embedded PostgreSQL:`,
    );
    for (const r of results) {
      lines.push(
        `  ${String(r.size).padStart(7)} items: GET /v1/review ${r.api.toFixed(0)} ms (${(r.api / base.api).toFixed(1)}× of 1k); ` +
          `loading rows ${r.load.toFixed(0)} ms (${(r.load / base.load).toFixed(1)}×), computing figures ${r.compute.toFixed(0)} ms ` +
          `(${(r.compute / base.compute).toFixed(1)}×); process RSS ${r.rss} MB`,
      );
    }
    lines.push(
      `  Items grew ${(SIZES.at(-1) as number) / (SIZES[0] as number)}×; review time grew ${((results.at(-1)?.api ?? 0) / base.api).toFixed(1)}× (linear would be ${(SIZES.at(-1) as number) / (SIZES[0] as number)}×).`,
      `  Memory (the API in this process): ${rssStart} MB started, ${rssDemo} MB with the demo workspace, ${results.at(-1)?.rss} MB after reviews of 100k items.`,
    );
    console.log(lines.join('\n'));
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
