/**
 * The typed messages between the extension's parts. Only the background talks to the goals API;
 * content scripts and pages ask it through these. Every message is parsed with zod on arrival.
 */
import { z } from 'zod';
import {
  Id,
  type Link,
  LinkCreate,
  Source,
  type WorkItemContext,
  WorkItemRecord,
  WorkItemRef,
} from '../shared/contract';
import type { CustomDomain } from './custom-domains';
import type { QueuedLink } from './link-queue';
import type { SettingSource } from './managed';
import { PAGE_CALL_NAMES } from './page-calls';

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
  /** "Not for this goal" on a goal the ticket inherits, and its withdrawal. */
  z.strictObject({ type: z.literal('exception:create'), ref: WorkItemRef, objectiveId: Id }),
  z.strictObject({ type: z.literal('exception:end'), ref: WorkItemRef, exceptionId: Id }),
  z.strictObject({ type: z.literal('objectives:open') }),
  z.strictObject({ type: z.literal('identity:seen'), source: Source, name: z.string().min(1).max(200) }),
  z.strictObject({ type: z.literal('options:open') }),
  /** The goals page, at the objective a ticket serves. */
  z.strictObject({ type: z.literal('goals:open'), objectiveId: Id }),
  /** An admin tracks the ticket's repository or project: it becomes part of the workspace's scope. */
  z.strictObject({ type: z.literal('scope:track'), ref: WorkItemRef }),
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
    /** Absent: keep the saved token if it was saved for the same server (origin); else none. */
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
  /** A goals API call by name (lib/extension/page-calls.ts); its input is parsed there. */
  z.strictObject({ type: z.literal('api'), call: z.enum(PAGE_CALL_NAMES), input: z.unknown().optional() }),
  z.strictObject({ type: z.literal('badge:get') }),
  z.strictObject({ type: z.literal('badge:set'), mode: z.enum(['coverage', 'unlinked']) }),
  /** What the organisation set by browser policy (lib/extension/managed.ts). */
  z.strictObject({ type: z.literal('policy:get') }),
]);
export type PageRequest = z.infer<typeof PageRequest>;

// Replies the screens read.

/** What the options show of the organisation's policy. */
export interface PolicyView {
  managed: boolean;
  locked: boolean;
  apiUrl: string | null;
  /** Whether the policy sets the token (never the token itself). */
  token: boolean;
  domains: (CustomDomain & { allowed: boolean })[];
  problems: string[];
  /** Where the settings in use come from. */
  apiUrlFrom: SettingSource;
  tokenFrom: SettingSource | null;
}

export interface TicketView {
  context: WorkItemContext;
  /** Links made while the API was unreachable, not sent yet. */
  pending: QueuedLink[];
  /** Absent when the API just gave it; when it could not be reached, the time (ms) the context shown was read. */
  asOf?: number;
}

export type LinkOutcome = { status: 'linked'; link: Link } | { status: 'queued'; pending: QueuedLink };

export {
  fail,
  IMPORT_PORT,
  type ImportPortMessage,
  ok,
  type Problem,
  type ProblemKind,
  type Reply,
} from './reply';
