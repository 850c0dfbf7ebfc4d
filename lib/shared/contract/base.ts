/** Building blocks of the contract: text and ids, ticket references, errors, paging. */
import { z } from 'zod';
import { parseRef, SOURCES } from '../ref';

// PostgreSQL text cannot hold NUL: refusing it here keeps such input a 400, never a 500.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this refuses.
const NO_NUL = /^[^\u0000]*$/;
export const text = (max: number) =>
  z.string().max(max, `must be at most ${max} characters`).regex(NO_NUL, 'must not contain NUL characters');
export const requiredText = (max: number) => text(max).trim().min(1, 'must not be empty');

export const Id = z.uuid({ error: 'must be a UUID' });
export const Timestamp = z.iso.datetime({ offset: true });
export const DateOnly = z.iso.date();

// ---------------------------------------------------------------------------------------------
// Work-item references: `source:host/key`, e.g. `github:github.com/octo/api#42`.

export const Source = z.enum(SOURCES);
export type Source = z.infer<typeof Source>;

export const WorkItemRef = z
  .string()
  .max(400, 'must be at most 400 characters')
  .superRefine((value, ctx) => {
    const parsed = parseRef(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `not a work-item reference: ${parsed.reason}` });
  });

// ---------------------------------------------------------------------------------------------
// Errors

export const ErrorCode = z.enum([
  'bad_request',
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'uri_too_long',
  'headers_too_large',
  'request_timeout',
  'unprocessable',
  'rate_limited',
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorIssue = z.object({ path: z.string(), message: z.string() });
export const ErrorBody = z.object({
  error: z.object({ code: ErrorCode, message: z.string(), issues: z.array(ErrorIssue) }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---------------------------------------------------------------------------------------------
// Paging: every list answers one page and the cursor of the next (null on the last page).

/**
 * A cursor the API gave. Room for the longest: an objective's 500-character title, each character
 * escaped in JSON, then base64url (within the 8 KB a URL may take).
 */
export const Cursor = z.string().max(6_000, 'must be at most 6000 characters');
/** The query of a paged list: at most `max` rows a page, `fallback` when not asked. */
export const pageQuery = (max: number, fallback: number) => ({
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max}`)
    .default(fallback),
  cursor: Cursor.optional(),
});
/** Opaque: pass it back as `cursor` for the next page. */
export const NextCursor = z.string().nullable();
export const PAGE_LIMITS = {
  links: 1_000,
  scope: 500,
  objectives: 500,
  users: 500,
  teams: 500,
  tokens: 500,
  periods: 200,
  statusUpdates: 200,
  reviews: 100,
  decisions: 200,
} as const;
