/**
 * Crash: the API process, and then its PostgreSQL too, killed hard (SIGKILL) in the middle of a
 * stream of link writes, then started again on the same data. Every link the API acknowledged is
 * there, nothing is half-written, and the embedded database recovers by itself.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { alive, cleanUp, createWorkspace, exited, postmasterPid, type Served, serve } from '../../testkit/processes';

const dataDir = mkdtempSync(path.join(tmpdir(), 'throughline-crash-'));
const children: ChildProcess[] = [];
afterAll(() => cleanUp(dataDir, children));

const WRITERS = 16;

async function call(url: string, token: string, method: string, apiPath: string, body?: unknown) {
  const response = await fetch(`${url}${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/**
 * Writers that link new tickets one after another until the server dies under them; each
 * acknowledged link (201) is remembered with the ticket it names.
 */
function linkStream(server: Served, token: string, objectiveId: string, round: string) {
  const acknowledged = new Map<string, string>();
  const attempted = new Set<string>();
  let next = 0;
  const writer = async () => {
    for (;;) {
      const ref = `github:github.com/acme/crash-${round}#${++next}`;
      attempted.add(ref);
      try {
        const res = await call(server.url, token, 'POST', '/v1/links', { ref, objectiveId });
        if (res.status !== 201) throw new Error(`link ${ref}: ${res.status} ${JSON.stringify(res.body)}`);
        acknowledged.set(ref, res.body.id);
      } catch (error) {
        // The server is gone: this writer stops; an unanswered link may or may not be there.
        if ((error as Error).message.startsWith('link ')) throw error;
        return;
      }
    }
  };
  const done = Promise.all(Array.from({ length: WRITERS }, writer));
  return { acknowledged, attempted, done };
}

/** Resolves once `count` links are acknowledged; rejects if the writers stop before. */
function untilAcknowledged(stream: ReturnType<typeof linkStream>, count: number) {
  const reached = (async () => {
    while (stream.acknowledged.size < count) await new Promise((resolve) => setTimeout(resolve, 10));
  })();
  const stoppedEarly = stream.done.then(() => {
    throw new Error(`the writers stopped after ${stream.acknowledged.size} links`);
  });
  return Promise.race([reached, stoppedEarly]);
}

/** Every acknowledged link is there; an attempted ticket is there only with its link (one statement). */
async function expectIntact(
  url: string,
  token: string,
  objectiveId: string,
  stream: ReturnType<typeof linkStream>,
): Promise<number> {
  const links: { id: string; ref: string }[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `objectiveId=${objectiveId}&state=all&limit=1000${cursor ? `&cursor=${cursor}` : ''}`;
    const page: { links: { id: string; ref: string }[]; nextCursor: string | null } = (
      await call(url, token, 'GET', `/v1/links?${query}`)
    ).body;
    links.push(...page.links);
    cursor = page.nextCursor;
  } while (cursor);
  const byRef = new Map(links.map((l) => [l.ref, l.id]));
  for (const [ref, id] of stream.acknowledged) expect(byRef.get(ref), `acknowledged link of ${ref}`).toBe(id);
  for (const ref of stream.attempted) {
    if (stream.acknowledged.has(ref)) continue;
    const context = await call(url, token, 'GET', `/v1/work-items/${encodeURIComponent(ref)}/context`);
    // Unanswered: either nothing was written, or the ticket and its link both were.
    if (context.body.item) expect(context.body.links.map((l: { id: string }) => l.id)).toEqual([byRef.get(ref)]);
  }
  return links.length;
}

describe('a crash in the middle of link writes', () => {
  test('killed hard twice (the API, then the API and its PostgreSQL): every acknowledged link survives', async () => {
    let server = await serve(dataDir, children);
    const token = await createWorkspace(dataDir, 'Crash');
    const period = await call(server.url, token, 'POST', '/v1/periods', {
      name: 'Now',
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
    });
    const objective = await call(server.url, token, 'POST', '/v1/objectives', {
      title: 'Never lose a link',
      periodId: period.body.id,
    });
    const objectiveId = objective.body.id as string;

    // 1. The API process dies (its PostgreSQL lives on, orphaned).
    const first = linkStream(server, token, objectiveId, 'a');
    await untilAcknowledged(first, 300);
    server.child.kill('SIGKILL');
    await Promise.all([exited(server.child), first.done]);
    server = await serve(dataDir, children);
    expect(server.output()).toContain('Recovering: stopping the PostgreSQL');
    const afterFirst = await expectIntact(server.url, token, objectiveId, first);

    // 2. The machine dies: the API and PostgreSQL killed at once, nothing shut down cleanly.
    const second = linkStream(server, token, objectiveId, 'b');
    await untilAcknowledged(second, 300);
    const postmaster = postmasterPid(dataDir);
    server.child.kill('SIGKILL');
    process.kill(postmaster, 'SIGKILL');
    await Promise.all([exited(server.child), second.done]);
    while (alive(postmaster)) await new Promise((resolve) => setTimeout(resolve, 20));
    server = await serve(dataDir, children);
    await expectIntact(server.url, token, objectiveId, first);
    const afterSecond = await expectIntact(server.url, token, objectiveId, second);

    console.log(
      `crash: ${first.acknowledged.size} then ${second.acknowledged.size} links acknowledged before the kills ` +
        `(${first.attempted.size + second.attempted.size} attempted); ${afterFirst} and ${afterSecond} links after the restarts, none lost`,
    );
    expect(afterSecond).toBeGreaterThanOrEqual(first.acknowledged.size + second.acknowledged.size);
    server.child.kill('SIGTERM');
    expect(await exited(server.child)).toBe(0);
  }, 180_000);
});
