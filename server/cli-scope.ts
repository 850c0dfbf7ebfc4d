/** `throughline scope`: what the workspace declares its work (lib/shared/scope.ts), listed, added, removed. */
import { type Command, Option } from 'commander';
import type { ScopeEntryCreate } from '../lib/shared/contract';
import { Id, ScopeTarget } from '../lib/shared/contract';
import { SOURCES } from '../lib/shared/ref';
import { findWorkspace } from './accounts';
import { type CliParts, printEveryPage } from './cli-parts';
import { ApiError } from './errors';
import { declareScope, listScope, removeScope } from './scope';

/** The API's refusal in the CLI's words: the problem, without the request's field path. */
function refusal(error: unknown, fail: CliParts['fail']): never {
  if (error instanceof ApiError) fail(error.issues[0]?.message ?? error.message);
  throw error;
}

export function scopeCommands(program: Command, { dataOption, withDatabase, fail }: CliParts): void {
  const command = program
    .command('scope')
    .description('what the workspace declares its work: tickets outside it are not recorded and count nowhere');
  command
    .command('list')
    .description('list the scope (none: every ticket counts)')
    .requiredOption('--workspace <slug>', 'workspace slug or id')
    .addOption(dataOption())
    .action(async (options: { workspace: string; data: string }) => {
      await withDatabase(options.data, async ({ db }) => {
        const ws = await findWorkspace(db, options.workspace);
        await printEveryPage(
          async (cursor) => {
            const page = await listScope(db, ws.id, { limit: 500, cursor });
            return { rows: page.entries, nextCursor: page.nextCursor };
          },
          (entry) => `${entry.id}  ${entry.description}`,
          'No scope declared: every ticket counts.',
        );
      });
    });
  command
    .command('add [url]')
    .description(
      'add an organisation, repository, site or project, by its URL (https://github.com/acme, ' +
        'https://acme.atlassian.net/browse/PAY-1) or by --source, --host, --kind and --value',
    )
    .requiredOption('--workspace <slug>', 'workspace slug or id')
    .addOption(
      new Option('--self-hosted <host>', 'the URL is a self-hosted server of this kind').choices(['github', 'jira']),
    )
    .addOption(new Option('--source <source>', 'github, jira or asana').choices([...SOURCES]))
    .option('--host <host>', 'e.g. github.com, acme.atlassian.net, app.asana.com')
    .addOption(
      new Option('--kind <kind>', 'host, organization, repository or project').choices([
        'host',
        'organization',
        'repository',
        'project',
      ]),
    )
    .option('--value <value>', 'the organisation, owner/repo or project key (none for a whole host)', '')
    .addOption(dataOption())
    .action(async (url: string | undefined, options) => {
      let input: ScopeEntryCreate;
      if (url) {
        input = { url, ...(options.selfHosted && { selfHosted: options.selfHosted }) };
      } else {
        const parsed = ScopeTarget.safeParse({
          source: options.source,
          host: options.host,
          kind: options.kind,
          value: options.value,
        });
        if (!parsed.success) {
          return fail(parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; '));
        }
        input = parsed.data;
      }
      await withDatabase(options.data, async ({ db }) => {
        const ws = await findWorkspace(db, options.workspace);
        const entry = await declareScope(db, ws.id, input, null).catch((error) => refusal(error, fail));
        console.log(`${ws.slug} now counts ${entry.description} (entry ${entry.id}).`);
      });
    });
  command
    .command('remove <id>')
    .description('take an entry out of the scope: its tickets leave the figures and are kept')
    .requiredOption('--workspace <slug>', 'workspace slug or id')
    .addOption(dataOption())
    .action(async (id: string, options: { workspace: string; data: string }) => {
      if (!Id.safeParse(id).success) fail(`"${id}" is not an entry id: \`throughline scope list\` shows them`);
      await withDatabase(options.data, async ({ db }) => {
        const ws = await findWorkspace(db, options.workspace);
        const entry = await removeScope(db, ws.id, id).catch((error) => refusal(error, fail));
        console.log(`${ws.slug} no longer counts ${entry.description}.`);
      });
    });
}
