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

export type SendOutcome = 'sent' | 'refused' | 'unreachable';

export async function enqueue(store: QueueStore, link: QueuedLink): Promise<void> {
  const queue = await store.read();
  if (!queue.some((q) => q.id === link.id)) await store.write([...queue, link]);
}

export async function pendingFor(store: QueueStore, ref: string): Promise<QueuedLink[]> {
  return (await store.read()).filter((q) => q.ref === ref);
}

/**
 * Sends the queue in order. A link is dropped once the API took it or refused it for good
 * (the refusal is reported); the first unreachable send stops the flush and keeps the rest.
 */
export async function flush(
  store: QueueStore,
  send: (link: QueuedLink) => Promise<SendOutcome>,
  onRefused: (link: QueuedLink) => void = () => {},
): Promise<{ sent: number; refused: number; left: number }> {
  let sent = 0;
  let refused = 0;
  for (const link of await store.read()) {
    const outcome = await send(link);
    if (outcome === 'unreachable') break;
    if (outcome === 'sent') sent++;
    else {
      refused++;
      onRefused(link);
    }
    // Re-read: the user may have queued more while this one was in flight.
    await store.write((await store.read()).filter((q) => q.id !== link.id));
  }
  return { sent, refused, left: (await store.read()).length };
}
