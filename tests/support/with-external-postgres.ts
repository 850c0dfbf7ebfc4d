/**
 * Runs a command against an external PostgreSQL: TEST_DATABASE_URL when set, otherwise a separate
 * PostgreSQL server started here on its own port, outside the app, so the app takes the
 * DATABASE_URL path (no embedded lifecycle) exactly as with a managed database.
 *   tsx tests/support/with-external-postgres.ts vitest run --project api
 */
import { spawnSync } from 'node:child_process';
import { startSeparatePostgres } from '../../testkit/separate-postgres';

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
  const server = await startSeparatePostgres();
  try {
    console.log(`External PostgreSQL: a separate server on 127.0.0.1:${server.port}`);
    const result = spawnSync(command[0] as string, command.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, TEST_DATABASE_URL: server.url },
    });
    return result.status ?? 1;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
