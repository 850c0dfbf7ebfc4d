/** Lists for the CLI: every page, a line per row, so that no list is ever cut short. */
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
