/**
 * Load: 300 concurrent clients reading ticket contexts and writing links against the API in its own
 * process on the embedded database (the demo workspace), for a bounded time. Zero errors; every
 * link acknowledged is stored once; the figures are printed.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { afterAll, describe, expect, test } from 'vitest';
import { cleanUp, serve } from '../../testkit/processes';

const dataDir = mkdtempSync(path.join(tmpdir(), 'throughline-load-'));
const children: ChildProcess[] = [];
afterAll(() => cleanUp(dataDir, children));

const CLIENTS = 300;
const SECONDS = Number(process.env.LOAD_SECONDS ?? 8);

describe('under load', () => {
  test(`${CLIENTS} concurrent clients reading contexts and writing links for ${SECONDS} s: zero errors`, async () => {
    const server = await serve(dataDir, children, { args: ['--demo'], env: { THROUGHLINE_RATE_LIMIT: '0' } });
    const token = readFileSync(path.join(dataDir, 'demo-token'), 'utf8').trim();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const get = async (apiPath: string) => (await fetch(`${server.url}${apiPath}`, { headers })).json();
    const objectiveId = (await get('/v1/objectives?status=open&period=current')).objectives[0].id as string;
    const refs = (await get('/v1/review?unlinkedLimit=200')).unlinked.map((i: { ref: string }) => i.ref) as string[];
    expect(refs.length).toBeGreaterThan(50);

    let reads = 0;
    let writes = 0;
    const result = await autocannon({
      url: server.url,
      connections: CLIENTS,
      duration: SECONDS,
      headers,
      // Each client reads a context, then links a new ticket, over and over.
      requests: [
        {
          method: 'GET',
          setupRequest: (request) => ({
            ...request,
            path: `/v1/work-items/${encodeURIComponent(refs[reads++ % refs.length] as string)}/context`,
          }),
        },
        {
          method: 'POST',
          setupRequest: (request) => ({
            ...request,
            path: '/v1/links',
            body: JSON.stringify({ ref: `github:github.com/acme/load#${++writes}`, objectiveId }),
          }),
        },
      ],
    });

    // Counted through every page of the list, so the count holds however many links a machine makes.
    const loadRefs: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { links: { ref: string }[]; nextCursor: string | null } = await get(
        `/v1/links?objectiveId=${objectiveId}&state=all&limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
      );
      loadRefs.push(...page.links.map((l) => l.ref).filter((ref) => ref.startsWith('github:github.com/acme/load#')));
      cursor = page.nextCursor;
    } while (cursor);
    const stored = loadRefs.length;
    console.log(
      `load: ${CLIENTS} clients for ${SECONDS} s: ${result.requests.total} requests, ${result.requests.average} req/s, ` +
        `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms; ` +
        `${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx; ${stored} links stored`,
    );
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
    // How much work fits in the time depends on the machine; what is asserted holds for any amount.
    const linked = (result.statusCodeStats as Record<string, { count: number }>)['201']?.count ?? 0;
    expect(linked).toBeGreaterThan(0);
    // Every link answered 201 is stored, once; requests cut off at the end may have been stored too.
    expect(new Set(loadRefs).size).toBe(stored);
    expect(stored).toBeGreaterThanOrEqual(linked);
    expect(stored).toBeLessThanOrEqual(writes);
  }, 120_000);
});
