/**
 * The background's part of rollout (lib/extension/background/) against the real API in-process: an
 * organisation's policy over the person's settings, and the published host selectors it caches.
 */
import { describe, expect, test } from 'vitest';
import type { BackgroundDeps } from '../../lib/extension/background/deps';
import { syncDomainScripts } from '../../lib/extension/background/domains';
import { handleMessage, type Settings } from '../../lib/extension/background/handlers';
import { HOST_SELECTORS_MAX_AGE_MS, HOST_SELECTORS_RETRY_MS } from '../../lib/extension/background/host-selectors';
import type { CustomDomain } from '../../lib/extension/custom-domains';
import { lockedQueue } from '../../lib/extension/link-queue';
import { setupApi, type TestWorkspace } from '../support/api';

const api = setupApi();
const API_URL = 'http://api.test';
const EXTENSION = { id: 'throughline-test', origin: 'chrome-extension://throughline-test' };
const OPTIONS_PAGE = { id: EXTENSION.id, url: `${EXTENSION.origin}/options.html` };
const tab = (url: string) => ({ id: EXTENSION.id, url, tab: { url } });
const JIRA_TAB = tab('https://acme.atlassian.net/browse/PAY-1');
const SELF_HOSTED = 'https://jira.acme.example';
const MOVED = 'h1[data-testid="issue-view-summary.heading-2027"]';

function background(options: { saved?: Settings | null; policy?: unknown; allowed?: (origin: string) => boolean }) {
  let saved = options.saved ?? null;
  let own: CustomDomain[] = [];
  const registered = new Set<string>();
  let clock = 1_000_000;
  const fetched: string[] = [];
  let down = false;
  const deps: BackgroundDeps = {
    extensionId: EXTENSION.id,
    extensionOrigin: EXTENSION.origin,
    readSettings: async () => saved,
    writeSettings: async (next) => {
      saved = next;
    },
    readPolicy: async () => options.policy ?? {},
    queue: lockedQueue({ read: async () => [], write: async () => {} }),
    canReach: async (origin) => options.allowed?.(origin) ?? true,
    isBuiltInHost: (url) => url.startsWith('https://acme.atlassian.net/'),
    customDomains: {
      read: async () => own,
      write: async (next) => {
        own = next;
      },
      register: async (domain) => {
        registered.add(domain.origin);
      },
      unregister: async (origin) => {
        registered.delete(origin);
      },
      revoke: async () => {},
      registered: async () => [...registered],
    },
    fetch: async (input, init) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      if (url.origin !== API_URL || down) throw new TypeError('Failed to fetch');
      fetched.push(url.pathname);
      return api.app.request(`${url.pathname}${url.search}`, init);
    },
    newId: () => crypto.randomUUID(),
    now: () => clock,
    badge: { mode: async () => 'coverage', setMode: async () => {}, show: async () => {}, shownAt: async () => clock },
    seenIdentities: { read: async () => ({}), write: async () => {} },
    lastContexts: {
      readIndex: async () => ({}),
      writeIndex: async () => {},
      read: async () => null,
      write: async () => {},
    },
    openOptions: async () => {},
    openGoals: async () => {},
  };
  return {
    deps,
    saved: () => saved,
    own: () => own,
    registered,
    fetched,
    tick: (ms: number) => {
      clock += ms;
    },
    goDown: () => {
      down = true;
    },
    send: (message: unknown, sender: object = OPTIONS_PAGE) => handleMessage(deps, message, sender),
  };
}

async function publish(ws: TestWorkspace, body: unknown) {
  expect((await api.call('PUT', '/v1/host-selectors', { token: ws.adminToken, body })).status).toBe(200);
}

describe('an organisation’s policy', () => {
  test('locked: its API and token are used over the person’s; changing them is refused and saves nothing', async () => {
    const ws = await api.workspace();
    const b = background({
      saved: { apiUrl: 'https://elsewhere.example', token: 'tl_elsewhere' },
      policy: { apiUrl: API_URL, token: ws.memberToken, locked: true },
    });
    expect(await b.send({ type: 'settings:get' })).toEqual({ ok: true, data: { apiUrl: API_URL, hasToken: true } });
    expect(await b.send({ type: 'connection:test' })).toMatchObject({
      ok: true,
      data: { user: { name: 'Max Member' } },
    });
    const refused = await b.send({ type: 'settings:set', apiUrl: 'https://elsewhere.example', token: 'tl_x' });
    expect(refused).toEqual({
      ok: false,
      problem: {
        kind: 'invalid',
        message: `Your organisation set the goals API URL to ${API_URL}: it cannot be changed here.`,
      },
    });
    expect(b.saved()).toEqual({ apiUrl: 'https://elsewhere.example', token: 'tl_elsewhere' });
    const view = await b.send({ type: 'policy:get' });
    expect(view).toEqual({
      ok: true,
      data: {
        managed: true,
        locked: true,
        apiUrl: API_URL,
        token: true,
        domains: [],
        problems: [],
        apiUrlFrom: 'policy',
        tokenFrom: 'policy',
      },
    });
    expect(JSON.stringify(view)).not.toContain(ws.memberToken);
  });

  test('unlocked: the person’s settings replace its defaults', async () => {
    const ws = await api.workspace();
    const b = background({ policy: { apiUrl: 'https://goals.org.example', token: 'tl_org' } });
    expect(await b.send({ type: 'settings:get' })).toEqual({
      ok: true,
      data: { apiUrl: 'https://goals.org.example', hasToken: true },
    });
    expect(await b.send({ type: 'settings:set', apiUrl: API_URL, token: ws.memberToken })).toEqual({
      ok: true,
      data: null,
    });
    expect(await b.send({ type: 'connection:test' })).toMatchObject({ ok: true });
  });

  test('a token saved for one server is never kept for another: saving another API without a token clears it', async () => {
    const ws = await api.workspace();
    const elsewhere = 'https://elsewhere.example';
    // No policy: the person moves to another API and leaves the token field empty.
    const moved = background({ saved: { apiUrl: elsewhere, token: 'tl_elsewhere' } });
    expect(await moved.send({ type: 'settings:set', apiUrl: API_URL })).toEqual({ ok: true, data: null });
    expect(moved.saved()).toEqual({ apiUrl: API_URL, token: '' });
    expect(await moved.send({ type: 'settings:get' })).toEqual({
      ok: true,
      data: { apiUrl: API_URL, hasToken: false },
    });
    // Another path on the same server keeps it.
    const samePlace = background({ saved: { apiUrl: API_URL, token: ws.memberToken } });
    await samePlace.send({ type: 'settings:set', apiUrl: `${API_URL}/goals` });
    expect(samePlace.saved()).toEqual({ apiUrl: `${API_URL}/goals`, token: ws.memberToken });

    // A policy gives the API (unlocked, or locked without a token): “Save and test” with the token
    // field empty must not pair the policy's server with the token saved for another.
    for (const policy of [{ apiUrl: API_URL }, { apiUrl: API_URL, locked: true }]) {
      const b = background({ saved: { apiUrl: elsewhere, token: 'tl_elsewhere' }, policy });
      expect(await b.send({ type: 'settings:set', apiUrl: API_URL })).toEqual({ ok: true, data: null });
      expect(b.saved()).toEqual({ apiUrl: API_URL, token: '' });
      expect(await b.send({ type: 'settings:get' })).toEqual({ ok: true, data: { apiUrl: API_URL, hasToken: false } });
      const sent: (string | null)[] = [];
      const fetch = b.deps.fetch;
      b.deps.fetch = async (input, init) => {
        sent.push(new Headers(init?.headers).get('authorization'));
        return fetch(input, init);
      };
      expect(await b.send({ type: 'connection:test' })).toMatchObject({ ok: false, problem: { kind: 'signed_out' } });
      expect(sent).toEqual([]);
    }
  });

  test('its domains are ticket pages, get their script once allowed, and cannot be removed by the person', async () => {
    const ws = await api.workspace();
    let allowed = false;
    const b = background({
      saved: { apiUrl: API_URL, token: ws.memberToken },
      policy: { customDomains: [{ origin: SELF_HOSTED, kind: 'jira' }] },
      allowed: (origin) => origin !== SELF_HOSTED || allowed,
    });
    // A page of the policy's domain may talk to the background; another self-hosted page may not.
    const seen = { type: 'identity:seen', source: 'jira', name: 'Max' };
    expect(await b.send(seen, tab(`${SELF_HOSTED}/browse/OPS-1`))).toEqual({ ok: true, data: null });
    expect(await b.send(seen, tab('https://other.example/browse/OPS-1'))).toEqual({
      ok: false,
      problem: { kind: 'invalid', message: 'This page is not a ticket page Throughline runs on.' },
    });

    await syncDomainScripts(b.deps);
    expect([...b.registered]).toEqual([]);
    expect(await b.send({ type: 'policy:get' })).toMatchObject({
      data: { domains: [{ origin: SELF_HOSTED, kind: 'jira', allowed: false }] },
    });
    allowed = true;
    await syncDomainScripts(b.deps);
    expect([...b.registered]).toEqual([SELF_HOSTED]);
    expect(b.own()).toEqual([]);

    expect(await b.send({ type: 'domains:remove', origin: SELF_HOSTED })).toEqual({
      ok: false,
      problem: { kind: 'invalid', message: `${SELF_HOSTED} is set by your organisation: it cannot be removed here.` },
    });
    expect([...b.registered]).toEqual([SELF_HOSTED]);
  });
});

describe('published host selectors', () => {
  test('a ticket page gets its host’s; cached, fetched again when old, or when a page shows no ticket', async () => {
    const ws = await api.workspace();
    await publish(ws, { jira: { title: [MOVED] } });
    const b = background({ saved: { apiUrl: API_URL, token: ws.memberToken } });
    const get = (source: string, fresh?: boolean) =>
      b.send({ type: 'selectors:get', source, ...(fresh && { fresh }) }, JIRA_TAB);

    expect(await get('jira')).toEqual({ ok: true, data: { title: [MOVED] } });
    expect(await get('github')).toEqual({ ok: true, data: null });
    expect(b.fetched).toEqual(['/v1/host-selectors']);

    await publish(ws, { jira: { title: ['.v2'] } });
    b.tick(HOST_SELECTORS_RETRY_MS - 1);
    expect(await get('jira', true)).toEqual({ ok: true, data: { title: [MOVED] } });
    b.tick(1);
    expect(await get('jira', true)).toEqual({ ok: true, data: { title: ['.v2'] } });
    expect(b.fetched).toHaveLength(2);

    await publish(ws, { jira: { title: ['.v3'] } });
    b.tick(HOST_SELECTORS_MAX_AGE_MS - 1);
    expect(await get('jira')).toEqual({ ok: true, data: { title: ['.v2'] } });
    b.tick(1);
    expect(await get('jira')).toEqual({ ok: true, data: { title: ['.v3'] } });

    // New settings (perhaps another workspace): fetched at once.
    await publish(ws, { jira: { title: ['.v4'] } });
    await b.send({ type: 'settings:set', apiUrl: API_URL, token: ws.adminToken });
    expect(await get('jira')).toEqual({ ok: true, data: { title: ['.v4'] } });
  });

  test('a newer server’s document (a field, host or pseudo-class this version does not know): what is valid is used', async () => {
    const ws = await api.workspace();
    const b = background({ saved: { apiUrl: API_URL, token: ws.memberToken } });
    const fetch = b.deps.fetch;
    b.deps.fetch = async (input, init) => {
      const answer = await fetch(input, init);
      if (!String(input).endsWith('/v1/host-selectors')) return answer;
      const body = await answer.json();
      const newer = {
        jira: { title: ['h1:future-pseudo', MOVED], summary: ['h1'] },
        github: { state: ['.State-2030'], sidebar: ['aside'] },
        gitlab: { title: ['h1'] },
      };
      return Response.json({ ...body, selectors: newer, labels: { jira: 'x' } });
    };
    const get = (source: string) => b.send({ type: 'selectors:get', source }, JIRA_TAB);
    expect(await get('jira')).toEqual({ ok: true, data: { title: [MOVED] } });
    expect(await get('github')).toEqual({ ok: true, data: { state: ['.State-2030'] } });
    expect(b.fetched).toEqual(['/v1/host-selectors']);
  });

  test('not connected, or the API unreachable: the built-in selectors (or the last published), never an error', async () => {
    const ws = await api.workspace();
    const signedOut = background({});
    expect(await signedOut.send({ type: 'selectors:get', source: 'jira' }, JIRA_TAB)).toEqual({ ok: true, data: null });
    expect(signedOut.fetched).toEqual([]);

    await publish(ws, { jira: { title: [MOVED] } });
    const b = background({ saved: { apiUrl: API_URL, token: ws.memberToken } });
    await b.send({ type: 'selectors:get', source: 'jira' }, JIRA_TAB);
    b.goDown();
    b.tick(HOST_SELECTORS_MAX_AGE_MS);
    expect(await b.send({ type: 'selectors:get', source: 'jira' }, JIRA_TAB)).toEqual({
      ok: true,
      data: { title: [MOVED] },
    });
    await b.send({ type: 'settings:set', apiUrl: 'https://down.example', token: ws.memberToken });
    expect(await b.send({ type: 'selectors:get', source: 'jira' }, JIRA_TAB)).toEqual({ ok: true, data: null });
  });

  test('only a content script on a ticket page, and only a well-formed request', async () => {
    const ws = await api.workspace();
    const b = background({ saved: { apiUrl: API_URL, token: ws.memberToken } });
    expect(await b.send({ type: 'selectors:get', source: 'jira' }, tab('https://evil.example/'))).toMatchObject({
      ok: false,
    });
    expect(await b.send({ type: 'selectors:get', source: 'gitlab' }, JIRA_TAB)).toMatchObject({ ok: false });
    expect(await b.send({ type: 'selectors:get', source: 'jira', fresh: 'yes' }, JIRA_TAB)).toMatchObject({
      ok: false,
    });
  });
});
