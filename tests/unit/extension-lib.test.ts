import { describe, expect, test } from 'vitest';
import { isOnCustomDomain, parseOrigin, scriptIdOf } from '../../lib/custom-domains';
import {
  enqueue,
  flush,
  type LockedQueue,
  lockedQueue,
  pendingFor,
  type QueuedLink,
  type QueueStore,
} from '../../lib/link-queue';
import { hostTheme, topBarBottom } from '../../lib/page-frame';

function memoryStore(initial: QueuedLink[] = []): LockedQueue & { items: () => QueuedLink[] } {
  let items = initial;
  // A storage that answers after a tick, as browser storage does, so interleavings can happen.
  const store: QueueStore = {
    read: async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return items;
    },
    write: async (next) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      items = next;
    },
  };
  return { ...lockedQueue(store), items: () => items };
}

const link = (id: string, ref = 'jira:acme.atlassian.net/PAY-1'): QueuedLink => ({
  id,
  ref,
  objectiveId: `objective-${id}`,
  keyResultId: null,
  queuedAt: 0,
});

describe('the offline link queue', () => {
  test('enqueue keeps one entry per idempotency key, and pendingFor filters by ticket', async () => {
    const store = memoryStore();
    await enqueue(store, link('a'));
    await enqueue(store, link('a'));
    await enqueue(store, link('b', 'github:github.com/o/r#1'));
    expect(store.items().map((l) => l.id)).toEqual(['a', 'b']);
    expect((await pendingFor(store, 'github:github.com/o/r#1')).map((l) => l.id)).toEqual(['b']);
  });

  test('flush sends in order, drops what was sent or refused, and stops at the first unreachable send', async () => {
    const store = memoryStore([link('a'), link('b'), link('c'), link('d')]);
    const outcomes = { a: 'sent', b: 'refused', c: 'unreachable', d: 'sent' } as const;
    const sent: string[] = [];
    const refused: string[] = [];
    const result = await flush(
      store,
      async (l) => {
        sent.push(l.id);
        return outcomes[l.id as keyof typeof outcomes];
      },
      (l) => refused.push(l.id),
    );
    expect(result).toEqual({ sent: 1, refused: 1, left: 2 });
    expect(sent).toEqual(['a', 'b', 'c']);
    expect(refused).toEqual(['b']);
    expect(store.items().map((l) => l.id)).toEqual(['c', 'd']);
  });

  test('a link queued while a flush is under way is kept', async () => {
    const store = memoryStore([link('a')]);
    await flush(store, async () => {
      await enqueue(store, link('late'));
      return 'sent';
    });
    expect(store.items().map((l) => l.id)).toEqual(['late']);
  });

  test('links queued at the same moment as a flush removes one are all kept', async () => {
    const store = memoryStore([link('a')]);
    const sending = flush(store, async () => 'sent');
    await Promise.all([enqueue(store, link('b')), enqueue(store, link('c')), sending]);
    expect(
      store
        .items()
        .map((l) => l.id)
        .sort(),
    ).toEqual(['b', 'c']);
  });
});

describe('self-hosted domains', () => {
  test.each([
    ['jira.acme.com', 'https://jira.acme.com'],
    ['https://jira.acme.com/secure/Dashboard.jspa', 'https://jira.acme.com'],
    ['http://jira.internal.example:8080/jira', 'http://jira.internal.example:8080'],
    ['  GHE.Example.COM  ', 'https://ghe.example.com'],
  ])('%s is read as %s', (input, origin) => {
    expect(parseOrigin(input)).toEqual({ ok: true, origin });
  });

  test.each([
    ['', 'Type the address of your Jira or GitHub Enterprise server.'],
    ['jira', '“jira” is not a full host name.'],
    ['ftp://jira.acme.com', 'The address must start with https:// (or http://).'],
    ['https://exa mple.com', '“https://exa mple.com” is not an address like jira.example.com.'],
  ])('%j is refused: %s', (input, reason) => {
    expect(parseOrigin(input)).toEqual({ ok: false, reason });
  });

  test('pages on an added domain are ticket pages; others are not', () => {
    const domains = [{ origin: 'https://jira.acme.com', kind: 'jira' as const }];
    expect(isOnCustomDomain('https://jira.acme.com/browse/OPS-1', domains)).toBe(true);
    expect(isOnCustomDomain('https://jira.acme.com.evil.example/browse/OPS-1', domains)).toBe(false);
    expect(isOnCustomDomain('http://jira.acme.com/browse/OPS-1', domains)).toBe(false);
    expect(isOnCustomDomain('not a url', domains)).toBe(false);
    expect(scriptIdOf('https://jira.acme.com')).toBe('custom-domain:https://jira.acme.com');
  });
});

describe('the host page frame', () => {
  const page = (html: string, attributes: Record<string, string> = {}) => {
    const doc = document.implementation.createHTMLDocument('host');
    doc.body.innerHTML = html;
    for (const [name, value] of Object.entries(attributes)) doc.documentElement.setAttribute(name, value);
    return doc;
  };

  test('the theme comes from the host when it says, else from the browser', () => {
    expect(hostTheme(page('', { 'data-color-mode': 'dark' }), false)).toBe('dark');
    expect(hostTheme(page('', { 'data-color-mode': 'light' }), true)).toBe('light');
    expect(hostTheme(page('', { 'data-theme': 'dark:dark light:light' }), false)).toBe('dark');
    expect(hostTheme(page('', { 'data-color-mode': 'auto' }), true)).toBe('dark');
    expect(hostTheme(page(''), false)).toBe('light');
  });

  test('the top bar is a wide element at the top; narrow or low elements are not', () => {
    const doc = page('<header id="bar"></header><div role="banner" id="narrow"></div>');
    const rect = (top: number, height: number, width: number) => ({
      top,
      bottom: top + height,
      width,
      height,
      left: 0,
      right: width,
      x: 0,
      y: top,
      toJSON: () => ({}),
    });
    (doc.getElementById('bar') as HTMLElement).getBoundingClientRect = () => rect(0, 64, 1200);
    (doc.getElementById('narrow') as HTMLElement).getBoundingClientRect = () => rect(0, 120, 200);
    expect(topBarBottom(doc, 1280)).toBe(64);
    (doc.getElementById('bar') as HTMLElement).getBoundingClientRect = () => rect(300, 64, 1200);
    expect(topBarBottom(doc, 1280)).toBe(0);
  });
});
