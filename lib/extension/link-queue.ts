/**
 * Links made while the goals API is unreachable wait here, in extension storage, and are sent when
 * it answers again. Each carries the idempotency key it was made with, so a send retried after a
 * lost answer, or by a service worker restarted mid-flight, still makes exactly one link.
 */

export interface QueuedLink {
  /** The Idempotency-Key: made once, when the user linked. */
  id: string;
  ref: string;
  objectiveId: string;
  keyResultId: string | null;
  queuedAt: number;
}

export interface QueueStore {
  read(): Promise<QueuedLink[]>;
  write(queue: QueuedLink[]): Promise<void>;
}

/** The queue with its changes made one at a time, so a link queued during a flush is never lost. */
export interface LockedQueue {
  read(): Promise<QueuedLink[]>;
  update(change: (queue: QueuedLink[]) => QueuedLink[]): Promise<void>;
}

export function lockedQueue(store: QueueStore): LockedQueue {
  let last: Promise<unknown> = Promise.resolve();
  return {
    read: () => store.read(),
    update(change) {
      const next = last.then(async () => store.write(change(await store.read())));
      last = next.catch(() => {});
      return next;
    },
  };
}

export type SendOutcome = 'sent' | 'refused' | 'unreachable';

export async function enqueue(queue: LockedQueue, link: QueuedLink): Promise<void> {
  await queue.update((items) => (items.some((q) => q.id === link.id) ? items : [...items, link]));
}

export async function pendingFor(queue: LockedQueue, ref: string): Promise<QueuedLink[]> {
  return (await queue.read()).filter((q) => q.ref === ref);
}

/**
 * Sends the queue in order. A link is dropped once the API took it or refused it for good
 * (then `onRefused` hears of it); the first unreachable send stops the flush and keeps the rest.
 */
export async function flush(
  queue: LockedQueue,
  send: (link: QueuedLink) => Promise<SendOutcome>,
  onRefused: (link: QueuedLink) => void = () => {},
): Promise<{ sent: number; refused: number; left: number }> {
  let sent = 0;
  let refused = 0;
  for (const link of await queue.read()) {
    const outcome = await send(link);
    if (outcome === 'unreachable') break;
    if (outcome === 'sent') sent++;
    else {
      refused++;
      onRefused(link);
    }
    await queue.update((items) => items.filter((q) => q.id !== link.id));
  }
  return { sent, refused, left: (await queue.read()).length };
}
