/**
 * Change notices between API processes, over PostgreSQL LISTEN/NOTIFY: several stateless API
 * processes (and the CLI) share one database, and each may cache what rarely changes (token
 * lookups, a workspace's objectives). A cache is trusted only while its process listens; when the
 * connection drops every cache is dropped and reads go to the database until it is back.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Db } from './db';

export const Channel = {
  tokenRevoked: 'throughline_token_revoked',
  objectivesChanged: 'throughline_objectives_changed',
  /** Payload: `workspaceId ref` of a ticket whose record or links changed. */
  workItemChanged: 'throughline_work_item_changed',
  /** Payload: `workspaceId project` of a project whose tickets' links changed. */
  projectLinksChanged: 'throughline_project_links_changed',
  /** Payload: the workspace whose scope changed. */
  scopeChanged: 'throughline_scope_changed',
} as const;
export type Channel = (typeof Channel)[keyof typeof Channel];

/**
 * Tells every listening process that `key` changed. `origin` names the sender's feed, so a process
 * skips its own notices: it has already applied the change to its caches.
 */
export async function notify(db: Pick<Db, 'execute'>, channel: Channel, key: string, origin = 'cli'): Promise<void> {
  await db.execute(sql`select pg_notify(${channel}, ${`${origin} ${key}`})`);
}

export class ChangeFeed {
  readonly origin = randomUUID();
  listening = false;
  private handlers = new Map<Channel, ((payload: string) => void)[]>();
  private resets: (() => void)[] = [];

  on(channel: Channel, handler: (payload: string) => void): void {
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), handler]);
  }

  /** Called whenever notices may have been missed: drop everything cached. */
  onReset(handler: () => void): void {
    this.resets.push(handler);
  }

  private reset(listening: boolean): void {
    this.listening = listening;
    for (const handler of this.resets) handler();
  }

  /** Listens until the returned stop() is called, reconnecting when the connection drops. */
  async start(databaseUrl: string, log: (line: string) => void = () => {}): Promise<() => Promise<void>> {
    let client: pg.Client | null = null;
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;
    const retryLater = () => {
      if (!stopped) retry = setTimeout(() => void connect().catch(retryLater), 1000);
    };
    const connect = async () => {
      const next = new pg.Client({ connectionString: databaseUrl });
      next.on('notification', (message) => {
        const payload = message.payload ?? '';
        const space = payload.indexOf(' ');
        if (payload.slice(0, space) === this.origin) return;
        const key = payload.slice(space + 1);
        for (const handler of this.handlers.get(message.channel as Channel) ?? []) handler(key);
      });
      next.on('error', () => {
        this.reset(false);
        next.end().catch(() => {});
        retryLater();
      });
      try {
        await next.connect();
        for (const channel of Object.values(Channel)) await next.query(`LISTEN ${channel}`);
      } catch (error) {
        next.end().catch(() => {});
        throw error;
      }
      client = next;
      this.reset(true);
    };
    try {
      await connect();
    } catch (error) {
      log(`change notices: not listening (${(error as Error).message}); every request reads the database`);
      retryLater();
    }
    return async () => {
      stopped = true;
      clearTimeout(retry);
      this.reset(false);
      await client?.end().catch(() => {});
    };
  }
}
