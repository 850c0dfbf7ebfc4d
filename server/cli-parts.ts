/** What the CLI's command files share: the parts cli.ts hands them, and printing a whole list. */
import type { Option } from 'commander';
import type { Database } from './db';

/** What cli.ts hands each file of commands. */
export interface CliParts {
  dataOption: () => Option;
  withDatabase: <T>(dataDir: string, run: (database: Database) => Promise<T>) => Promise<T>;
  fail: (message: string) => never;
}

/** Every page of a list, a line per row, so that no list is ever cut short. */
export async function printEveryPage<T>(
  read: (cursor: string | undefined) => Promise<{ rows: T[]; nextCursor: string | null }>,
  line: (row: T) => string,
  empty: string,
): Promise<void> {
  let cursor: string | undefined;
  let count = 0;
  do {
    const page = await read(cursor);
    for (const row of page.rows) console.log(line(row));
    count += page.rows.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (count === 0) console.log(empty);
}
