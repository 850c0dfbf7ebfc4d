/** Answers between the extension's parts: without zod, so content scripts stay small. */
import type { ImportProgress, ImportResult } from '../shared/contract';

export const PROBLEM_KINDS = [
  'signed_out', // no API URL or token set
  'unreachable', // the API did not answer
  'revoked', // the API refused the token (401)
  'no_permission', // the browser has not granted access to the API's origin
  'refused', // the API refused the request (4xx), with its message
  'invalid', // the message itself was malformed or not allowed from its sender
  'extension_updated', // this page's content script belongs to a version that was replaced
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export interface Problem {
  kind: ProblemKind;
  message: string;
  /** What was wrong, field by field (or row by row in an import), when the API said. */
  issues?: { path: string; message: string }[];
}

export type Reply<T> = { ok: true; data: T } | { ok: false; problem: Problem };

export const ok = <T>(data: T): Reply<T> => ({ ok: true, data });
export const fail = (kind: ProblemKind, message: string): Reply<never> => ({ ok: false, problem: { kind, message } });

/** The one command the background sends to a tab. */
export const TOGGLE_SIDEBAR = 'sidebar:toggle';

/**
 * Imports go over a port of this name (runtime.connect): the page sends the ImportRequest and hears
 * progress as the API writes rows, then the reply.
 */
export const IMPORT_PORT = 'objectives-import';
export type ImportPortMessage = { progress: ImportProgress } | { reply: Reply<ImportResult> };
