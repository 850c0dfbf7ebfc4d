/**
 * The goals API against a bare node:http hello-world, measured side by side in one run on loopback.
 * Prints throughput and p99 of the ticket-context read and of link creation, each as a ratio to the
 * bare server. Aim: context read at 40% or more of the bare throughput, p99 under 20 ms at 32
 * connections.
 *
 * The load comes from wrk (Debian's `wrk`) when installed, as it costs the machine least, else
 * from autocannon; the report names which.
 *
 *   npm run bench:api [-- --duration 10 --connections 32 --items 5000]
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { eq } from 'drizzle-orm';
import { formatRef } from '../lib/contract';
import { isObjectiveCurrent } from '../lib/metrics';
import { openDatabase } from '../server/db';
import { workItems, workspaces } from '../server/db/schema';
import { DEMO_SLUG, seedDemo } from '../server/demo';
import { loadObjectives, toMetricObjective } from '../server/queries';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    items: { type: 'string', default: '5000' },
  },
});
const duration = Number(args.duration);
const connections = Number(args.connections);
const extraItems = Number(args.items);

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

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'throughline-bench-'));
  const children: ChildProcess[] = [];
  try {
    // Seed: the demo workspace plus extra tickets, half of them linked.
    const database = await openDatabase({ dataDir });
    const now = new Date();
    const demo = await seedDemo(database.db, now);
    const [ws] = await database.db.select().from(workspaces).where(eq(workspaces.slug, DEMO_SLUG));
    const workspaceId = (ws as { id: string }).id;
    const objectiveIds = (await loadObjectives(database.db, workspaceId))
      .filter((o) => isObjectiveCurrent(toMetricObjective(o), now.getTime()))
      .map((o) => o.id);
    for (let offset = 0; offset < extraItems; offset += 1000) {
      const batch = Array.from({ length: Math.min(1000, extraItems - offset) }, (_, i) => {
        const key = `bench/seed#${offset + i + 1}`;
        return {
          workspaceId,
          ref: formatRef({ source: 'github', host: 'github.com', key }),
          source: 'github' as const,
          host: 'github.com',
          key,
          title: `Seeded ticket ${offset + i + 1} about checkout latency`,
          project: 'bench/seed',
          firstSeenAt: now,
          lastSeenAt: now,
        };
      });
      await database.db.insert(workItems).values(batch);
    }
    const items = await database.db
      .select({ ref: workItems.ref })
      .from(workItems)
      .where(eq(workItems.workspaceId, workspaceId));
    await database.close();
    console.log(`Seeded ${items.length} tickets, ${objectiveIds.length} objectives.`);

    const env: NodeJS.ProcessEnv = { ...process.env, THROUGHLINE_RATE_LIMIT: '0' };
    delete env.DATABASE_URL;
    const api = await start(
      process.execPath,
      ['--import', 'tsx', 'server/cli.ts', 'serve', '--data', dataDir, '--port', '0'],
      env,
      /goals API on (http:\/\/\S+)/,
    );
    children.push(api.child);
    const apiUrl = api.match[1] as string;
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

    const headers = { authorization: `Bearer ${demo.token}`, 'content-type': 'application/json' };
    const contextPaths = items.map((i) => `/v1/work-items/${encodeURIComponent(i.ref)}/context`);

    // Warm both servers (JIT, connection pool, caches) before measuring.
    await load({ url: bareUrl }, dataDir);
    await load({ url: apiUrl, headers, paths: contextPaths }, dataDir);

    const bareResult = await load({ url: bareUrl }, dataDir);
    const contextResult = await load({ url: apiUrl, headers, paths: contextPaths }, dataDir);
    const linkResult = await load(
      {
        url: apiUrl,
        headers,
        body: (n) =>
          JSON.stringify({
            ref: `github:github.com/bench/links#${n}`,
            objectiveId: objectiveIds[n % objectiveIds.length],
          }),
        luaBody: `'{"ref":"github:github.com/bench/links#' .. n .. '","objectiveId":"' .. ({${objectiveIds
          .map((id) => `"${id}"`)
          .join(',')}})[(n % ${objectiveIds.length}) + 1] .. '"}'`,
      },
      dataDir,
    );

    const row = (name: string, r: Result) =>
      `${name.padEnd(22)} ${r.rps.toFixed(0).padStart(8)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  ` +
      `${(r.rps / bareResult.rps).toFixed(2).padStart(5)}× bare  errors ${r.errors + r.non2xx}`;
    console.log(
      `\n${connections} connections, ${duration} s each, load from ${hasWrk ? 'wrk' : 'autocannon'}, embedded PostgreSQL, one API process, loopback:`,
    );
    console.log(row('bare node:http', bareResult));
    console.log(row('ticket context read', contextResult));
    console.log(row('link creation', linkResult));
    const ratio = contextResult.rps / bareResult.rps;
    console.log(
      `\nContext read: ${(ratio * 100).toFixed(0)}% of bare throughput (aim ≥ 40%): ${ratio >= 0.4 ? 'met' : 'NOT met'}; ` +
        `p99 ${contextResult.p99} ms (aim < 20 ms): ${contextResult.p99 < 20 ? 'met' : 'NOT met'}.`,
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
