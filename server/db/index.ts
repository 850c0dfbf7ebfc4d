import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { runningClusterUrl, startEmbeddedPostgres } from './embedded';
import * as schema from './schema';

export type Db = NodePgDatabase<typeof schema>;
export type DatabaseKind = 'embedded' | 'external';

export interface Database {
  db: Db;
  pool: pg.Pool;
  kind: DatabaseKind;
  url: string;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

// Any number, fixed: every Throughline process takes the same advisory lock, so several API
// processes starting at once against one database run the migrations one at a time.
const MIGRATION_LOCK = 7_318_318;

export async function runMigrations(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle({ client, schema }), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

export interface OpenOptions {
  /** An external PostgreSQL; when absent the embedded one runs from `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  /** For the CLI: use the cluster of a server already running on `dataDir` rather than refuse. */
  shareRunningServer?: boolean;
  log?: (line: string) => void;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  const shared = options.shareRunningServer && !options.databaseUrl ? await runningClusterUrl(options.dataDir) : null;
  const external = options.databaseUrl ?? shared;
  const embedded = external ? null : await startEmbeddedPostgres(options.dataDir, { log: options.log });
  const url = external ?? (embedded as NonNullable<typeof embedded>).url;
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 16 });
  // An idle client losing its connection (database restarted) must not crash the process.
  pool.on('error', (error) => options.log?.(`database connection lost: ${error.message}`));
  try {
    await runMigrations(pool);
  } catch (error) {
    await pool.end();
    await embedded?.stop();
    throw error;
  }
  return {
    db: drizzle({ client: pool, schema }),
    pool,
    kind: options.databaseUrl ? 'external' : 'embedded',
    url,
    async close() {
      await pool.end();
      await embedded?.stop();
    },
  };
}
