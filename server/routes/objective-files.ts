/** Objectives in and out as YAML or CSV files. */
import { createRoute } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import { ImportRequest, ImportResult, ImportStreamLine } from '../../lib/shared/contract';
import type { Deps } from '../deps';
import { ApiError } from '../errors';
import { exportObjectives, importObjectives } from '../objective-files';
import { resolvePeriod } from '../queries';
import { errorResponses, jsonBody, router } from './router';

const ExportQuery = z.strictObject({
  format: z.enum(['yaml', 'csv']).default('yaml'),
  period: z.string().max(100).optional(),
});

export function objectiveFileRoutes({ db, now, catalog, log }: Deps) {
  return router()
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/objectives/import',
        summary: 'Import objectives and key results from YAML or CSV: all rows or none',
        description:
          'Every row is checked first; any error refuses the whole file with 422 and each error names its row. ' +
          'With dryRun, a valid file is checked and counted but nothing is written.',
        request: jsonBody(ImportRequest),
        responses: {
          200: {
            content: {
              'application/json': { schema: ImportResult },
              'application/x-ndjson': { schema: ImportStreamLine },
            },
            description:
              'Imported, or checked when dryRun. Asked for as `application/x-ndjson`: one line of progress per ' +
              'step, then `{ "result" }`, or `{ "error" }` when the file is refused.',
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { workspaceId } = c.get('caller');
        const input = c.req.valid('json');
        const refusal = (result: ImportResult) =>
          new ApiError(
            'unprocessable',
            `${new Set(result.errors.map((e) => e.row)).size} row(s) have errors; nothing was imported`,
            result.errors.map((e) => ({ path: `row ${e.row}.${e.field}`, message: e.message })),
          );
        if (c.req.header('accept')?.includes('application/x-ndjson')) {
          c.header('content-type', 'application/x-ndjson; charset=utf-8');
          // A streamed body: Hono's typed responses describe whole JSON bodies only.
          return stream(c, async (out) => {
            const line = (value: ImportStreamLine) => out.write(`${JSON.stringify(value)}\n`);
            // At most a hundred progress lines, however large the file.
            let reported = -1;
            let result: ImportResult;
            try {
              result = await importObjectives(db, workspaceId, input, now(), (done, total) => {
                const step = Math.floor((done / Math.max(1, total)) * 100);
                if (step === reported) return;
                reported = step;
                void line({ progress: { done, total } });
              });
            } catch (error) {
              log(`import failed: ${(error as Error).stack ?? error}`);
              await line({ error: { code: 'internal', message: 'Internal error: nothing was imported', issues: [] } });
              return;
            }
            if (!result.valid) {
              const error = refusal(result);
              await line({ error: { code: error.code, message: error.message, issues: error.issues } });
              return;
            }
            // Written: the result is the answer even if telling the other processes fails (they catch up).
            if (!result.dryRun)
              await catalog.changed(workspaceId).catch((error: Error) => log(`catalog: ${error.message}`));
            await line({ result });
          }) as never;
        }
        const result = await importObjectives(db, workspaceId, input, now());
        if (!result.valid) throw refusal(result);
        if (!result.dryRun) await catalog.changed(workspaceId);
        return c.json(result, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/objectives/export',
        summary: 'Export objectives and key results as YAML or CSV (re-importing the file updates them)',
        request: { query: ExportQuery },
        responses: {
          200: {
            content: { 'text/yaml': { schema: z.string() }, 'text/csv': { schema: z.string() } },
            description: 'The file',
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { workspaceId } = c.get('caller');
        const query = c.req.valid('query');
        const period = query.period ? await resolvePeriod(db, workspaceId, query.period, now()) : undefined;
        const body = await exportObjectives(db, workspaceId, query.format, period?.id);
        return c.body(body, 200, {
          'content-type': query.format === 'yaml' ? 'text/yaml; charset=utf-8' : 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="objectives.${query.format === 'yaml' ? 'yaml' : 'csv'}"`,
        });
      },
    );
}
