/**
 * What the extension's own pages (popup, options, goals, review) may ask of the goals API through
 * the background, by name: each call's input is parsed with the shared contract before it runs.
 * Named calls, not "fetch this path for me": a page can do exactly what this table lists.
 */
import { z } from 'zod';
import {
  ConnectionCreate,
  HeldReviewCreate,
  Id,
  IdentitiesPatch,
  ImportRequest,
  KeyResultCreate,
  KeyResultPatch,
  LinkCreate,
  LinkExceptionFilters,
  LinkFilters,
  ObjectiveCreate,
  ObjectiveFilters,
  ObjectivePatch,
  ReviewQuery,
  ScopeEntryCreate,
  StatusUpdateCreate,
  text,
} from '../shared/contract';
import type { ApiClient } from './api-client';

const call = <I extends z.ZodType, O>(input: I, run: (api: ApiClient, input: z.output<I>) => Promise<O>) => ({
  input,
  run,
});
const none = z.undefined();

export const pageCalls = {
  me: call(none, (api) => api.me()),
  updateIdentities: call(IdentitiesPatch, (api, patch) => api.updateIdentities(patch)),
  myCoverage: call(none, (api) => api.myCoverage()),
  periods: call(none, (api) => api.periods()),
  teams: call(none, (api) => api.teams()),
  users: call(none, (api) => api.users()),
  objectives: call(ObjectiveFilters, (api, filters) => api.objectives(filters)),
  createObjective: call(ObjectiveCreate, (api, input) => api.createObjective(input)),
  updateObjective: call(z.strictObject({ id: Id, patch: ObjectivePatch }), (api, { id, patch }) =>
    api.updateObjective(id, patch),
  ),
  createKeyResult: call(z.strictObject({ objectiveId: Id, keyResult: KeyResultCreate }), (api, i) =>
    api.createKeyResult(i.objectiveId, i.keyResult),
  ),
  updateKeyResult: call(z.strictObject({ id: Id, patch: KeyResultPatch }), (api, { id, patch }) =>
    api.updateKeyResult(id, patch),
  ),
  statusUpdates: call(z.strictObject({ objectiveId: Id }), (api, i) => api.statusUpdates(i.objectiveId)),
  postStatusUpdate: call(z.strictObject({ objectiveId: Id, update: StatusUpdateCreate }), (api, i) =>
    api.postStatusUpdate(i.objectiveId, i.update),
  ),
  links: call(LinkFilters, (api, filters) => api.links(filters)),
  // A retry of the same click may come twice; the API answers the existing live link either way.
  createLink: call(LinkCreate, (api, input) => api.createLink(input, crypto.randomUUID())),
  linkExceptions: call(LinkExceptionFilters, (api, filters) => api.exceptions(filters)),
  importObjectives: call(ImportRequest, (api, input) => api.importObjectives(input)),
  exportObjectives: call(
    z.strictObject({ format: z.enum(['yaml', 'csv']), period: text(100).optional() }),
    (api, { format, period }) => api.exportObjectives(format, period),
  ),
  review: call(ReviewQuery, (api, query) => api.review(query)),
  heldReviews: call(z.strictObject({ team: Id.optional() }), (api, { team }) => api.heldReviews(team)),
  holdReview: call(HeldReviewCreate, (api, input) => api.holdReview(input)),
  scope: call(none, (api) => api.scope()),
  declareScope: call(ScopeEntryCreate, (api, input) => api.declareScope(input)),
  removeScope: call(z.strictObject({ id: Id }), (api, { id }) => api.removeScope(id)),
  connections: call(none, (api) => api.connections()),
  createConnection: call(ConnectionCreate, (api, input) => api.createConnection(input)),
  removeConnection: call(z.strictObject({ id: Id }), (api, { id }) => api.removeConnection(id)),
  checkConnection: call(z.strictObject({ id: Id }), (api, { id }) => api.checkConnection(id)),
  syncConnection: call(z.strictObject({ id: Id, mode: z.enum(['full', 'incremental']) }), (api, { id, mode }) =>
    api.syncConnection(id, mode),
  ),
};

export type PageCalls = typeof pageCalls;
export type PageCallName = keyof PageCalls;
export const PAGE_CALL_NAMES = Object.keys(pageCalls) as [PageCallName, ...PageCallName[]];
export type PageCallInput<K extends PageCallName> = z.input<PageCalls[K]['input']>;
export type PageCallOutput<K extends PageCallName> = Awaited<ReturnType<PageCalls[K]['run']>>;
