/**
 * The data directory's lock: a listening local socket under a secret name (kept in `lock-name`,
 * its owner's only), which the kernel closes when its holder dies. The holder proves to the CLI
 * that it knows the cluster's password before the CLI uses the port it gives.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, linkSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { plainError } from './postgres-access';

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number | null) {
    super(
      `The data directory ${dataDir} is in use by another Throughline server${pid ? ` (pid ${pid})` : ' (it holds the lock but did not answer)'}. ` +
        'Stop that server first, or start this one with another --data directory.',
    );
  }
}
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Holder {
  pid: number;
  port: number;
}

/** The file that keeps the lock's secret name (see lockAddress), the owner's only. */
export const LOCK_NAME_FILE = 'lock-name';

/**
 * The content of `file`, which is written once with `content()` if it does not exist: through a
 * hard link, so of concurrent first starts exactly one writer wins, and no reader sees it half
 * written. Readable by its owner only.
 */
export function createOnce(file: string, content: () => string): string {
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
export function lockAddress(root: string, name: string): string {
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
export function lockName(root: string, create: boolean): string | null {
  const file = path.join(root, LOCK_NAME_FILE);
  if (!create && !existsSync(file)) return null;
  const name = createOnce(file, () => randomBytes(16).toString('hex'));
  if (!/^[0-9a-f]{32}$/.test(name)) throw plainError(`${file} is not a lock name; remove it and start again.`);
  return name;
}

export const isFileSocket = (address: string) => !address.startsWith('\0') && !address.startsWith('\\\\');

/** What the holder answers to `challenge`: proof that it knows the cluster's password. */
export function proofOf(password: string, challenge: string, holder: Holder): string {
  return createHmac('sha256', password)
    .update(`throughline-lock\n${challenge}\n${holder.pid}\n${holder.port}`)
    .digest('hex');
}

/** A lock server: it answers each challenge with its pid, its cluster's port and the proof. */
export function holderServer(password: string, holder: Holder): Server {
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
export function askHolder(address: string, password: string): Promise<Holder | 'stranger' | 'unknown' | null> {
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
export async function acquireLock(root: string, port: number, password: string): Promise<Server> {
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
export function releaseLock(lock: Server): void {
  const address = lock.address();
  lock.close();
  if (typeof address === 'string' && isFileSocket(address)) rmSync(address, { force: true });
}
