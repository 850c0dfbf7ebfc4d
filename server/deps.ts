/** What every route is handed: the database, the caches over it, and the clock. */
import type { TokenAuthenticator } from './auth';
import type { ObjectiveCatalog } from './catalog';
import type { Db } from './db';
import type { ScopeCatalog } from './scope';
import type { SecretBox } from './secrets';
import type { TicketContexts } from './ticket-context';

export interface Deps {
  db: Db;
  auth: TokenAuthenticator;
  catalog: ObjectiveCatalog;
  scope: ScopeCatalog;
  contexts: TicketContexts;
  /** Seals and opens the hosts' tokens (connections). */
  secrets: SecretBox;
  now: () => Date;
  log: (line: string) => void;
}
