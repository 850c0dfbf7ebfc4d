/** `throughline connect` and `throughline connections`: the workspace's connections to the hosts' APIs. */
import type { Command } from 'commander';
import { ConnectionCreate } from '../lib/shared/contract';
import { findWorkspace } from './accounts';
import { type CliParts, printEveryPage } from './cli-parts';
import { createConnection, listConnections } from './connections';
import { SecretBox } from './secrets';

export function connectionCommands(program: Command, { dataOption, withDatabase, fail }: CliParts): void {
  program
    .command('connect <host>')
    .description(
      'connect the workspace to a host’s API (github, jira or asana) with a token, stored sealed by the ' +
        'server’s key (THROUGHLINE_SECRET_KEY, or secret.key in the data directory)',
    )
    .requiredOption('--workspace <slug>', 'workspace slug or id')
    .requiredOption('--base-url <url>', 'the API’s address: https://api.github.com, https://acme.atlassian.net, …')
    .requiredOption('--token <token>', 'the token the connection reads with')
    .addOption(dataOption())
    .action(async (host: string, options: { workspace: string; baseUrl: string; token: string; data: string }) => {
      const parsed = ConnectionCreate.safeParse({ host, baseUrl: options.baseUrl, token: options.token });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path[0] === 'baseUrl' ? '--base-url' : issue?.path[0] === 'token' ? '--token' : 'host';
        return fail(`${field}: ${field === 'host' ? 'must be github, jira or asana' : issue?.message}`);
      }
      const input = parsed.data;
      await withDatabase(options.data, async ({ db }) => {
        const ws = await findWorkspace(db, options.workspace);
        const made = await createConnection(db, SecretBox.forServer(options.data), ws.id, input, null);
        console.log(`Connected ${made.host} at ${made.baseUrl} (token ${made.tokenHint}): connection ${made.id}`);
      });
    });
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
          (c) => `${c.id}  ${c.host}  ${c.baseUrl}  token ${c.tokenHint}`,
          'No connection yet: throughline connect github|jira|asana …',
        );
      });
    });
}
