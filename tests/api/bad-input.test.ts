import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type RunningServer, startServer } from '../../server/server';
import { enc, setupApi } from '../support/api';
import { fullWorkspace } from '../support/full-workspace';
import { snapshotWorkspace } from '../support/snapshot';

const api = setupApi();

describe('every route refuses bad input with a JSON error that names the problem, and changes nothing', async () => {
  const ws = await api.workspace();
  const f = await fullWorkspace(api.call, ws);
  const NUL = 'bad\u0000title';
  const long = 'x'.repeat(20_000);
  const missingId = '00000000-0000-4000-8000-000000000000';

  // [name, method, path, body | raw string, expected status, field the first issue must name (or null)]
  type Case = [string, string, string, unknown, number, string | null];
  const cases: Case[] = [
    ['bad JSON', 'POST', '/v1/objectives', '{"title": ', 400, null],
    ['JSON that is not an object', 'POST', '/v1/links', '[1,2]', 400, null],
    [
      'unknown field',
      'POST',
      '/v1/periods',
      { name: 'Q', startsOn: '2026-01-01', endsOn: '2026-02-01', extra: 1 },
      400,
      'body',
    ],
    [
      'date that is not a date',
      'POST',
      '/v1/periods',
      { name: 'Q', startsOn: '2026-13-01', endsOn: '2026-02-01' },
      400,
      'body.startsOn',
    ],
    ['missing title', 'POST', '/v1/objectives', { periodId: f.period.id }, 400, 'body.title'],
    ['blank title', 'POST', '/v1/objectives', { title: '   ', periodId: f.period.id }, 400, 'body.title'],
    ['NUL in a title', 'POST', '/v1/objectives', { title: NUL, periodId: f.period.id }, 400, 'body.title'],
    ['title too long', 'POST', '/v1/objectives', { title: long, periodId: f.period.id }, 400, 'body.title'],
    [
      'priority of the wrong type',
      'POST',
      '/v1/objectives',
      { title: 't', periodId: f.period.id, priorityWeight: 'high' },
      400,
      'body.priorityWeight',
    ],
    [
      'negative priority',
      'POST',
      '/v1/objectives',
      { title: 't', periodId: f.period.id, priorityWeight: -1 },
      400,
      'body.priorityWeight',
    ],
    [
      'unknown status',
      'POST',
      '/v1/objectives',
      { title: 't', periodId: f.period.id, status: 'done' },
      400,
      'body.status',
    ],
    ['period id not a UUID', 'POST', '/v1/objectives', { title: 't', periodId: 'Q4' }, 400, 'body.periodId'],
    ['period of no one', 'POST', '/v1/objectives', { title: 't', periodId: missingId }, 422, 'body.periodId'],
    [
      'key result without target',
      'POST',
      '/v1/objectives',
      { title: 't', periodId: f.period.id, keyResults: [{ title: 'kr' }] },
      400,
      'body.keyResults.0.targetValue',
    ],
    ['empty patch', 'PATCH', `/v1/objectives/${f.objective.id}`, {}, 400, 'body'],
    ['path id not a UUID', 'PATCH', '/v1/objectives/not-a-uuid', { title: 'x' }, 400, 'path.id'],
    ['objective that does not exist', 'PATCH', `/v1/objectives/${missingId}`, { title: 'x' }, 404, null],
    [
      'cadence not whole',
      'PATCH',
      `/v1/objectives/${f.objective.id}`,
      { updateCadenceDays: 1.5 },
      400,
      'body.updateCadenceDays',
    ],
    [
      'key result value of the wrong type',
      'PATCH',
      `/v1/key-results/${f.keyResult.id}`,
      { currentValue: '12' },
      400,
      'body.currentValue',
    ],
    ['key result that does not exist', 'PATCH', `/v1/key-results/${missingId}`, { currentValue: 1 }, 404, null],
    [
      'update status unknown',
      'POST',
      `/v1/objectives/${f.objective.id}/updates`,
      { status: 'great' },
      400,
      'body.status',
    ],
    [
      'update note too long',
      'POST',
      `/v1/objectives/${f.objective.id}/updates`,
      { status: 'on_track', note: long },
      400,
      'body.note',
    ],
    [
      'reference without source',
      'PUT',
      `/v1/work-items/${enc('github.com/acme/api#1')}`,
      { title: 't' },
      400,
      'path.ref',
    ],
    [
      'reference with a bad key',
      'PUT',
      `/v1/work-items/${enc('jira:acme.atlassian.net/pay-1')}`,
      { title: 't' },
      400,
      'path.ref',
    ],
    [
      'reference with an upper-case host',
      'PUT',
      `/v1/work-items/${enc('github:GitHub.com/acme/api#1')}`,
      { title: 't' },
      400,
      'path.ref',
    ],
    [
      'issue number zero',
      'GET',
      `/v1/work-items/${enc('github:github.com/acme/api#0')}/context`,
      undefined,
      400,
      'path.ref',
    ],
    ['url that is not http', 'PUT', `/v1/work-items/${enc(f.ref)}`, { url: 'javascript:alert(1)' }, 400, 'body.url'],
    ['assignees not a list', 'PUT', `/v1/work-items/${enc(f.ref)}`, { assignees: 'maxm' }, 400, 'body.assignees'],
    ['negative estimate', 'PUT', `/v1/work-items/${enc(f.ref)}`, { estimate: -3 }, 400, 'body.estimate'],
    ['NUL in a state', 'PUT', `/v1/work-items/${enc(f.ref)}`, { state: NUL }, 400, 'body.state'],
    ['link without objective', 'POST', '/v1/links', { ref: f.ref }, 400, 'body.objectiveId'],
    [
      'link with a bad reference',
      'POST',
      '/v1/links',
      { ref: 'asana:app.asana.com/abc', objectiveId: f.objective.id },
      400,
      'body.ref',
    ],
    [
      'link to an objective of no one',
      'POST',
      '/v1/links',
      { ref: f.ref, objectiveId: missingId },
      422,
      'body.objectiveId',
    ],
    [
      'link weight zero',
      'POST',
      '/v1/links',
      { ref: f.ref, objectiveId: f.objective.id, weight: 0 },
      400,
      'body.weight',
    ],
    ['end a link that does not exist', 'DELETE', `/v1/links/${missingId}`, undefined, 404, null],
    ['links filter state unknown', 'GET', '/v1/links?state=deleted', undefined, 400, 'query.state'],
    ['objectives filter unknown', 'GET', '/v1/objectives?colour=red', undefined, 400, 'query'],
    ['objectives owner not a UUID', 'GET', '/v1/objectives?owner=bob', undefined, 400, 'query.owner'],
    ['coverage window unreadable', 'GET', '/v1/coverage?window=seven', undefined, 400, 'query.window'],
    ['coverage window too long', 'GET', '/v1/coverage?window=999d', undefined, 400, 'query.window'],
    ['coverage weeks out of range', 'GET', '/v1/coverage?weeks=0', undefined, 400, 'query.weeks'],
    ['my coverage weeks out of range', 'GET', '/v1/me/coverage?weeks=99', undefined, 400, 'query.weeks'],
    ['my coverage unknown parameter', 'GET', '/v1/me/coverage?person=someone', undefined, 400, 'query'],
    ['coverage of no one', 'GET', `/v1/coverage?person=${missingId}`, undefined, 404, null],
    ['review of no period', 'GET', '/v1/review?period=1999-Q1', undefined, 404, null],
    ['review weeks not a number', 'GET', '/v1/review?weeks=many', undefined, 400, 'query.weeks'],
    ['decision of an unknown kind', 'POST', '/v1/review/decisions', { kind: 'pray', summary: 'x' }, 400, 'body.kind'],
    ['decision without summary', 'POST', '/v1/review/decisions', { kind: 'unblock' }, 400, 'body.summary'],
    [
      'decision owner of no one',
      'POST',
      '/v1/review/decisions',
      { kind: 'unblock', summary: 'x', ownerId: missingId },
      422,
      'body.ownerId',
    ],
    [
      'held review with a decision of an unknown kind',
      'POST',
      '/v1/reviews',
      {
        decisions: [
          { kind: 'unblock', summary: 'x' },
          { kind: 'pray', summary: 'x' },
        ],
      },
      400,
      'body.decisions.1.kind',
    ],
    [
      'held review with a decision owned by no one',
      'POST',
      '/v1/reviews',
      { decisions: [{ kind: 'unblock', summary: 'x', ownerId: missingId }] },
      422,
      'body.decisions.0.ownerId',
    ],
    ['held review of no period', 'POST', '/v1/reviews', { periodId: missingId }, 422, 'body.periodId'],
    ['held reviews limit too high', 'GET', '/v1/reviews?limit=1000', undefined, 400, 'query.limit'],
    ['team name blank', 'POST', '/v1/teams', { name: '' }, 400, 'body.name'],
    ['team name taken', 'POST', '/v1/teams', { name: 'Payments' }, 409, null],
    ['user email invalid', 'POST', '/v1/users', { name: 'x', email: 'not-an-email' }, 400, 'body.email'],
    ['user role unknown', 'POST', '/v1/users', { name: 'x', role: 'owner' }, 400, 'body.role'],
    ['token name missing', 'POST', '/v1/tokens', {}, 400, 'body.name'],
    ['revoke a token id that is not a UUID', 'DELETE', '/v1/tokens/123', undefined, 400, 'path.id'],
    [
      'threshold out of range',
      'PATCH',
      '/v1/workspace',
      { thresholds: { allocationDriftWarn: 2 } },
      400,
      'body.thresholds.allocationDriftWarn',
    ],
    ['identity too long', 'PATCH', '/v1/me', { githubLogin: long }, 400, 'body.githubLogin'],
    ['import format unknown', 'POST', '/v1/objectives/import', { format: 'xlsx', content: '' }, 400, 'body.format'],
    [
      'import with a bad row',
      'POST',
      '/v1/objectives/import',
      { format: 'csv', content: 'title,period,priority\nA,2026-Q4,high\n' },
      422,
      'row 2.priority',
    ],
    ['export format unknown', 'GET', '/v1/objectives/export?format=pdf', undefined, 400, 'query.format'],
  ];

  test.each(cases)('%s: %s %s', async (_name, method, path, body, status, field) => {
    const before = await snapshotWorkspace(api.db, ws.id);
    const res = await api.call(method, path, {
      token: ws.adminToken,
      ...(typeof body === 'string' ? { rawBody: body } : { body }),
    });
    expect(res.status).toBe(status);
    expect(res.body.error.message).toEqual(expect.any(String));
    expect(res.body.error.message.length).toBeGreaterThan(5);
    if (field) expect(res.body.error.issues[0].path).toBe(field);
    expect(await snapshotWorkspace(api.db, ws.id)).toBe(before);
  });

  test('a body over the limit is refused with 413 before it is read', async () => {
    const before = await snapshotWorkspace(api.db, ws.id);
    const res = await api.call('PUT', `/v1/work-items/${enc(f.ref)}`, {
      token: ws.adminToken,
      rawBody: JSON.stringify({ title: 'x'.repeat(3 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(await snapshotWorkspace(api.db, ws.id)).toBe(before);
  });
});

describe('over a real socket, what the HTTP parser refuses is a JSON error too', () => {
  let server: RunningServer;
  // The database is the tests' own; the data directory holds only the server's key.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'throughline-socket-'));
  beforeAll(async () => {
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      databaseUrl: inject('databaseUrl'),
      log: () => {},
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const port = () => Number(new URL(server.url).port);
  const send = (path: string, headers: Record<string, string>, method = 'GET') =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: port(), path, method, headers, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      });
      req.on('error', reject);
      req.end();
    });

  test.each([
    ['a 20 KB header', '/v1/me', { 'x-padding': 'p'.repeat(20_000) }, 431, 'headers_too_large'],
    [
      'a 17,000-character Idempotency-Key',
      '/v1/links',
      { 'idempotency-key': 'k'.repeat(17_000) },
      431,
      'headers_too_large',
    ],
    ['a 40 KB cookie', '/v1/me', { cookie: `c=${'v'.repeat(40_000)}` }, 431, 'headers_too_large'],
    ['a 100 KB Authorization', '/v1/me', { authorization: `Bearer ${'a'.repeat(100_000)}` }, 431, 'headers_too_large'],
    ['a 10 KB URL', `/v1/objectives?q=${'u'.repeat(10_000)}`, {}, 414, 'uri_too_long'],
    ['a 17 KB URL', `/v1/objectives?q=${'u'.repeat(17_000)}`, {}, 414, 'uri_too_long'],
    ['a 100 KB URL', `/v1/objectives?q=${'u'.repeat(100_000)}`, {}, 414, 'uri_too_long'],
  ])('%s', async (_name, path, headers, status, code) => {
    const res = await send(path, headers, path === '/v1/links' ? 'POST' : 'GET');
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: { code, message: expect.stringMatching(/too long|too large/), issues: [] } });
  });

  test('bytes that are not HTTP get a 400 JSON error', async () => {
    const socket = connect(port(), '127.0.0.1');
    socket.write('HELLO WORLD\r\n\r\n');
    const text = await new Promise<string>((resolve, reject) => {
      let got = '';
      socket.on('data', (chunk) => (got += chunk));
      socket.on('end', () => resolve(got));
      socket.on('error', reject);
    });
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(text.split('\r\n\r\n')[1] as string).error.code).toBe('bad_request');
  });

  /** Everything `socket` receives until the server ends it, whatever the client still sends meanwhile. */
  const received = (socket: ReturnType<typeof connect>) =>
    new Promise<string>((resolve) => {
      let got = '';
      socket.on('data', (chunk) => (got += chunk));
      socket.on('error', () => {});
      socket.on('end', () => resolve(got));
      socket.on('close', () => resolve(got));
    });

  test('a URL past 16 KB that reaches the server in two TCP segments is refused with 414, or 431 (as the README says)', async () => {
    const socket = connect({ port: port(), host: '127.0.0.1', allowHalfOpen: true });
    const answer = received(socket);
    socket.write(`GET /v1/objectives?q=${'u'.repeat(10_000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.write(`${'u'.repeat(90_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    const text = await answer;
    socket.destroy();
    const status = Number(text.match(/^HTTP\/1\.1 (\d{3}) /)?.[1]);
    expect([414, 431]).toContain(status);
    const { code, message } = JSON.parse(text.split('\r\n\r\n')[1] as string).error;
    expect(code).toBe(status === 414 ? 'uri_too_long' : 'headers_too_large');
    expect(message).toMatch(/too long|too large/);
  });

  test('a refused client that keeps trickling bytes is closed at a deadline, however often it sends', async () => {
    const socket = connect({ port: port(), host: '127.0.0.1', allowHalfOpen: true });
    const answer = received(socket);
    const closed = new Promise<'closed'>((resolve) => socket.once('close', () => resolve('closed')));
    socket.write('HELLO WORLD\r\n\r\n');
    // A byte every 200 ms, well within the 2 s the server gives a refused client to finish sending.
    const trickle = setInterval(() => socket.writable && socket.write('x'), 200);
    let bound: NodeJS.Timeout | undefined;
    // Ten times that deadline: the test asserts that it closes, not how fast.
    const stillOpen = new Promise<'still open'>((resolve) => (bound = setTimeout(() => resolve('still open'), 20_000)));
    const outcome = await Promise.race([closed, stillOpen]);
    clearInterval(trickle);
    clearTimeout(bound);
    socket.destroy();
    expect(outcome).toBe('closed');
    expect(await answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  }, 30_000);

  test('a client still sending a 300 KB header when refused gets the answer and a clean close, not a reset', async () => {
    const socket = connect({ port: port(), host: '127.0.0.1', allowHalfOpen: true });
    const request = Buffer.from(
      `GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(300_000)}\r\n\r\n`,
    );
    const outcome = new Promise<{ text: string; error: string | null }>((resolve) => {
      let got = '';
      socket.on('data', (chunk) => (got += chunk));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve({ text: got, error: error.code ?? error.message }));
      socket.on('close', () => resolve({ text: got, error: null }));
    });
    // As a slow client does: 16 KB at a time, carrying on after the answer has come.
    for (let offset = 0; offset < request.length && !socket.destroyed; offset += 16_384) {
      socket.write(request.subarray(offset, offset + 16_384));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    socket.end();
    const { text, error } = await outcome;
    expect(error).toBeNull();
    expect(text).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(JSON.parse(text.split('\r\n\r\n')[1] as string).error.code).toBe('headers_too_large');
  });
});
