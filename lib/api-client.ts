/**
 * The goals API as the extension's background sees it: every response parsed with the shared
 * contract, every failure turned into a Problem the UI can explain.
 */
import type { z } from 'zod';
import {
  ErrorBody,
  Link,
  type LinkCreate,
  Me,
  type ObjectiveFilters,
  Objectives,
  WorkItem,
  WorkItemContext,
  type WorkItemRecord,
} from './contract';
import type { Problem, ProblemKind } from './messages';

export class ApiProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
  toProblem(): Problem {
    return { kind: this.kind, message: this.message };
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export class ApiClient {
  private fetch: typeof fetch;

  constructor(private options: ApiClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  private async request<T extends z.ZodType>(
    schema: T,
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<z.infer<T>> {
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
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new ApiProblem(
        'unreachable',
        `The goals API at ${this.options.baseUrl} did not answer (${(error as Error).message}).`,
      );
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiProblem(
        'unreachable',
        `The goals API answered ${response.status} with something that is not JSON.`,
        response.status,
      );
    }
    if (!response.ok) {
      const error = ErrorBody.safeParse(json);
      const message = error.success ? error.data.error.message : `The goals API answered ${response.status}.`;
      if (response.status === 401) throw new ApiProblem('revoked', message, 401);
      // Busy or overloaded: try again later, never give up a queued link for it.
      if (response.status >= 500 || response.status === 429 || response.status === 408) {
        throw new ApiProblem('unreachable', message, response.status);
      }
      throw new ApiProblem('refused', message, response.status);
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

  objectives(filters: Partial<ObjectiveFilters> = {}) {
    const query = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => !!e[1]));
    return this.request(Objectives, 'GET', `/v1/objectives?${query}`);
  }
}
