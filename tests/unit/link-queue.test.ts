import { describe, expect, test } from 'vitest';
import {
  enqueue,
  flush,
  type LockedQueue,
  lockedQueue,
  pendingFor,
  type QueuedLink,
  type QueueStore,
} from '../../lib/extension/link-queue';

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
