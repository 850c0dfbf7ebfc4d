import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(tmpdir(), 'throughline-embedded-'));
const children: ChildProcess[] = [];
const { DATABASE_URL: _, ...envWithoutDatabase } = process.env;

/** `throughline serve` in its own process, resolved with its URL once it listens. */
function serve(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/cli.ts', 'serve', '--data', dataDir, '--port', '0'],
    {
      env: envWithoutDatabase,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = output.match(/goals API on (http:\/\/\S+)/)?.[1];
      if (url) resolve({ child, url, output: () => output });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(Object.assign(new Error(`serve exited ${code}: ${output}`), { output, code })));
  });
}

function postmasterPid(): number {
  return Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  if (existsSync(path.join(dataDir, 'pg', 'postmaster.pid')) && alive(postmasterPid()))
    process.kill(postmasterPid(), 'SIGINT');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the embedded PostgreSQL', () => {
  test('a second server on the same data directory is refused; a killed server is recovered, with its data', async () => {
    const first = await serve();
    expect((await fetch(`${first.url}/healthz`).then((r) => r.json())).database).toBe('embedded');

    // The CLI works beside the running server, through its cluster.
    const created = await run(
      process.execPath,
      ['--import', 'tsx', 'server/cli.ts', 'workspace', 'create', 'Durable', '--admin-name', 'Ada', '--data', dataDir],
      { env: envWithoutDatabase },
    );
    const token = created.stdout.match(/tl_[A-Za-z0-9_-]{43}/)?.[0] as string;
    expect(token).toBeDefined();

    const second = await serve().catch((error) => error);
    expect(second.code).toBe(1);
    expect(second.output).toContain(`The data directory ${dataDir} is in use by another Throughline server (pid`);

    // SIGKILL leaves the PostgreSQL of the first server running on the cluster.
    const orphan = postmasterPid();
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    expect(alive(orphan)).toBe(true);

    const third = await serve();
    expect(third.output()).toContain(
      `Recovering: stopping the PostgreSQL (pid ${orphan}) left running by a previous server.`,
    );
    expect(alive(orphan)).toBe(false);
    const me = await fetch(`${third.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect((await me.json()).workspace.name).toBe('Durable');

    third.child.kill('SIGTERM');
    const code = await new Promise((resolve) => third.child.once('exit', resolve));
    expect(code).toBe(0);
    expect(existsSync(path.join(dataDir, 'server.lock'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 120_000);
});
