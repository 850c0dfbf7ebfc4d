/**
 * The goals API against a bare node:http hello-world, measured side by side in one run on loopback.
 * Prints throughput and latency of the ticket-context read and of link creation, each as a ratio to
 * the bare server, on the embedded PostgreSQL and on an external one (a separate server, through
 * DATABASE_URL), as the workspace grows from 1k to 100k tickets. Aim: context read at 40% or more
 * of the bare throughput, p99 under 20 ms at 32 connections.
 *
 * The load comes from wrk (Debian's `wrk`) when installed, as it costs the machine least, else
 * from autocannon; the report names which.
 *
 *   npm run bench:api [-- --duration 5 --connections 32 --sizes 1000,10000,100000]
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { eq, sql } from 'drizzle-orm';
import { isObjectiveCurrent } from '../lib/server/metrics';
import { formatRef } from '../lib/shared/contract';
import { type Db, openDatabase } from '../server/db';
import { containments, links, workItems, workspaces } from '../server/db/schema';
import { DEMO_SLUG, seedDemo } from '../server/demo';
import { loadObjectives, toMetricObjective } from '../server/queries';
import { startSeparatePostgres } from '../testkit/separate-postgres';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
    sizes: { type: 'string', default: '1000,10000,100000' },
  },
});
const duration = Number(args.duration);
const connections = Number(args.connections);
const sizes = args.sizes.split(',').map(Number);

function start(
  command: string,
  argv: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(ready);
      if (match) resolve({ child, match });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command} exited ${code}: ${output}`)));
  });
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const hasWrk = spawnSync('wrk', ['--version']).error === undefined;

interface Scenario {
  url: string;
  headers?: Record<string, string>;
  /** Paths to rotate through, for GET. */
  paths?: string[];
  /** For POST: the body of the n-th request. */
  body?: (n: number) => string;
  /** The same body as a Lua expression of the counter `n`, for wrk. */
  luaBody?: string;
}

function luaString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function withWrk(scenario: Scenario, dir: string): Result {
  const script = path.join(dir, 'scenario.lua');
  const headers = Object.entries(scenario.headers ?? {})
    .map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`)
    .join('\n');
  const paths = scenario.paths ? `local paths = {${scenario.paths.map(luaString).join(',')}}` : 'local paths = {"/"}';
  const request = scenario.luaBody
    ? `n = n + 1; return wrk.format("POST", "/v1/links", nil, ${scenario.luaBody})`
    : 'n = n + 1; return wrk.format("GET", paths[(n % #paths) + 1])';
  // Each wrk thread has its own Lua state: offset the counter per thread so bodies stay unique.
  writeFileSync(
    script,
    `${headers}\n${paths}\nlocal n = 0\nfunction setup(thread) thread:set("offset", math.random(1, 1e9)) end\n` +
      `function init(args) n = offset or 0 end\nrequest = function() ${request} end\n`,
  );
  const output = execFileSync(
    'wrk',
    ['-t1', `-c${connections}`, `-d${duration}s`, '--latency', '-s', script, scenario.url],
    { encoding: 'utf8' },
  );
  if (!/Requests\/sec/.test(output)) throw new Error(`wrk printed no figures:\n${output}`);
  const number = (pattern: RegExp) => Number(output.match(pattern)?.[1] ?? 0);
  const ms = (pattern: RegExp) => {
    const match = output.match(pattern);
    if (!match) return Number.NaN;
    const value = Number(match[1]);
    return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
  };
  return {
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    p50: ms(/50%\s+([\d.]+)(us|ms|s)/),
    p99: ms(/99%\s+([\d.]+)(us|ms|s)/),
    errors: number(/Socket errors: connect (\d+)/) + number(/read (\d+), write/) + number(/timeout (\d+)/),
    non2xx: number(/Non-2xx or 3xx responses: (\d+)/),
  };
}

async function withAutocannon(scenario: Scenario): Promise<Result> {
  let n = 0;
  const result = await autocannon({
    url: scenario.url,
    duration,
    connections,
    headers: scenario.headers,
    requests: [
      {
        method: scenario.body ? 'POST' : 'GET',
        setupRequest: (request) => {
          n++;
          return scenario.body
            ? { ...request, path: '/v1/links', body: scenario.body(n) }
            : { ...request, path: scenario.paths ? (scenario.paths[n % scenario.paths.length] as string) : '/' };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

function load(scenario: Scenario, dir: string): Promise<Result> {
  return hasWrk ? Promise.resolve(withWrk(scenario, dir)) : withAutocannon(scenario);
}

/** Milestones the seeded tickets sit under; the first third of them linked to a goal. */
const MILESTONES = 100;

/**
 * Seeds tickets until the demo workspace holds `total`, each named for the context reads, in the
 * demo's scope (organization acme), each under one of the milestones: a third of the reads walk up
 * to a linked milestone, as tickets under a linked epic or milestone do.
 */
async function seedTickets(
  db: Db,
  workspaceId: string,
  from: number,
  total: number,
  now: Date,
  objectiveIds: string[],
): Promise<void> {
  const milestoneRef = (n: number) =>
    formatRef({ source: 'github', host: 'github.com', key: `acme/bench-seed/milestone/${n}` });
  const milestones = await db
    .insert(workItems)
    .values(
      Array.from({ length: MILESTONES }, (_, i) => ({
        workspaceId,
        ref: milestoneRef(i + 1),
        kind: 'container' as const,
        source: 'github' as const,
        host: 'github.com',
        key: `acme/bench-seed/milestone/${i + 1}`,
        title: `Milestone ${i + 1}`,
        project: 'acme/bench-seed',
        firstSeenAt: now,
        lastSeenAt: now,
      })),
    )
    .onConflictDoUpdate({ target: [workItems.workspaceId, workItems.ref], set: { lastSeenAt: now } })
    .returning({ id: workItems.id, ref: workItems.ref });
  const milestoneIds = milestones.sort((a, b) => a.ref.localeCompare(b.ref, 'en', { numeric: true })).map((m) => m.id);
  // Made once, at the first size; the later sizes find them.
  if (!(await db.$count(links, eq(links.workItemId, milestoneIds[0] as string)))) {
    await db.insert(links).values(
      milestoneIds.slice(0, MILESTONES / 3).map((id, i) => ({
        workspaceId,
        workItemId: id,
        objectiveId: objectiveIds[i % objectiveIds.length] as string,
        createdAt: now,
      })),
    );
  }
  for (let offset = from; offset < total; offset += 1000) {
    const batch = Array.from({ length: Math.min(1000, total - offset) }, (_, i) => {
      const key = `acme/bench-seed#${offset + i + 1}`;
      return {
        workspaceId,
        ref: formatRef({ source: 'github', host: 'github.com', key }),
        source: 'github' as const,
        host: 'github.com',
        key,
        title: `Seeded ticket ${offset + i + 1} about checkout latency`,
        project: 'acme/bench-seed',
        firstSeenAt: now,
        lastSeenAt: now,
      };
    });
    const inserted = await db.insert(workItems).values(batch).returning({ id: workItems.id });
    await db.insert(containments).values(
      inserted.map(({ id }, i) => ({
        workspaceId,
        itemId: id,
        containerId: milestoneIds[(offset + i) % MILESTONES] as string,
        slot: 'milestone' as const,
        startedAt: now,
      })),
    );
  }
}

interface Row {
  database: string;
  items: number;
  context: Result;
  link: Result;
}

/** One API process on one database, measured at each size: the workspace grows between sizes. */
async function measure(kind: 'embedded' | 'external', dir: string, children: ChildProcess[]) {
  const separate = kind === 'external' ? await startSeparatePostgres() : null;
  const dataDir = mkdtempSync(path.join(dir, `${kind}-`));
  const env: NodeJS.ProcessEnv = { ...process.env, THROUGHLINE_RATE_LIMIT: '0' };
  delete env.DATABASE_URL;
  if (separate) env.DATABASE_URL = separate.url;
  const rows: Row[] = [];
  try {
    const database = await openDatabase({ dataDir, databaseUrl: separate?.url });
    const now = new Date();
    const demo = await seedDemo(database.db, now);
    const [ws] = await database.db.select().from(workspaces).where(eq(workspaces.slug, DEMO_SLUG));
    const workspaceId = (ws as { id: string }).id;
    const objectiveIds = (await loadObjectives(database.db, workspaceId))
      .filter((o) => isObjectiveCurrent(toMetricObjective(o), now.getTime()))
      .map((o) => o.id);
    await database.close();
    const api = await start(
      process.execPath,
      ['--import', 'tsx', 'server/cli.ts', 'serve', '--data', dataDir, '--port', '0'],
      env,
      /goals API on (http:\/\/\S+)/,
    );
    children.push(api.child);
    const apiUrl = api.match[1] as string;
    // Tickets are added beside the running API, through its database, as the CLI does.
    const seeding = await openDatabase({ dataDir, databaseUrl: separate?.url, shareRunningServer: true });
    const headers = { authorization: `Bearer ${demo.token}`, 'content-type': 'application/json' };
    let seeded = demo.items;
    let round = 0;
    for (const size of sizes) {
      await seedTickets(seeding.db, workspaceId, seeded, size, now, objectiveIds);
      // As autovacuum would soon after a bulk load: plans for the table's new size.
      await seeding.db.execute(sql`analyze work_items`);
      seeded = Math.max(seeded, size);
      const items = await seeding.db
        .select({ ref: workItems.ref })
        .from(workItems)
        .where(eq(workItems.workspaceId, workspaceId));
      // Reads spread over up to 10k tickets, across the whole workspace: the tickets people have open.
      const step = Math.max(1, Math.floor(items.length / 10_000));
      const contextPaths = items
        .filter((_, i) => i % step === 0)
        .map((i) => `/v1/work-items/${encodeURIComponent(i.ref)}/context`);
      // Warm the API (JIT, connection pool, caches) before measuring.
      await load({ url: apiUrl, headers, paths: contextPaths }, dir);
      const context = await load({ url: apiUrl, headers, paths: contextPaths }, dir);
      round++;
      const link = await load(
        {
          url: apiUrl,
          headers,
          body: (n) =>
            JSON.stringify({
              ref: `github:github.com/acme/bench-links-${round}#${n}`,
              objectiveId: objectiveIds[n % objectiveIds.length],
            }),
          luaBody: `'{"ref":"github:github.com/acme/bench-links-${round}#' .. n .. '","objectiveId":"' .. ({${objectiveIds
            .map((id) => `"${id}"`)
            .join(',')}})[(n % ${objectiveIds.length}) + 1] .. '"}'`,
        },
        dir,
      );
      rows.push({ database: kind, items: items.length, context, link });
    }
    await seeding.close();
    api.child.kill('SIGTERM');
    await new Promise((resolve) => api.child.once('exit', resolve));
  } finally {
    await separate?.stop();
  }
  return rows;
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'throughline-bench-'));
  // As root, the embedded PostgreSQL runs as the postgres user, who must be able to enter.
  chmodSync(dir, 0o711);
  const children: ChildProcess[] = [];
  try {
    const env: NodeJS.ProcessEnv = { ...process.env };
    const bare = await start(
      process.execPath,
      [
        '-e',
        "require('node:http').createServer((q,s)=>{s.writeHead(200,{'content-type':'application/json'});s.end('{\"hello\":\"world\"}')}).listen(0,'127.0.0.1',function(){console.log('bare on '+this.address().port)})",
      ],
      env,
      /bare on (\d+)/,
    );
    children.push(bare.child);
    const bareUrl = `http://127.0.0.1:${bare.match[1]}`;
    await load({ url: bareUrl }, dir);
    const bareResult = await load({ url: bareUrl }, dir);

    const rows = [...(await measure('embedded', dir, children)), ...(await measure('external', dir, children))];

    const cell = (r: Result) =>
      `${r.rps.toFixed(0).padStart(6)} req/s ${(r.rps / bareResult.rps).toFixed(2)}× bare, p50 ${String(r.p50).padStart(5)} p99 ${String(r.p99).padStart(5)} ms, errors ${r.errors + r.non2xx}`;
    console.log(
      `\n${connections} connections, ${duration} s each, load from ${hasWrk ? 'wrk' : 'autocannon'}, one API process, loopback; ` +
        `bare node:http ${bareResult.rps.toFixed(0)} req/s, p99 ${bareResult.p99} ms:`,
    );
    for (const r of rows) {
      console.log(`  ${r.database.padEnd(8)} ${String(r.items).padStart(7)} tickets  context read ${cell(r.context)}`);
      console.log(`  ${''.padEnd(8)} ${''.padStart(7)}          link creation ${cell(r.link)}`);
    }
    for (const kind of ['embedded', 'external']) {
      const of = rows.filter((r) => r.database === kind);
      const first = of[0] as Row;
      const last = of.at(-1) as Row;
      console.log(
        `  ${kind}: from ${first.items} to ${last.items} tickets, context read p99 ${first.context.p99} → ${last.context.p99} ms ` +
          `(${(last.context.p99 / first.context.p99).toFixed(1)}×), throughput ${(last.context.rps / first.context.rps).toFixed(2)}×; ` +
          `aim ≥ 40% of bare: ${last.context.rps / bareResult.rps >= 0.4 ? 'met' : 'NOT met'}, p99 < 20 ms: ${last.context.p99 < 20 ? 'met' : 'NOT met'}.`,
      );
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
