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

/** The ticket's context as the API gives it. */
export const ticketContextOf = (api: Pick<Api, 'get'>, ref: string) =>
  api.get(`/v1/work-items/${encodeURIComponent(ref)}/context`);

/** The id of the open objective of the current period with this title. */
export const objectiveIdOf = async (api: Pick<Api, 'get'>, title: string): Promise<string> =>
  (await api.get('/v1/objectives?status=open&period=current')).objectives.find(
    (o: { title: string }) => o.title === title,
  ).id;
