/** What every route is handed: the database, the caches over it, and the clock. */
import type { Source } from '../lib/shared/ref';
import type { TokenAuthenticator } from './auth';
import type { ObjectiveCatalog } from './catalog';
import type { ConnectorFactory } from './connectors/types';
import type { Db } from './db';
import type { ScopeCatalog } from './scope';
import type { SecretBox } from './secrets';
import type { SyncJob } from './sync-jobs';
import type { TicketContexts } from './ticket-context';

export interface Deps {
  db: Db;
  auth: TokenAuthenticator;
  catalog: ObjectiveCatalog;
  scope: ScopeCatalog;
  contexts: TicketContexts;
  /** Seals and opens the hosts' tokens (connections). */
  secrets: SecretBox;
  /** Each host's connector (server/connectors/). */
  connectors: Record<Source, ConnectorFactory>;
  /** Where syncs are queued for the API processes to run; null where none runs them. */
  syncJobs: { enqueue(job: SyncJob): Promise<string | null> } | null;
  now: () => Date;
  log: (line: string) => void;
}
