import { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { ErrorBody, Id } from '../../lib/shared/contract';
import type { AppEnv } from '../auth';
import { validationFailed } from '../errors';

/** The `{id}` path parameter of the routes that name one record. */
export const IdParam = z.object({ id: Id });

/** One router per resource; each validates with the same hook so every 400 has one shape. */
export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return validationFailed(result.target, result.error, c);
    },
  });
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { content: { 'application/json': { schema } }, required: true } };
}

const error = (description: string) => json(ErrorBody, description);

/** The refusals every authenticated route may answer with. */
export const errorResponses = {
  400: error('The request is malformed or a field is invalid; `issues` names each one'),
  401: error('No token, or a token that is invalid or revoked'),
  403: error('The token may not do this'),
  404: error('No such record in this workspace'),
  409: error('It conflicts with an existing record'),
  413: error('The body is too large'),
  422: error('Well-formed, but it names records that do not fit'),
  429: error('Too many requests; see Retry-After'),
} as const;
