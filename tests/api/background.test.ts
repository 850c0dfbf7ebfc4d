/**
 * The extension's background logic (lib/extension/background/) against the real goals API in-process:
 * who may ask what, the token kept from pages, and the offline queue delivering exactly once.
 */

import { describe, expect, test, vi } from 'vitest';
import { refreshBadge } from '../../lib/extension/background/badge';
import type { BackgroundDeps } from '../../lib/extension/background/deps';
import { handleMessage, importWithProgress, type Settings } from '../../lib/extension/background/handlers';
import { flushQueue } from '../../lib/extension/background/queue';
import type { Badge, BadgeMode } from '../../lib/extension/badge';
import type { CustomDomain } from '../../lib/extension/custom-domains';
import type { ContextIndex, KnownContext } from '../../lib/extension/last-contexts';
import { lockedQueue, type QueuedLink } from '../../lib/extension/link-queue';
import type { ImportPortMessage } from '../../lib/extension/messages';
import type { Source } from '../../lib/shared/contract';
import { enc, setupApi, type TestWorkspace } from '../support/api';
import { seedBasics } from '../support/fixtures';

const api = setupApi();
const EXTENSION = { id: 'throughline-test', origin: 'chrome-extension://throughline-test' };
const GITHUB_TAB = {
  id: EXTENSION.id,
  url: 'https://github.com/acme/payments/issues/42',
  tab: { url: 'https://github.com/acme/payments/issues/42' },
};
const OPTIONS_PAGE = {
  id: EXTENSION.id,
  url: `${EXTENSION.origin}/options.html`,
  tab: { url: `${EXTENSION.origin}/options.html` },
};

function background(ws: TestWorkspace, options: { down?: () => boolean; token?: string } = {}) {
  let settings: Settings = { apiUrl: 'http://api.test', token: options.token ?? ws.memberToken };
  let queue: QueuedLink[] = [];
  let domains: CustomDomain[] = [];
  let badgeMode: BadgeMode = 'coverage';
  const badges: Badge[] = [];
  let seen: Partial<Record<Source, string>> = {};
  let contextIndex: ContextIndex = {};
  const knownContexts = new Map<string, KnownContext>();
  let ids = 0;
  const deps: BackgroundDeps = {
    extensionId: EXTENSION.id,
    extensionOrigin: EXTENSION.origin,
    readSettings: async () => settings,
    writeSettings: async (next) => {
      settings = next;
    },
    queue: lockedQueue({
      read: async () => queue,
      write: async (next) => {
        queue = next;
      },
    }),
    canReach: async () => true,
    isBuiltInHost: (url) => url.startsWith('https://github.com/'),
    customDomains: {
      read: async () => domains,
      write: async (next) => {
        domains = next;
      },
      register: async () => {},
      unregister: async () => {},
      revoke: async () => {},
    },
    // The real app, in-process; "down" refuses the connection as a stopped server would.
    fetch: async (input, init) => {
      if (options.down?.()) throw new TypeError('Failed to fetch');
      const url = new URL(String(input instanceof Request ? input.url : input));
      return api.app.request(`${url.pathname}${url.search}`, init);
    },
    newId: () => `key-${++ids}-${Math.random()}`,
    now: () => Date.now(),
    badge: {
      mode: async () => badgeMode,
      setMode: async (mode) => {
        badgeMode = mode;
      },
      show: async (badge) => {
        badges.push(badge);
      },
      shownAt: async () => 0,
    },
    seenIdentities: {
      read: async () => seen,
      write: async (next) => {
        seen = next;
      },
    },
    lastContexts: {
      readIndex: async () => contextIndex,
      writeIndex: async (next) => {
        contextIndex = next;
      },
      read: async (ref) => knownContexts.get(ref) ?? null,
      write: async (ref, known) => {
        if (known) knownContexts.set(ref, known);
        else knownContexts.delete(ref);
      },
    },
    openOptions: async () => {},
    openGoals: async () => {},
  };
  return { deps, settings: () => settings, queue: () => queue, badges };
}

describe('who may ask what', () => {
  test('messages from another extension or a web page are refused', async () => {
    const ws = await api.workspace();
    const { deps } = background(ws);
    for (const sender of [
      { id: 'someone-else', url: GITHUB_TAB.url, tab: GITHUB_TAB.tab },
      { url: 'https://evil.example/' },
    ]) {
      const reply = await handleMessage(deps, { type: 'objectives:open' }, sender);
      expect(reply).toEqual({ ok: false, problem: expect.objectContaining({ kind: 'invalid' }) });
    }
  });

  test('a content script on a page that is not a supported host is refused', async () => {
    const ws = await api.workspace();
    const { deps } = background(ws);
    const reply = await handleMessage(
      deps,
      { type: 'objectives:open' },
      { id: EXTENSION.id, url: 'https://evil.example/', tab: { url: 'https://evil.example/' } },
    );
    expect(reply.ok).toBe(false);
  });

  test('a ticket page cannot change the settings or the token, nor read them', async () => {
    const ws = await api.workspace();
    const { deps, settings } = background(ws);
    const before = settings();
    for (const message of [
      { type: 'settings:set', apiUrl: 'https://evil.example', token: 'tl_stolen' },
      { type: 'settings:get' },
      { type: 'domains:add', origin: 'https://evil.example', kind: 'jira' },
    ]) {
      const reply = await handleMessage(deps, message, GITHUB_TAB);
      expect(reply).toEqual({
        ok: false,
        problem: { kind: 'invalid', message: 'Settings change only from the extension’s own pages.' },
      });
    }
    expect(settings()).toEqual(before);
  });

  test('the extension’s own pages learn whether a token is set, never the token', async () => {
    const ws = await api.workspace();
    const { deps } = background(ws);
    const reply = await handleMessage(deps, { type: 'settings:get' }, OPTIONS_PAGE);
    expect(reply).toEqual({ ok: true, data: { apiUrl: 'http://api.test', hasToken: true } });
    expect(JSON.stringify(reply)).not.toContain(ws.memberToken);
  });

  test('malformed messages are refused with a reason', async () => {
    const ws = await api.workspace();
    const { deps } = background(ws);
    for (const message of [
      null,
      'context:get',
      { type: 'context:get', ref: 'not a ref' },
      { type: 'fetch', url: 'https://x' },
    ]) {
      const reply = await handleMessage(deps, message, GITHUB_TAB);
      expect(reply).toEqual({ ok: false, problem: { kind: 'invalid', message: 'Unknown or malformed message.' } });
    }
  });
});

describe('talking to the API', () => {
  test('a ticket’s context, and the problems a person can act on', async () => {
    const ws = await api.workspace();
    const { ref } = await seedBasics(api.call, ws);
    const reply = await handleMessage(background(ws).deps, { type: 'context:get', ref }, GITHUB_TAB);
    expect(reply).toMatchObject({ ok: true, data: { context: { ref, verdict: 'unaligned' }, pending: [] } });

    const revoked = await handleMessage(
      background(ws, { token: `tl_${'x'.repeat(43)}` }).deps,
      { type: 'context:get', ref },
      GITHUB_TAB,
    );
    expect(revoked).toMatchObject({ ok: false, problem: { kind: 'revoked' } });
    const signedOut = await handleMessage(background(ws, { token: '' }).deps, { type: 'context:get', ref }, GITHUB_TAB);
    expect(signedOut).toMatchObject({ ok: false, problem: { kind: 'signed_out' } });
    const down = await handleMessage(
      background(ws, { down: () => true }).deps,
      { type: 'context:get', ref },
      GITHUB_TAB,
    );
    expect(down).toMatchObject({ ok: false, problem: { kind: 'unreachable' } });
  });

  test('offline, a ticket read before shows what was known, with when; one never read says the API is down', async () => {
    const ws = await api.workspace();
    const { ref } = await seedBasics(api.call, ws);
    let offline = false;
    const { deps } = background(ws, { down: () => offline });
    const online = await handleMessage(deps, { type: 'context:get', ref }, GITHUB_TAB);
    expect(online).toMatchObject({ ok: true, data: { context: { ref } } });
    expect((online as { data: { asOf?: number } }).data.asOf).toBeUndefined();
    await expect.poll(async () => Object.keys(await deps.lastContexts.readIndex())).toEqual([ref]);

    offline = true;
    const known = await handleMessage(deps, { type: 'context:get', ref }, GITHUB_TAB);
    expect(known).toMatchObject({ ok: true, data: { context: { ref, verdict: 'unaligned' }, pending: [] } });
    expect((known as { data: { asOf: number } }).data.asOf).toBe((await deps.lastContexts.read(ref))?.at);
    const never = await handleMessage(deps, { type: 'context:get', ref: 'github:github.com/acme/other#1' }, GITHUB_TAB);
    expect(never).toMatchObject({
      ok: false,
      problem: {
        kind: 'unreachable',
        message:
          'The goals API at http://api.test could not be reached: this device may be offline, or the server down.',
      },
    });
  });

  test('a link refused by the API comes back as refused, with its reason, and nothing is queued', async () => {
    const ws = await api.workspace();
    const { ref } = await seedBasics(api.call, ws);
    const { deps, queue } = background(ws);
    const reply = await handleMessage(
      deps,
      { type: 'link:create', ref, objectiveId: '00000000-0000-4000-8000-000000000000' },
      GITHUB_TAB,
    );
    expect(reply).toMatchObject({
      ok: false,
      problem: { kind: 'refused', message: 'body.objectiveId: no such objective in this workspace' },
    });
    expect(queue()).toEqual([]);
  });

  test('links made while the API is down are queued, and arrive exactly once when it is back', async () => {
    const ws = await api.workspace();
    const { ref, objective, period } = await seedBasics(api.call, ws);
    const other = (
      await api.call('POST', '/v1/objectives', { token: ws.adminToken, body: { title: 'Other', periodId: period.id } })
    ).body;
    let down = true;
    const { deps, queue } = background(ws, { down: () => down });
    for (const objectiveId of [objective.id, other.id]) {
      const reply = await handleMessage(deps, { type: 'link:create', ref, objectiveId }, GITHUB_TAB);
      expect(reply).toMatchObject({ ok: true, data: { status: 'queued' } });
    }
    expect(queue()).toHaveLength(2);
    expect(await flushQueue(deps)).toEqual({ sent: 0, refused: 0, left: 2 });

    down = false;
    // Two flushes at once (an alarm and a page view): the idempotency keys keep it to one link each.
    const [first, second] = await Promise.all([flushQueue(deps), flushQueue(deps)]);
    expect(first.sent + second.sent).toBeGreaterThanOrEqual(2);
    expect(queue()).toEqual([]);
    const links = await api.call('GET', `/v1/links?ref=${enc(ref)}&state=all`, { token: ws.memberToken });
    expect(links.body.links.map((l: { objectiveId: string }) => l.objectiveId).sort()).toEqual(
      [objective.id, other.id].sort(),
    );
    expect(await flushQueue(deps)).toEqual({ sent: 0, refused: 0, left: 0 });
  });
});

describe('the extension’s pages call the goals API by name, through the background', () => {
  const call = (deps: BackgroundDeps, name: string, input?: unknown, sender = OPTIONS_PAGE) =>
    handleMessage(deps, { type: 'api', call: name, input }, sender);

  test('a page creates an objective and reads it back; a ticket page may not call at all', async () => {
    const ws = await api.workspace();
    const { period } = await seedBasics(api.call, ws);
    const { deps } = background(ws, { token: ws.adminToken });
    const made = await call(deps, 'createObjective', { title: 'Win the mid-market', periodId: period.id });
    expect(made).toMatchObject({ ok: true, data: { title: 'Win the mid-market', status: 'active' } });
    const listed = await call(deps, 'objectives', { q: 'mid-market' });
    expect(listed).toMatchObject({ ok: true, data: { objectives: [{ title: 'Win the mid-market' }] } });
    const fromTicket = await call(deps, 'objectives', {}, GITHUB_TAB);
    expect(fromTicket).toMatchObject({ ok: false, problem: { kind: 'invalid' } });
  });

  test('bad input is refused before it reaches the API, naming the field; API refusals carry their issues', async () => {
    const ws = await api.workspace();
    const { deps } = background(ws, { token: ws.adminToken });
    const before = await api.call('GET', '/v1/objectives', { token: ws.adminToken });
    const bad = await call(deps, 'createObjective', { title: '', periodId: 'nope' });
    expect(bad).toMatchObject({ ok: false, problem: { kind: 'invalid' } });
    expect(bad.ok || bad.problem.issues?.map((i) => i.path).sort()).toEqual(['periodId', 'title']);
    expect(await call(deps, 'dropDatabase', {})).toMatchObject({ ok: false, problem: { kind: 'invalid' } });
    const refused = await call(deps, 'importObjectives', {
      format: 'csv',
      content: 'objective,period,priority\nShip it,1999-Q1,high\n',
      dryRun: true,
    });
    expect(refused).toMatchObject({ ok: false, problem: { kind: 'refused' } });
    expect(refused.ok || refused.problem.issues?.[0]?.path).toMatch(/^row 2\./);
    const after = await api.call('GET', '/v1/objectives', { token: ws.adminToken });
    expect(after.body).toEqual(before.body);
  });

  test('the badge shows coverage or the unlinked count, as chosen, and follows a link', async () => {
    const ws = await api.workspace();
    const { objective } = await seedBasics(api.call, ws);
    const { deps, badges } = background(ws, { token: ws.memberToken });
    const ref = 'github:github.com/acme/payments#42';
    await handleMessage(
      deps,
      { type: 'item:record', ref, record: { title: 'Retry failed payouts', assignees: ['maxm'], estimate: 3 } },
      GITHUB_TAB,
    );
    await call(deps, 'updateIdentities', { githubLogin: 'maxm' });
    await refreshBadge(deps);
    expect(badges.at(-1)).toMatchObject({ text: '0%' });
    expect(await handleMessage(deps, { type: 'badge:set', mode: 'unlinked' }, OPTIONS_PAGE)).toEqual({
      ok: true,
      data: null,
    });
    expect(badges.at(-1)).toMatchObject({ text: '1' });
    await handleMessage(deps, { type: 'link:create', ref, objectiveId: objective.id }, GITHUB_TAB);
    await vi.waitFor(() => expect(badges.at(-1)).toMatchObject({ text: '0' }));
    expect(await handleMessage(deps, { type: 'badge:set', mode: 'unlinked' }, GITHUB_TAB)).toMatchObject({
      ok: false,
    });

    // Another token saved: the badge follows the new person at once.
    const shown = badges.length;
    await handleMessage(deps, { type: 'settings:set', apiUrl: 'http://api.test', token: ws.adminToken }, OPTIONS_PAGE);
    await vi.waitFor(() => expect(badges.length).toBeGreaterThan(shown));
    expect(badges.at(-1)).toMatchObject({ text: '0' });
  });

  test('a name seen signed in on a page fills an empty identity once, and never overwrites one', async () => {
    const ws = await api.workspace();
    const { deps } = background(ws, { token: ws.adminToken });
    const seen = (source: Source, name: string) =>
      handleMessage(deps, { type: 'identity:seen', source, name }, GITHUB_TAB);
    await api.call('PATCH', '/v1/me', { token: ws.adminToken, body: { githubLogin: null, jiraName: 'Ada A.' } });
    await seen('github', 'ada-gh');
    await seen('jira', 'Ada from the page');
    await seen('jira', '5b10ac8d82e05b22cc7d4ef5');
    const me = await api.call('GET', '/v1/me', { token: ws.adminToken });
    expect(me.body.user.identities).toMatchObject({
      githubLogin: 'ada-gh',
      jiraName: 'Ada A.',
      jiraAccountId: '5b10ac8d82e05b22cc7d4ef5',
    });

    // A self-hosted server's page may not say who the person is.
    await api.call('PATCH', '/v1/me', { token: ws.adminToken, body: { asanaName: null } });
    deps.isBuiltInHost = () => false;
    await deps.customDomains.write([{ origin: 'https://jira.acme-corp.example', kind: 'jira' }]);
    const selfHosted = { id: EXTENSION.id, url: 'https://jira.acme-corp.example/browse/X-1', tab: {} };
    expect(await handleMessage(deps, { type: 'identity:seen', source: 'asana', name: 'Mallory' }, selfHosted)).toEqual({
      ok: true,
      data: null,
    });
    expect((await api.call('GET', '/v1/me', { token: ws.adminToken })).body.user.identities.asanaName).toBeNull();
  });
});

describe('imports from the goals page, with progress', () => {
  test('the page hears the progress of a large file, then the result; a ticket page may not import', async () => {
    const ws = await api.workspace();
    await seedBasics(api.call, ws);
    const { deps } = background(ws, { token: ws.adminToken });
    const rows = Array.from({ length: 120 }, (_, i) => `objective,Objective ${i},2026-Q4,1`);
    const content = ['type,title,period,priority', ...rows].join('\n');
    const heard: ImportPortMessage[] = [];
    await importWithProgress(deps, OPTIONS_PAGE, { format: 'csv', content }, (m) => heard.push(m));
    const progress = heard.flatMap((m) => ('progress' in m ? [m.progress.done] : []));
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)).toBe(120);
    expect(heard.at(-1)).toEqual({ reply: { ok: true, data: expect.objectContaining({ created: 120 }) } });

    const fromTicket: ImportPortMessage[] = [];
    await importWithProgress(deps, GITHUB_TAB, { format: 'csv', content }, (m) => fromTicket.push(m));
    expect(fromTicket).toEqual([{ reply: { ok: false, problem: expect.objectContaining({ kind: 'invalid' }) } }]);
    const malformed: ImportPortMessage[] = [];
    await importWithProgress(deps, OPTIONS_PAGE, { format: 'xls', content }, (m) => malformed.push(m));
    expect(malformed).toEqual([
      {
        reply: {
          ok: false,
          problem: expect.objectContaining({ kind: 'invalid', message: expect.stringContaining('format') }),
        },
      },
    ]);
    const objectives = await api.call('GET', '/v1/objectives', { token: ws.adminToken });
    expect(objectives.body.objectives).toHaveLength(121);
  });
});
