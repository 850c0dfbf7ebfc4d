/**
 * The typed messages between the extension's parts. Only the background talks to the goals API;
 * content scripts and pages ask it through these. Every message is parsed with zod on arrival.
 */
import { z } from 'zod';
import {
  Id,
  type ImportProgress,
  type ImportResult,
  LinkCreate,
  Source,
  WorkItemRecord,
  WorkItemRef,
} from './contract';
import { PAGE_CALL_NAMES } from './page-calls';
import type { Reply } from './reply';

/** Asked by content scripts on ticket pages. */
export const ContentRequest = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('context:get'), ref: WorkItemRef }),
  z.strictObject({ type: z.literal('item:record'), ref: WorkItemRef, record: WorkItemRecord }),
  z.strictObject({
    type: z.literal('link:create'),
    ref: WorkItemRef,
    objectiveId: Id,
    keyResultId: LinkCreate.shape.keyResultId,
  }),
  z.strictObject({ type: z.literal('link:end'), ref: WorkItemRef, linkId: Id }),
  z.strictObject({ type: z.literal('objectives:open') }),
  z.strictObject({ type: z.literal('identity:seen'), source: Source, name: z.string().min(1).max(200) }),
  z.strictObject({ type: z.literal('options:open') }),
  /** The selectors the workspace published for this host; `fresh`: the page showed no ticket with the last ones. */
  z.strictObject({ type: z.literal('selectors:get'), source: Source, fresh: z.boolean().optional() }),
]);
export type ContentRequest = z.infer<typeof ContentRequest>;

/** Asked only by the extension's own pages (popup, options, goals, review). */
export const PageRequest = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('settings:get') }),
  z.strictObject({
    type: z.literal('settings:set'),
    apiUrl: z.url({ protocol: /^https?$/ }).max(2048),
    /** Absent: keep the saved token. */
    token: z.string().max(200).optional(),
  }),
  z.strictObject({ type: z.literal('connection:test') }),
  z.strictObject({ type: z.literal('domains:list') }),
  z.strictObject({
    type: z.literal('domains:add'),
    origin: z.url({ protocol: /^https?$/ }).max(300),
    kind: z.enum(['jira', 'github']),
  }),
  z.strictObject({ type: z.literal('domains:remove'), origin: z.string().max(300) }),
  /** A goals API call by name (lib/page-calls.ts); its input is parsed there. */
  z.strictObject({ type: z.literal('api'), call: z.enum(PAGE_CALL_NAMES), input: z.unknown().optional() }),
  z.strictObject({ type: z.literal('badge:get') }),
  z.strictObject({ type: z.literal('badge:set'), mode: z.enum(['coverage', 'unlinked']) }),
  /** What the organisation set by browser policy (lib/managed.ts). */
  z.strictObject({ type: z.literal('policy:get') }),
]);
export type PageRequest = z.infer<typeof PageRequest>;

/**
 * Imports go over a port of this name (runtime.connect): the page sends the ImportRequest and hears
 * progress as the API writes rows, then the reply.
 */
export const IMPORT_PORT = 'objectives-import';
export type ImportPortMessage = { progress: ImportProgress } | { reply: Reply<ImportResult> };

export { fail, ok, type Problem, type ProblemKind, type Reply } from './reply';
