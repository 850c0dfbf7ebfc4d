/**
 * What Node's HTTP parser refuses before the app sees a request (headers or a URL too long, bytes
 * that are not HTTP), answered as JSON like every other refusal instead of Node's bare status line.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorCode } from '../lib/shared/contract';
import { errorBody } from './errors';

/** The request line and headers together: Node's default, set explicitly so the README holds. */
export const MAX_HEADER_BYTES = 16 * 1024;
/** The request target (path and query): refused with 414 beyond this. */
const MAX_URL_BYTES = 8 * 1024;

/**
 * After answering, what a refused client may still send (and we read, to close without a reset):
 * until a deadline counted from the refusal, however often it sends, and no more than a cap.
 */
const DRAIN_MS = 2_000;
const DRAIN_BYTES = 1024 * 1024;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
};

function rawResponse(status: number, code: ErrorCode, message: string): string {
  const body = JSON.stringify(errorBody(code, message));
  return (
    `HTTP/1.1 ${status} ${REASONS[status]}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

function jsonResponse(status: number, code: ErrorCode, message: string): Response {
  return new Response(JSON.stringify(errorBody(code, message)), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

export function urlTooLong(incoming: IncomingMessage): Response | null {
  // The raw request target, as sent: no URL object is made on the hot path.
  return (incoming.url?.length ?? 0) > MAX_URL_BYTES
    ? jsonResponse(414, 'uri_too_long', `The URL is too long: at most ${MAX_URL_BYTES} bytes of path and query`)
    : null;
}

interface ParseError extends NodeJS.ErrnoException {
  bytesParsed?: number;
  rawPacket?: Buffer;
}

/**
 * Whether the parser stopped inside the request line: the packet it choked on starts the request
 * and holds no line end before that point. Told apart only when it can be; otherwise a 431. When
 * a long URL reaches us in several packets, the earlier ones are gone (Node's parser reads the
 * socket itself, out of JavaScript's sight), so it is a 431 too: the README says so.
 */
function overflowedInRequestLine(error: ParseError, socket: Socket): boolean {
  const raw = error.rawPacket;
  if (!raw || socket.bytesRead !== raw.length || !/^[A-Z]+ /.test(raw.subarray(0, 16).toString('latin1'))) {
    return false;
  }
  const lineEnd = raw.indexOf('\r\n');
  return lineEnd === -1 || lineEnd >= (error.bytesParsed ?? raw.length);
}

function refusal(error: ParseError, socket: Socket): string {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return overflowedInRequestLine(error, socket)
        ? rawResponse(414, 'uri_too_long', `The URL is too long: at most ${MAX_URL_BYTES} bytes of path and query`)
        : rawResponse(
            431,
            'headers_too_large',
            `The request's headers are too large: at most ${MAX_HEADER_BYTES} bytes with the request line`,
          );
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return rawResponse(413, 'payload_too_large', 'Request body too large (chunk extensions)');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return rawResponse(408, 'request_timeout', 'The request did not arrive in time');
    default:
      return rawResponse(400, 'bad_request', `Malformed HTTP request: ${error.message}`);
  }
}

/**
 * Answers the parser's refusals on `server` with a JSON error, then closes gracefully: the answer
 * is sent and our side shut (FIN), while what the client is still sending is read and dropped, up
 * to DRAIN_BYTES and until DRAIN_MS after the refusal at the latest (a deadline, not an idle
 * timeout: a client trickling bytes does not hold the socket, nor `server.close()`); closing with
 * unread bytes would reset the connection and could lose the answer on the client's side. A client
 * too slow to send its request (408) is not waited for: it gets the answer and the socket is closed.
 */
export function answerParseErrors(server: Server): void {
  const answered = new WeakSet<Socket>();
  server.on('clientError', (error: ParseError, socket: Socket) => {
    // The parser keeps failing on each further packet of the same connection.
    if (answered.has(socket)) return;
    answered.add(socket);
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const deadline = setTimeout(() => socket.destroy(), DRAIN_MS).unref();
    socket.once('close', () => clearTimeout(deadline));
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      socket.end(refusal(error, socket), () => socket.destroy());
      return;
    }
    socket.end(refusal(error, socket));
    // Our own listener in place of the parser's: Node hands the socket's bytes back to JavaScript.
    socket.removeAllListeners('data');
    let drained = 0;
    socket.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > DRAIN_BYTES) socket.destroy();
    });
    socket.once('end', () => socket.destroy());
    socket.resume();
  });
}
