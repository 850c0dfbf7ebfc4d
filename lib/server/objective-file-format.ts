/**
 * Objectives as YAML or CSV files: parsing into rows with per-row errors, and writing them out.
 * Pure: names (periods, owners, teams, parents) are resolved against a workspace by the server.
 *
 * YAML:
 *   periods: [{ name: 2026-Q4, startsOn: 2026-10-01, endsOn: 2026-12-31 }]   # optional
 *   objectives:
 *     - key: checkout            # optional, lets `parent` name it
 *       id: <uuid>               # optional: update this objective instead of creating one
 *       title: Faster checkout
 *       period: 2026-Q4
 *       owner: ada@example.com   # email or name
 *       team: Payments
 *       priority: 3
 *       status: active
 *       parent: company-growth   # a key of this file, an id, or the title of an existing objective
 *       cadenceDays: 14
 *       description: ...
 *       keyResults: [{ title: p95 under 1 s, start: 3, target: 1, current: 2, unit: s }]
 *
 * CSV: one row per objective (type `objective`) or key result (type `key_result`, naming its
 * objective's key in `objective`), with the columns of CSV_COLUMNS.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { LineCounter, parseDocument, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { DateOnly, type ImportRowError, ObjectiveStatus, requiredText, text } from '../shared/contract';

const optionalText = (max: number) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), text(max).trim().optional());
const optionalNumber = z.preprocess(
  (v) => (v === '' || v === null || v === undefined ? undefined : typeof v === 'string' ? Number(v) : v),
  z.number({ error: 'must be a number' }).optional(),
);

export const ImportKeyResult = z.strictObject({
  id: optionalText(36),
  title: requiredText(500),
  start: optionalNumber,
  target: z.preprocess(
    (v) => (typeof v === 'string' && v !== '' ? Number(v) : v),
    z.number({ error: 'must be a number' }),
  ),
  current: optionalNumber,
  unit: optionalText(40),
});

export const ImportObjective = z.strictObject({
  key: optionalText(100),
  id: optionalText(36),
  title: requiredText(500),
  description: optionalText(10_000),
  period: requiredText(100),
  owner: optionalText(320),
  team: optionalText(200),
  priority: z.preprocess(
    (v) => (v === '' || v === null || v === undefined ? undefined : typeof v === 'string' ? Number(v) : v),
    z.number({ error: 'must be a number' }).positive('must be a positive number').max(1_000_000).optional(),
  ),
  status: z.preprocess((v) => (v === '' || v === null ? undefined : v), ObjectiveStatus.optional()),
  parent: optionalText(500),
  cadenceDays: z.preprocess(
    (v) => (v === '' || v === null || v === undefined ? undefined : typeof v === 'string' ? Number(v) : v),
    z.int({ error: 'must be a whole number' }).min(1).max(366).optional(),
  ),
  keyResults: z.array(ImportKeyResult).max(50).default([]),
});

export const ImportPeriod = z.strictObject({ name: requiredText(100), startsOn: DateOnly, endsOn: DateOnly });

export type ImportKeyResultRow = z.infer<typeof ImportKeyResult> & { row: number };
export type ImportObjectiveRow = Omit<z.infer<typeof ImportObjective>, 'keyResults'> & {
  row: number;
  keyResults: ImportKeyResultRow[];
};
export type ImportPeriodRow = z.infer<typeof ImportPeriod> & { row: number };

export interface ParsedImport {
  periods: ImportPeriodRow[];
  objectives: ImportObjectiveRow[];
  errors: ImportRowError[];
}

export const CSV_COLUMNS = [
  'type',
  'key',
  'id',
  'title',
  'description',
  'period',
  'owner',
  'team',
  'priority',
  'status',
  'parent',
  'cadence_days',
  'objective',
  'start',
  'target',
  'current',
  'unit',
] as const;

function issuesToErrors(row: number, prefix: string, error: z.ZodError): ImportRowError[] {
  return error.issues.map((issue) => ({
    row,
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(row)',
    message: issue.message,
  }));
}

/** Aliases a YAML file may expand: a file of objectives needs few; a "billion laughs" file needs millions. */
const MAX_YAML_ALIASES = 100;

export function parseObjectivesFile(format: 'yaml' | 'csv', content: string): ParsedImport {
  try {
    return format === 'yaml' ? parseYaml(content) : parseCsvFile(content);
  } catch (error) {
    // Whatever a parser throws is about the file: refused as the file's problem, never a server error.
    const message = `could not be read as ${format.toUpperCase()}: ${(error as Error).message}`;
    return { periods: [], objectives: [], errors: [{ row: 1, field: '(file)', message }] };
  }
}

function parseYaml(content: string): ParsedImport {
  const result: ParsedImport = { periods: [], objectives: [], errors: [] };
  // Without pretty errors the parser leaves linePos empty: the line counter finds the line.
  const lineCounter = new LineCounter();
  const document = parseDocument(content, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    const line = first ? lineCounter.linePos(first.pos[0]).line : 1;
    result.errors.push({ row: line, field: '(file)', message: `not valid YAML: ${first?.message}` });
    return result;
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    // The yaml library throws (a ReferenceError) on an alias bomb or an alias without its anchor.
    const reason = (error as Error).message;
    const message = /excessive alias count/i.test(reason)
      ? `not accepted: its aliases (*name) expand too far (more than ${MAX_YAML_ALIASES}), as in a "billion laughs" file`
      : `not valid YAML: ${reason}`;
    result.errors.push({ row: 1, field: '(file)', message });
    return result;
  }
  const root = Array.isArray(data) ? { objectives: data } : data;
  const shape = z
    .strictObject({ periods: z.array(z.unknown()).default([]), objectives: z.array(z.unknown()) })
    .safeParse(root);
  if (!shape.success) {
    result.errors.push({
      row: 1,
      field: '(file)',
      message: 'expected a list of objectives, or a mapping with `objectives:` (and optionally `periods:`)',
    });
    return result;
  }
  shape.data.periods.forEach((raw, index) => {
    const parsed = ImportPeriod.safeParse(raw);
    if (parsed.success) result.periods.push({ ...parsed.data, row: index + 1 });
    else result.errors.push(...issuesToErrors(index + 1, 'periods', parsed.error));
  });
  shape.data.objectives.forEach((raw, index) => {
    const row = index + 1;
    const parsed = ImportObjective.safeParse(raw);
    if (!parsed.success) {
      result.errors.push(...issuesToErrors(row, '', parsed.error));
      return;
    }
    result.objectives.push({ ...parsed.data, row, keyResults: parsed.data.keyResults.map((kr) => ({ ...kr, row })) });
  });
  return result;
}

function parseCsvFile(content: string): ParsedImport {
  const result: ParsedImport = { periods: [], objectives: [], errors: [] };
  let records: { record: Record<string, string>; info: { records: number; empty_lines: number } }[];
  try {
    records = parseCsv(content, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true });
  } catch (error) {
    result.errors.push({ row: 1, field: '(file)', message: `not valid CSV: ${(error as Error).message}` });
    return result;
  }
  const header = Object.keys(records[0]?.record ?? {});
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (unknown.length > 0) {
    result.errors.push({ row: 1, field: '(header)', message: `unknown columns: ${unknown.join(', ')}` });
    return result;
  }

  const byKey = new Map<string, ImportObjectiveRow>();
  records.forEach(({ record, info }) => {
    // Row 1 is the header; skipped blank lines still count, as in an editor or a spreadsheet.
    const row = info.records + 1 + info.empty_lines;
    const type = record.type || 'objective';
    if (type === 'objective') {
      const parsed = ImportObjective.safeParse({
        key: record.key,
        id: record.id,
        title: record.title,
        description: record.description,
        period: record.period,
        owner: record.owner,
        team: record.team,
        priority: record.priority,
        status: record.status,
        parent: record.parent,
        cadenceDays: record.cadence_days,
      });
      if (!parsed.success) {
        result.errors.push(...issuesToErrors(row, '', parsed.error));
        return;
      }
      const objective: ImportObjectiveRow = { ...parsed.data, row, keyResults: [] };
      result.objectives.push(objective);
      for (const name of [parsed.data.key, parsed.data.id, parsed.data.title]) {
        if (name && !byKey.has(name)) byKey.set(name, objective);
      }
    } else if (type === 'key_result') {
      const owner = byKey.get(record.objective ?? '');
      if (!owner) {
        result.errors.push({
          row,
          field: 'objective',
          message: `names no objective of an earlier row: "${record.objective ?? ''}"`,
        });
        return;
      }
      const parsed = ImportKeyResult.safeParse({
        id: record.id,
        title: record.title,
        start: record.start,
        target: record.target,
        current: record.current,
        unit: record.unit,
      });
      if (!parsed.success) result.errors.push(...issuesToErrors(row, '', parsed.error));
      else owner.keyResults.push({ ...parsed.data, row });
    } else {
      result.errors.push({ row, field: 'type', message: 'must be objective or key_result' });
    }
  });
  return result;
}

export interface ExportObjective {
  id: string;
  title: string;
  description: string;
  period: string;
  owner: string | null;
  team: string | null;
  priority: number;
  status: string;
  parent: string | null;
  cadenceDays: number;
  keyResults: { id: string; title: string; start: number; target: number; current: number; unit: string }[];
}

/** Writes objectives so that importing the file again updates them in place (ids are kept). */
export function serializeObjectives(format: 'yaml' | 'csv', objectives: ExportObjective[]): string {
  if (format === 'yaml') {
    return stringifyYaml({
      objectives: objectives.map((o) => ({
        id: o.id,
        title: o.title,
        ...(o.description && { description: o.description }),
        period: o.period,
        ...(o.owner && { owner: o.owner }),
        ...(o.team && { team: o.team }),
        priority: o.priority,
        status: o.status,
        ...(o.parent && { parent: o.parent }),
        cadenceDays: o.cadenceDays,
        keyResults: o.keyResults,
      })),
    });
  }
  const rows: Record<string, string | number>[] = [];
  for (const o of objectives) {
    rows.push({
      type: 'objective',
      key: o.id,
      id: o.id,
      title: o.title,
      description: o.description,
      period: o.period,
      owner: o.owner ?? '',
      team: o.team ?? '',
      priority: o.priority,
      status: o.status,
      parent: o.parent ?? '',
      cadence_days: o.cadenceDays,
    });
    for (const kr of o.keyResults) {
      rows.push({
        type: 'key_result',
        id: kr.id,
        objective: o.id,
        title: kr.title,
        start: kr.start,
        target: kr.target,
        current: kr.current,
        unit: kr.unit,
      });
    }
  }
  return stringifyCsv(rows, { header: true, columns: [...CSV_COLUMNS] });
}
