import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { alive, cleanUp, createWorkspace, postmasterPid, serve } from '../support/processes';

const dataDir = mkdtempSync(path.join(tmpdir(), 'throughline-embedded-'));
const children: ChildProcess[] = [];

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
});
