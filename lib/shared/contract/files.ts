/** Objective files (YAML or CSV) in and out, shared by the CLI and the goals page. */
import { z } from 'zod';
import { ErrorBody } from './base';

// ---------------------------------------------------------------------------------------------
// Objective import (YAML or CSV), shared by the CLI and the goals page

export const ImportRequest = z.strictObject({
  format: z.enum(['yaml', 'csv']),
  content: z.string().max(2_000_000, 'must be at most 2 MB'),
  dryRun: z.boolean().default(false),
});
export type ImportRequest = z.input<typeof ImportRequest>;
export const ImportRowError = z.object({ row: z.number().int(), field: z.string(), message: z.string() });
export type ImportRowError = z.infer<typeof ImportRowError>;
export const ImportResult = z.object({
  dryRun: z.boolean(),
  valid: z.boolean(),
  objectives: z.number().int(),
  keyResults: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  errors: z.array(ImportRowError),
});
export type ImportResult = z.infer<typeof ImportResult>;

/**
 * An import asked for with `Accept: application/x-ndjson` answers one JSON line per step: progress
 * while rows are written, then the result, or the error that refused the whole file.
 */
export const ImportProgress = z.object({ done: z.int(), total: z.int() });
export type ImportProgress = z.infer<typeof ImportProgress>;
export const ImportStreamLine = z.union([
  z.object({ progress: ImportProgress }),
  z.object({ result: ImportResult }),
  z.object({ error: ErrorBody.shape.error }),
]);
export type ImportStreamLine = z.infer<typeof ImportStreamLine>;

export const ServiceHealth = z.object({ ok: z.boolean(), database: z.enum(['embedded', 'external']) });
