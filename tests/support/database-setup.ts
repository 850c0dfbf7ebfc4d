/**
 * Starts one real PostgreSQL for the API tests: the embedded one in a temporary directory, or the
 * external server named by TEST_DATABASE_URL. Each test file then makes its own workspaces.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../server/db';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: 'embedded' | 'external';
  }
}

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  // Under /tmp: when run as root, PostgreSQL runs as the postgres user, who must reach the directory.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'throughline-test-'));
  const database = await openDatabase({ databaseUrl: external, dataDir, poolSize: 1 });
  project.provide('databaseUrl', database.url);
  project.provide('databaseKind', database.kind);
  console.log(
    `API tests run on ${database.kind === 'external' ? 'the external PostgreSQL of TEST_DATABASE_URL' : 'an embedded PostgreSQL'}`,
  );
  return async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
