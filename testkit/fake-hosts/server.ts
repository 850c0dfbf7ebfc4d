/**
 * What the local stand-ins for GitHub, Jira and Asana share: a loopback HTTP server that answers
 * like the host (each host's file routes its own paths and shapes), refuses a wrong credential, and
 * on demand answers the host's rate-limit or server errors. No real host is reachable here; the
 * connectors are tested through their real client libraries against these.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** The raw body as sent, for signatures. */
  raw: string;
}

export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A fault answered instead of the next matching requests: a rate limit or a server error. */
export interface Fault {
  /** How many requests it answers before it is spent. */
  times: number;
  answer: (request: FakeRequest) => FakeAnswer;
  /** Which requests it answers; all when left out. */
  matches?: (request: FakeRequest) => boolean;
}

export interface Handled {
  at: number;
  method: string;
  path: string;
  status: number;
}

export interface FakeHost {
  url: string;
  /** Every request answered, in order. */
  log: Handled[];
  /** Answers the next matching requests with this fault first. */
  inject(fault: Fault): void;
  /**
   * Holds every request after the next `passing` until the returned release is called: a test
   * stops a client mid-sync at a known point, whatever the machine's speed.
   */
  holdAfter(passing: number): { held: () => number; release: () => void };
  close(): Promise<void>;
}

/**
 * Starts a host stand-in on 127.0.0.1 at an ephemeral port. `route` answers a request the
 * credential check let through; `authorized` says whether its credential is one the host takes.
 */
export async function startFakeHost(options: {
  authorized: (request: FakeRequest) => boolean;
  /** The host's own answer to a missing or refused credential. */
  unauthorized: (request: FakeRequest) => FakeAnswer;
  route: (request: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;
  port?: number;
}): Promise<FakeHost> {
  const log: Handled[] = [];
  const faults: Fault[] = [];
  let gate: { passing: number; waiting: (() => void)[]; open: Promise<void> } | null = null;
  const answerOf = async (request: FakeRequest): Promise<FakeAnswer> => {
    const fault = faults.find((f) => f.times > 0 && (f.matches?.(request) ?? true));
    if (fault) {
      fault.times -= 1;
      return fault.answer(request);
    }
    if (!options.authorized(request)) return options.unauthorized(request);
    return options.route(request);
  };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (gate) {
      if (gate.passing > 0) gate.passing -= 1;
      else {
        const { open } = gate;
        await new Promise<void>((resolve) => {
          gate?.waiting.push(resolve);
          void open.then(resolve);
        });
      }
    }
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      // The client went away (a killed process): nobody to answer.
      res.destroy();
      return;
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = null;
    if (raw && /json/.test(req.headers['content-type'] ?? '')) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = null;
      }
    }
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', 'http://127.0.0.1'),
      headers: req.headers,
      body,
      raw,
    };
    let answer: FakeAnswer;
    try {
      answer = await answerOf(request);
    } catch (error) {
      answer = { status: 500, body: { message: String(error) } };
    }
    log.push({ at: Date.now(), method: request.method, path: request.url.pathname, status: answer.status });
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...(text && { 'content-type': 'application/json; charset=utf-8' }),
      ...answer.headers,
    });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    inject: (fault) => faults.push(fault),
    holdAfter(passing) {
      let release = () => {};
      const open = new Promise<void>((resolve) => {
        release = resolve;
      });
      const held = { passing, waiting: [] as (() => void)[], open };
      gate = held;
      return {
        held: () => held.waiting.length,
        release: () => {
          if (gate === held) gate = null;
          release();
        },
      };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The bearer token a request carries, or null. */
export function bearerOf(request: FakeRequest): string | null {
  const header = request.headers.authorization ?? '';
  const match = /^(?:Bearer|token)\s+(.+)$/i.exec(header);
  return match ? (match[1] as string) : null;
}

/** The user and password of a Basic credential, or null. */
export function basicOf(request: FakeRequest): { user: string; password: string } | null {
  const match = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
