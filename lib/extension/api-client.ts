/**
 * The goals API as the extension's background sees it: every response parsed with the shared
 * contract, every failure turned into a Problem the UI can explain.
 */
import type { z } from 'zod';
import { PublishedSelectors } from '../hosts/pages/overrides';
import {
  Connection,
  ConnectionCheck,
  type ConnectionCreate,
  ConnectionMade,
  Connections,
  ErrorBody,
  HeldReview,
  type HeldReviewCreate,
  HeldReviews,
  type IdentitiesPatch,
  type ImportProgress,
  type ImportRequest,
  ImportResult,
  ImportStreamLine,
  KeyResult,
  type KeyResultCreate,
  type KeyResultPatch,
  Link,
  type LinkCreate,
  LinkException,
  type LinkExceptionCreate,
  type LinkExceptionFilters,
  LinkExceptions,
  type LinkFilters,
  Links,
  Me,
  MyCoverage,
  Objective,
  type ObjectiveCreate,
  type ObjectiveFilters,
  type ObjectivePatch,
  Objectives,
  PAGE_LIMITS,
  Periods,
  Review,
  type ReviewQuery,
  ScopeEntries,
  ScopeEntry,
  type ScopeEntryCreate,
  StatusUpdate,
  type StatusUpdateCreate,
  StatusUpdates,
  SyncQueued,
  Teams,
  Users,
  WorkItem,
  WorkItemContext,
  type WorkItemRecord,
} from '../shared/contract';
import type { Problem, ProblemKind } from './reply';

export class ApiProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    message: string,
    readonly status?: number,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }
  toProblem(): Problem {
    return { kind: this.kind, message: this.message, ...(this.issues?.length && { issues: this.issues }) };
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The parsed body, or undefined when it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The query string of a filter object: unset and empty values left out. */
function queryOf(filters: object): string {
  const entries = Object.entries(filters).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString();
}

export class ApiClient {
  private fetch: typeof fetch;

  constructor(private options: ApiClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Sends one request; answers the response when the API said yes, throws a Problem otherwise. */
  private async respond(
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<Response> {
    if (!this.options.token) throw new ApiProblem('signed_out', 'No API token is set: add one in the options.');
    let response: Response;
    try {
      response = await this.fetch(new URL(path, this.options.baseUrl), {
        method,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          ...(init.body !== undefined && { 'content-type': 'application/json' }),
          ...init.headers,
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(init.timeoutMs ?? this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      // In words, not the browser's "Failed to fetch".
      const timedOut = (error as Error).name === 'TimeoutError';
      const seconds = Math.round((init.timeoutMs ?? this.options.timeoutMs ?? 10_000) / 1000);
      throw new ApiProblem(
        'unreachable',
        timedOut
          ? `The goals API at ${this.options.baseUrl} did not answer within ${seconds} s.`
          : `The goals API at ${this.options.baseUrl} could not be reached: this device may be offline, or the server down.`,
      );
    }
    if (response.ok) return response;
    const error = ErrorBody.safeParse(parseJson(await response.text()));
    const message = error.success ? error.data.error.message : `The goals API answered ${response.status}.`;
    if (response.status === 401) throw new ApiProblem('revoked', message, 401);
    // Busy or overloaded: try again later, never give up a queued link for it.
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      throw new ApiProblem('unreachable', message, response.status);
    }
    throw new ApiProblem('refused', message, response.status, error.success ? error.data.error.issues : undefined);
  }

  private async send(
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<string> {
    return (await this.respond(method, path, init)).text();
  }

  private async request<T extends z.ZodType>(
    schema: T,
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<z.infer<T>> {
    const json = parseJson(await this.send(method, path, init));
    // Something else answers at that address (a web server, a sign-in portal): not our API.
    if (json === undefined) {
      throw new ApiProblem('unreachable', `What answers at ${this.options.baseUrl} is not a goals API (not JSON).`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new ApiProblem(
        'refused',
        `The goals API answered in an unexpected shape: ${parsed.error.issues[0]?.message}`,
      );
    }
    return parsed.data;
  }

  /**
   * Every page of a list, in order: the API pages every list and these screens need all of it, so
   * following `nextCursor` here keeps each caller from stopping at the first page.
   */
  private async everyPage<
    K extends string,
    S extends z.ZodType<{ [key in K]: unknown[] } & { nextCursor: string | null }>,
  >(schema: S, key: K, path: string, query: object): Promise<z.infer<S>> {
    const rows: unknown[] = [];
    let cursor: string | undefined;
    let page: z.infer<S>;
    do {
      page = await this.request(schema, 'GET', `${path}?${queryOf({ ...query, cursor })}`);
      rows.push(...page[key]);
      if (page.nextCursor !== null && page.nextCursor === cursor) {
        throw new ApiProblem('refused', `The goals API gave the same page of ${path} twice; stopped reading it.`);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { ...page, [key]: rows, nextCursor: null };
  }

  me() {
    return this.request(Me, 'GET', '/v1/me');
  }

  context(ref: string) {
    return this.request(WorkItemContext, 'GET', `/v1/work-items/${encodeURIComponent(ref)}/context`);
  }

  record(ref: string, record: WorkItemRecord) {
    return this.request(WorkItem, 'PUT', `/v1/work-items/${encodeURIComponent(ref)}`, { body: record });
  }

  createLink(input: LinkCreate, idempotencyKey: string) {
    return this.request(Link, 'POST', '/v1/links', { body: input, headers: { 'idempotency-key': idempotencyKey } });
  }

  endLink(id: string) {
    return this.request(Link, 'DELETE', `/v1/links/${id}`);
  }

  /** "Not for this goal": the ticket stops inheriting the objective from its containers. */
  createException(input: LinkExceptionCreate) {
    return this.request(LinkException, 'POST', '/v1/link-exceptions', { body: input });
  }

  exceptions(filters: z.input<typeof LinkExceptionFilters>) {
    return this.everyPage(LinkExceptions, 'exceptions', '/v1/link-exceptions', {
      ...filters,
      limit: PAGE_LIMITS.links,
    });
  }

  endException(id: string) {
    return this.request(LinkException, 'DELETE', `/v1/link-exceptions/${id}`);
  }

  scope() {
    return this.everyPage(ScopeEntries, 'entries', '/v1/scope', { limit: PAGE_LIMITS.scope });
  }

  declareScope(input: ScopeEntryCreate) {
    return this.request(ScopeEntry, 'POST', '/v1/scope', { body: input });
  }

  removeScope(id: string) {
    return this.request(ScopeEntry, 'DELETE', `/v1/scope/${id}`);
  }

  connections() {
    return this.everyPage(Connections, 'connections', '/v1/connections', { limit: PAGE_LIMITS.scope });
  }

  /** The token goes to the API, which seals it; the extension keeps no copy. */
  createConnection(input: ConnectionCreate) {
    return this.request(ConnectionMade, 'POST', '/v1/connections', { body: input });
  }

  checkConnection(id: string) {
    return this.request(ConnectionCheck, 'POST', `/v1/connections/${id}/check`);
  }

  syncConnection(id: string, mode: 'full' | 'incremental') {
    return this.request(SyncQueued, 'POST', `/v1/connections/${id}/syncs`, { body: { mode } });
  }

  removeConnection(id: string) {
    return this.request(Connection, 'DELETE', `/v1/connections/${id}`);
  }

  objectives(filters: Partial<ObjectiveFilters> = {}) {
    return this.everyPage(Objectives, 'objectives', '/v1/objectives', { ...filters, limit: PAGE_LIMITS.objectives });
  }

  updateIdentities(patch: z.input<typeof IdentitiesPatch>) {
    return this.request(Me, 'PATCH', '/v1/me', { body: patch });
  }

  myCoverage() {
    return this.request(MyCoverage, 'GET', '/v1/me/coverage');
  }

  periods() {
    return this.everyPage(Periods, 'periods', '/v1/periods', { limit: PAGE_LIMITS.periods });
  }

  teams() {
    return this.everyPage(Teams, 'teams', '/v1/teams', { limit: PAGE_LIMITS.teams });
  }

  users() {
    return this.everyPage(Users, 'users', '/v1/users', { limit: PAGE_LIMITS.users });
  }

  createObjective(input: ObjectiveCreate) {
    return this.request(Objective, 'POST', '/v1/objectives', { body: input });
  }

  updateObjective(id: string, patch: z.input<typeof ObjectivePatch>) {
    return this.request(Objective, 'PATCH', `/v1/objectives/${id}`, { body: patch });
  }

  createKeyResult(objectiveId: string, input: KeyResultCreate) {
    return this.request(KeyResult, 'POST', `/v1/objectives/${objectiveId}/key-results`, { body: input });
  }

  updateKeyResult(id: string, patch: z.input<typeof KeyResultPatch>) {
    return this.request(KeyResult, 'PATCH', `/v1/key-results/${id}`, { body: patch });
  }

  statusUpdates(objectiveId: string) {
    return this.everyPage(StatusUpdates, 'updates', `/v1/objectives/${objectiveId}/updates`, {
      limit: PAGE_LIMITS.statusUpdates,
    });
  }

  postStatusUpdate(objectiveId: string, input: z.input<typeof StatusUpdateCreate>) {
    return this.request(StatusUpdate, 'POST', `/v1/objectives/${objectiveId}/updates`, { body: input });
  }

  links(filters: z.input<typeof LinkFilters>) {
    return this.everyPage(Links, 'links', '/v1/links', { ...filters, limit: PAGE_LIMITS.links });
  }

  importObjectives(input: z.input<typeof ImportRequest>) {
    // A large file takes a while to check and write in one transaction.
    return this.request(ImportResult, 'POST', '/v1/objectives/import', { body: input, timeoutMs: 120_000 });
  }

  /**
   * The same import, told its progress as the API writes each row: the API answers one JSON line
   * per step (progress, then the result or the refusal).
   */
  async importObjectivesWithProgress(
    input: z.input<typeof ImportRequest>,
    onProgress: (progress: ImportProgress) => void,
  ): Promise<ImportResult> {
    const response = await this.respond('POST', '/v1/objectives/import', {
      body: input,
      headers: { accept: 'application/x-ndjson' },
      timeoutMs: 600_000,
    });
    const broken = new ApiProblem(
      'unreachable',
      'The connection to the goals API broke before the import ended, so it may or may not be written: check the objectives before importing again.',
    );
    const reader = response.body?.getReader();
    if (!reader) throw broken;
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) throw broken;
        buffered += decoder.decode(value, { stream: true });
        let newline = buffered.indexOf('\n');
        while (newline >= 0) {
          const line = ImportStreamLine.safeParse(parseJson(buffered.slice(0, newline)));
          buffered = buffered.slice(newline + 1);
          newline = buffered.indexOf('\n');
          if (!line.success) {
            throw new ApiProblem('refused', 'The goals API answered the import in an unexpected shape.');
          }
          if ('progress' in line.data) onProgress(line.data.progress);
          else if ('result' in line.data) return line.data.result;
          else throw new ApiProblem('refused', line.data.error.message, 422, line.data.error.issues);
        }
      }
    } catch (error) {
      throw error instanceof ApiProblem ? error : broken;
    } finally {
      reader.cancel().catch(() => {});
    }
  }

  exportObjectives(format: 'yaml' | 'csv', period?: string) {
    return this.send('GET', `/v1/objectives/export?${queryOf({ format, period })}`);
  }

  review(query: Partial<z.input<typeof ReviewQuery>>) {
    return this.request(Review, 'GET', `/v1/review?${queryOf(query)}`);
  }

  heldReviews(team?: string) {
    return this.everyPage(HeldReviews, 'reviews', '/v1/reviews', { team, limit: PAGE_LIMITS.reviews });
  }

  holdReview(input: HeldReviewCreate) {
    return this.request(HeldReview, 'POST', '/v1/reviews', { body: input });
  }

  /** The host selectors the workspace published, as many as this version can use (the rest left out). */
  hostSelectors() {
    return this.request(PublishedSelectors, 'GET', '/v1/host-selectors');
  }
}
