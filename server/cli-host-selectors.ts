/**
 * `throughline host-selectors`: publish, show or withdraw the CSS selectors the workspace's
 * extensions try before their built-in ones (host fixes as data, lib/hosts/pages/overrides.ts).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { HostSelectorOverrides, OVERRIDABLE } from '../lib/hosts/pages/overrides';
import { findWorkspace } from './accounts';
import type { CliParts } from './cli-parts';
import { publishHostSelectors, readHostSelectors } from './host-selectors';

const FIELDS = Object.entries(OVERRIDABLE)
  .map(([host, fields]) => `${host}: ${fields.join(', ')}`)
  .join('; ');

/** The file's selectors, checked as the API checks them; every problem named, or none. */
function readSelectorFile(file: string, fail: CliParts['fail']): HostSelectorOverrides {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot read ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(`${file} is not JSON (${(error as Error).message}); nothing was published`);
  }
  const parsed = HostSelectorOverrides.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      console.error(`${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
    fail('nothing was published');
  }
  return parsed.data;
}

function listing(selectors: HostSelectorOverrides): string {
  const lines = Object.entries(selectors).flatMap(([host, fields]) =>
    Object.entries(fields ?? {}).map(([field, list]) => `  ${host}.${field}: ${(list ?? []).join('  |  ')}`),
  );
  return lines.length ? lines.join('\n') : '  (none: the built-in selectors only)';
}

export function hostSelectorCommands(program: Command, { dataOption, withDatabase, fail }: CliParts): void {
  const command = program
    .command('host-selectors')
    .description('CSS selectors the extensions try before their built-in ones, when a host moves an element');
  command
    .command('publish <file>')
    .description(`publish a JSON file of selectors, replacing those published before (fields: ${FIELDS})`)
    .requiredOption('--workspace <slug>', 'workspace slug or id')
    .option('--dry-run', 'check the file, publish nothing')
    .addOption(dataOption())
    .action(async (file: string, options: { workspace: string; dryRun?: boolean; data: string }) => {
      const selectors = readSelectorFile(file, fail);
      if (options.dryRun) {
        console.log(`${file} is valid (dry run: nothing published):\n${listing(selectors)}`);
        return;
      }
      await withDatabase(options.data, async ({ db }) => {
        const ws = await findWorkspace(db, options.workspace);
        const published = await publishHostSelectors(db, ws.id, selectors, null, new Date());
        console.log(
          `Published for ${ws.slug}; its extensions use them within 10 minutes (at once on a page they fix):\n${listing(published.selectors)}`,
        );
      });
    });
  command
    .command('show')
    .description('print the published selectors as JSON (a file publish takes)')
    .requiredOption('--workspace <slug>', 'workspace slug or id')
    .addOption(dataOption())
    .action(async (options: { workspace: string; data: string }) => {
      await withDatabase(options.data, async ({ db }) => {
        const ws = await findWorkspace(db, options.workspace);
        const { selectors, dropped } = await readHostSelectors(db, ws.id);
        for (const problem of dropped) console.error(`left out, this version no longer accepts it: ${problem}`);
        console.log(JSON.stringify(selectors, null, 2));
      });
    });
  command
    .command('withdraw')
    .description('withdraw every published selector: the extensions use their built-in ones only')
    .requiredOption('--workspace <slug>', 'workspace slug or id')
    .addOption(dataOption())
    .action(async (options: { workspace: string; data: string }) => {
      await withDatabase(options.data, async ({ db }) => {
        const ws = await findWorkspace(db, options.workspace);
        await publishHostSelectors(db, ws.id, {}, null, new Date());
        console.log(`Withdrew the published selectors of ${ws.slug}.`);
      });
    });
}
