/** What only the browser tests use: Playwright's test, the API per test file, page fixtures. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test as base } from '@playwright/test';
import { type Api, startApi } from '../../testkit/browser';

export const fixture = (name: string) => readFileSync(path.resolve('tests', 'fixtures', name), 'utf8');

export const test = base;

/** The API for the tests of one file: started before them, stopped after. */
export function apiForThisFile(): () => Api {
  let api: Api | undefined;
  test.beforeAll(async () => {
    api = await startApi();
  });
  test.afterAll(async () => {
    await api?.stop();
  });
  return () => {
    if (!api) throw new Error('the API is not started yet');
    return api;
  };
}
