/** What every route is handed: the database, the caches over it, and the clock. */
import type { TokenAuthenticator } from './auth';
import type { ObjectiveCatalog } from './catalog';
import type { Db } from './db';
import type { ScopeCatalog } from './scope';
import type { TicketContexts } from './ticket-context';

export interface Deps {
  db: Db;
  auth: TokenAuthenticator;
  catalog: ObjectiveCatalog;
  scope: ScopeCatalog;
  contexts: TicketContexts;
  now: () => Date;
  log: (line: string) => void;
}
