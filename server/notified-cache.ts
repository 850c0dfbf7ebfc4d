import { type ChangeFeed, type Channel, notify } from './changes';
import type { Db } from './db';

interface Entry<V> {
  value: Promise<V>;
  expiresAt: number;
}

/**
 * A read cache shared by nothing but kept honest across processes: an entry is dropped here at
 * once when this process writes, and in every other process when the change notice arrives.
 * Entries are served only while the feed listens, and expire after `ttlMs` as a backstop.
 */
export class NotifiedCache<V> {
  private entries = new Map<string, Entry<V>>();

  constructor(
    private feed: ChangeFeed,
    private channel: Channel,
    private options: { ttlMs: number; maxEntries: number },
  ) {
    feed.on(channel, (key) => this.entries.delete(key));
    feed.onReset(() => this.entries.clear());
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    if (!this.feed.listening) return load();
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) return entry.value;
    if (this.entries.size >= this.options.maxEntries) this.entries.clear();
    const value = load();
    value.catch(() => this.entries.delete(key));
    this.entries.set(key, { value, expiresAt: now + this.options.ttlMs });
    return value;
  }

  /** After a write whose result is known here: update the entry in place, drop it elsewhere. */
  async update(db: Db, key: string, change: (value: V) => V): Promise<void> {
    const entry = this.entries.get(key);
    if (entry) {
      const next = entry.value.then(change);
      // A failed load drops the entry (see get); the derived value must not fail unobserved.
      next.catch(() => this.entries.delete(key));
      entry.value = next;
    }
    await notify(db, this.channel, key, this.feed.origin);
  }

  /** Drop the entry here only: for a write that sent its notice itself. */
  forget(key: string): void {
    this.entries.delete(key);
  }

  /** The notice `invalidate` would send, for a statement that sends it with its own commit. */
  notice(key: string): { channel: Channel; payload: string } {
    return { channel: this.channel, payload: `${this.feed.origin} ${key}` };
  }

  /** After a write: drop the entry here, and tell the other processes. */
  async invalidate(db: Db, key: string): Promise<void> {
    this.entries.delete(key);
    await notify(db, this.channel, key, this.feed.origin);
  }
}
