/** `throughline connect` and `throughline connections`: the workspace's connections to the hosts' APIs. */
import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { type Connection, ConnectionCreate, Id, type SyncRun as SyncRunView } from '../lib/shared/contract';
import { findWorkspace } from './accounts';
import { type CliParts, printEveryPage } from './cli-parts';
import { createConnection, listConnections, syncRunOf } from './connections';
import { CONNECTORS } from './connectors';
import { SecretBox } from './secrets';
import { runSync, SyncBusy, type SyncDeps, type SyncRequest } from './sync';
import { SyncJobs } from './sync-jobs';

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a whole number above 0');
  return n;
}

export function connectionCommands(program: Command, { dataOption, withDatabase, fail }: CliParts): void {
  program
    .command('connect <host>')
    .description(
      'connect the workspace to a host’s API (github, jira or asana) with a token, stored sealed by the ' +
        'server’s key (THROUGHLINE_SECRET_KEY, or secret.key in the data directory)',
    )
    .requiredOption('--workspace <slug>', 'workspace slug or id')
    .requiredOption('--base-url <url>', 'the API’s address: https://api.github.com, https://acme.atlassian.net, …')
    .option('--token <token>', 'the token the connection reads with')
    .option('--app-id <id>', 'GitHub, in place of a token: the GitHub App’s id', positiveInteger)
    .option('--installation-id <id>', 'GitHub App: the installation in your organisation', positiveInteger)
    .option('--private-key-file <path>', 'GitHub App: its private key (PEM), read from this file')
    .option(
      '--site <host>',
      'the host name tickets are referenced under, when it is not the API’s (github.com for api.github.com)',
    )
    .option('--email <address>', 'Jira Cloud: the account e-mail its API token goes with')
    .addOption(dataOption())
    .action(
      async (
        host: string,
        options: {
          workspace: string;
          baseUrl: string;
          token?: string;
          appId?: number;
          installationId?: number;
          privateKeyFile?: string;
          site?: string;
          email?: string;
          data: string;
        },
      ) => {
        const app = options.appId !== undefined || options.installationId !== undefined || options.privateKeyFile;
        let privateKey = '';
        if (options.privateKeyFile) {
          try {
            privateKey = readFileSync(options.privateKeyFile, 'utf8');
          } catch (error) {
            return fail(
              `--private-key-file: cannot read ${options.privateKeyFile} (${(error as NodeJS.ErrnoException).code})`,
            );
          }
        }
        const parsed = ConnectionCreate.safeParse({
          host,
          baseUrl: options.baseUrl,
          token: options.token,
          ...(app && { githubApp: { appId: options.appId, installationId: options.installationId, privateKey } }),
          site: options.site,
          email: options.email,
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const [field, inner] = (issue?.path ?? []).map(String);
          if (!field || field === 'host') return fail('host: must be github, jira or asana');
          const appOptions: Record<string, string> = {
            appId: '--app-id',
            installationId: '--installation-id',
            privateKey: '--private-key-file',
          };
          const option =
            field === 'githubApp'
              ? (appOptions[inner ?? ''] ?? '--app-id')
              : `--${field === 'baseUrl' ? 'base-url' : field}`;
          return fail(`${option}: ${issue?.message}`);
        }
        const input = parsed.data;
        await withDatabase(options.data, async ({ db }) => {
          const ws = await findWorkspace(db, options.workspace);
          const made = await createConnection(db, SecretBox.forServer(options.data), ws.id, input, null);
          console.log(
            `Connected ${made.host} at ${made.baseUrl} for tickets on ${made.site} (token ${made.tokenHint}): connection ${made.id}`,
          );
          console.log(
            made.webhook.secret
              ? `Webhooks: send them to <API address>${made.webhook.path}, signed with this secret (shown once): ${made.webhook.secret}`
              : `Webhooks: register each with Asana at <API address>${made.webhook.path}-<a name of its own> (shown once); its handshake brings the secret`,
          );
        });
      },
    );
  program
    .command('connections')
    .description('list the workspace’s connections to the hosts’ APIs (their tokens are never shown)')
    .requiredOption('--workspace <slug>', 'workspace slug or id')
    .addOption(dataOption())
    .action(async (options: { workspace: string; data: string }) => {
      await withDatabase(options.data, async ({ db }) => {
        const ws = await findWorkspace(db, options.workspace);
        await printEveryPage(
          async (cursor) => {
            const page = await listConnections(db, ws.id, { limit: 500, cursor });
            return { rows: page.connections, nextCursor: page.nextCursor };
          },
          (c) => `${c.id}  ${c.host}  ${c.baseUrl}  ${c.site}  token ${c.tokenHint}  ${lastSyncLine(c.lastSync)}`,
          'No connection yet: throughline connect github|jira|asana …',
        );
      });
    });
}

const count = (n: number) => n.toLocaleString('en');

/** A sync in one line: how it went, when, how long, what it did. */
function runLine(run: SyncRunView): string {
  const took = run.finishedAt
    ? `${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s`
    : null;
  const what = `${count(run.created)} created, ${count(run.updated)} updated, ${count(run.unchanged)} unchanged, ${count(run.removed)} removed, ${count(run.failed)} failed`;
  if (run.status === 'running') return `${run.mode} sync running since ${run.startedAt}: ${what} so far`;
  return `${run.mode} sync ${run.status} ${run.finishedAt} in ${took}: ${what}${run.error ? `. Error: ${run.error}` : ''}`;
}
const lastSyncLine = (run: SyncRunView | null) => (run ? `last ${runLine(run)}` : 'never synced');

export function syncCommand(program: Command, { dataOption, withDatabase, fail }: CliParts): void {
  program
    .command('sync')
    .description(
      'sync the workspace’s tickets from the hosts’ APIs: queued for the running goals API, or run here with --wait',
    )
    .requiredOption('--workspace <slug>', 'workspace slug or id')
    .option('--connection <id>', 'only this connection (default: every connection of the workspace)')
    .option('--full', 'read every ticket again and notice what is gone, not only what changed')
    .option('--wait', 'run the sync here and print what it did; exit non-zero if it failed')
    .addOption(dataOption())
    .action(
      async (options: { workspace: string; connection?: string; full?: boolean; wait?: boolean; data: string }) => {
        const mode = options.full ? 'full' : 'incremental';
        if (options.connection !== undefined && !Id.safeParse(options.connection).success) {
          return fail(
            `--connection: ${options.connection} is not a connection id (throughline connections lists them)`,
          );
        }
        const failed = await withDatabase(options.data, async (database) => {
          const ws = await findWorkspace(database.db, options.workspace);
          const chosen: Connection[] = [];
          let cursor: string | undefined;
          do {
            const page = await listConnections(database.db, ws.id, { limit: 500, cursor, id: options.connection });
            chosen.push(...page.connections);
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
          if (chosen.length === 0) {
            return fail(
              options.connection
                ? `no connection ${options.connection} in ${options.workspace}`
                : 'no connection yet: throughline connect github|jira|asana …',
            );
          }
          const secrets = SecretBox.forServer(options.data);
          if (!options.wait) {
            const jobs = await SyncJobs.start(
              database.url,
              { database, secrets, connectors: CONNECTORS },
              { work: false, everyMinutes: 0, log: (line) => console.error(line) },
            );
            try {
              for (const c of chosen) {
                const jobId = await jobs.enqueue({ workspaceId: ws.id, connectionId: c.id, mode });
                console.log(
                  jobId
                    ? `Queued ${mode === 'full' ? 'a full' : 'an incremental'} sync of ${c.host} ${c.site} (connection ${c.id}): a running goals API runs it; throughline connections shows how it went`
                    : `A sync of ${c.host} ${c.site} (connection ${c.id}) is waiting already: it covers this one`,
                );
              }
            } finally {
              await jobs.stop();
            }
            return false;
          }
          let anyFailed = false;
          for (const c of chosen) {
            console.log(`Syncing ${c.host} ${c.site} (connection ${c.id}), ${mode}…`);
            const run = await runWhenFree(
              { database, secrets, connectors: CONNECTORS },
              { workspaceId: ws.id, connectionId: c.id, mode },
            );
            console.log(`  ${runLine(syncRunOf(run))}`);
            anyFailed ||= run.status === 'failed';
          }
          return anyFailed;
        });
        if (failed) process.exit(1);
      },
    );
}

/** Runs the sync once the connection is free: a sync already running elsewhere is waited out, not doubled. */
async function runWhenFree(deps: SyncDeps, request: SyncRequest) {
  let told = false;
  for (;;) {
    try {
      return await runSync(deps, request);
    } catch (error) {
      if (!(error instanceof SyncBusy)) throw error;
      if (!told) console.log('  another sync of this connection is running; waiting for it to finish');
      told = true;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}
