import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { ErrorBody, ErrorCode } from '../lib/shared/contract';

const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  headers_too_large: 431,
  request_timeout: 408,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export type ErrorIssue = ErrorBody['error']['issues'][number];

/** An error the API answers with as it is: a code, a message for people, and the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: ErrorIssue[] = [],
  ) {
    super(message);
  }
  get status(): ContentfulStatusCode {
    return STATUS_OF[this.code];
  }
}

export const notFound = (what: string) => new ApiError('not_found', `${what} not found`);
export const unprocessable = (path: string, message: string) =>
  new ApiError('unprocessable', `${path}: ${message}`, [{ path, message }]);

export function errorBody(code: ErrorCode, message: string, issues: ErrorIssue[] = []): ErrorBody {
  return { error: { code, message, issues } };
}

export function zodIssues(error: z.ZodError, prefix: string): ErrorIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}

const TARGET_NAMES: Record<string, string> = {
  json: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
};

/** The defaultHook of every route: a failed validation becomes a 400 that names each field. */
export function validationFailed(target: string, error: z.ZodError, c: Context) {
  const issues = zodIssues(error, TARGET_NAMES[target] ?? target);
  const summary = issues
    .slice(0, 3)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  return c.json(errorBody('invalid_request', `Invalid request: ${summary}`, issues), 400);
}

// PostgreSQL error codes that are the client's fault and must not surface as 500s.
const PG_CLIENT_ERRORS: Record<string, ErrorCode> = {
  '23505': 'conflict', // unique_violation
  '23503': 'unprocessable', // foreign_key_violation
  '22P02': 'invalid_request', // invalid_text_representation
  '22003': 'invalid_request', // numeric_value_out_of_range
  '22001': 'invalid_request', // string_data_right_truncation
  '22008': 'invalid_request', // datetime_field_overflow
  '22009': 'invalid_request', // invalid_time_zone_displacement_value
  '54000': 'invalid_request', // program_limit_exceeded (e.g. an index row too large)
};

export function handleError(error: Error, c: Context, log: (line: string) => void) {
  if (error instanceof ApiError) {
    return c.json(errorBody(error.code, error.message, error.issues), error.status);
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status === 413) return c.json(errorBody('payload_too_large', 'Request body too large'), 413);
    if (status === 400) {
      return c.json(errorBody('bad_request', error.message || 'Malformed request body'), 400);
    }
    if (status === 401) return c.json(errorBody('unauthorized', error.message || 'Unauthorized'), 401);
    return c.json(errorBody('bad_request', error.message), status as ContentfulStatusCode);
  }
  const pgCode = (error as { code?: string }).code;
  const mapped = pgCode ? PG_CLIENT_ERRORS[pgCode] : undefined;
  if (mapped) {
    const message =
      mapped === 'conflict'
        ? 'That conflicts with an existing record'
        : `The database refused the request: ${error.message}`;
    return c.json(errorBody(mapped, message), STATUS_OF[mapped]);
  }
  if (pgCode === '57P01' || pgCode === '57P03' || (error as { code?: string }).code === 'ECONNREFUSED') {
    return c.json(errorBody('unavailable', 'The database is not reachable; try again shortly'), 503);
  }
  log(`unexpected error on ${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
  return c.json(errorBody('internal', 'Internal error'), 500);
}
