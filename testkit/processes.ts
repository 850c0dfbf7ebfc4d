/** The API as people run it: `throughline serve` in its own process, on an embedded PostgreSQL. */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const { DATABASE_URL: _, ...envWithoutDatabase } = process.env;

export interface Served {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `throughline serve` on `dataDir`; resolves with its URL once it listens, rejects if it exits first. */
export function serve(
  dataDir: string,
  children: ChildProcess[],
  options: { args?: string[]; env?: Record<string, string> } = {},
): Promise<Served> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/cli.ts', 'serve', '--data', dataDir, '--port', '0', ...(options.args ?? [])],
    { env: { ...envWithoutDatabase, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
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

/** `throughline workspace create` on `dataDir`: the new admin's token. */
export async function createWorkspace(dataDir: string, name: string): Promise<string> {
  const created = await run(
    process.execPath,
    ['--import', 'tsx', 'server/cli.ts', 'workspace', 'create', name, '--admin-name', 'Ada', '--data', dataDir],
    { env: envWithoutDatabase },
  );
  const token = created.stdout.match(/tl_[A-Za-z0-9_-]{43}/)?.[0];
  if (!token) throw new Error(`no token in: ${created.stdout}`);
  return token;
}

export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const exited = (child: ChildProcess) =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', resolve));

/** Stops what the tests started on `dataDir`, whatever state they left it in, and removes it. */
export async function cleanUp(dataDir: string, children: ChildProcess[]): Promise<void> {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  if (existsSync(path.join(dataDir, 'pg', 'postmaster.pid')) && alive(postmasterPid(dataDir))) {
    process.kill(postmasterPid(dataDir), 'SIGINT');
  }
  rmSync(dataDir, { recursive: true, force: true });
}
