// The HTTP edge: one endpoint, keep-alive, bounded bodies, a request id on every response.
// Dispatches by request shape: `X-Amz-Target` → awsJson1.1 services; form-encoded POST → Query
// services (IAM, STS); GET /healthz → liveness.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { KontextError } from '../errors.ts';
import type { RequestMeta } from '../operations/operation.ts';

export interface ReceivedRequest {
  readonly meta: RequestMeta;
  readonly method: string;
  readonly rawUrl: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

export interface ProtocolResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string | Buffer;
  readonly headers?: Record<string, string>;
}

export interface ProtocolHandler {
  /** True when this protocol serves the request (decided from method and headers only). */
  accepts(req: IncomingMessage): boolean;
  handle(req: ReceivedRequest): Promise<ProtocolResponse>;
  /** The protocol's error response for failures before the handler runs (oversize body). */
  errorResponse(req: IncomingMessage, err: KontextError, requestId: string): ProtocolResponse;
}

export interface HttpServerOptions {
  readonly maxBodyBytes: number;
  readonly protocols: readonly ProtocolHandler[];
  readonly log: Logger;
  readonly now: () => number;
  /** Extra GET routes (e.g. /metrics, /readyz) answered before protocol dispatch. */
  readonly routes?: ReadonlyMap<string, (res: ServerResponse) => void | Promise<void>>;
}

function send(res: ServerResponse, requestId: string, r: ProtocolResponse): void {
  const body = typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : r.body;
  res.writeHead(r.status, {
    'x-amzn-RequestId': requestId,
    'Content-Type': r.contentType,
    'Content-Length': String(body.length),
    // No Date here: node adds it from a per-second cache (sendDate), a toUTCString() per response less.
    ...r.headers,
  });
  res.end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

export function createHttpServer(opts: HttpServerOptions): Server {
  const { log } = opts;
  const server = createServer({ keepAlive: true, keepAliveTimeout: 65_000, requestTimeout: 30_000, headersTimeout: 20_000 }, (req, res) => {
    const requestId = randomUUID();
    handleRequest(req, res, requestId).catch((err: unknown) => {
      log.error({ err, requestId }, 'request handling failed');
      if (!res.headersSent) send(res, requestId, { status: 500, contentType: 'application/json', body: '{"__type":"InternalFailure","message":"An internal error occurred"}' });
      else res.destroy();
    });
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const path = req.url ?? '/';
    if (req.method === 'GET' || req.method === 'HEAD') {
      const route = opts.routes?.get(path.split('?')[0] as string);
      if (path === '/healthz' || path.startsWith('/healthz?')) {
        send(res, requestId, { status: 200, contentType: 'application/json', body: '{"status":"ok"}' });
        return;
      }
      if (route) {
        await route(res);
        return;
      }
    }
    const protocol = opts.protocols.find((p) => p.accepts(req));
    if (!protocol) {
      req.resume();
      send(res, requestId, {
        status: 404,
        contentType: 'application/x-amz-json-1.1',
        body: JSON.stringify({ __type: 'UnknownOperationException', message: 'No operation matches this request: send POST / with X-Amz-Target or a form-encoded Action' }),
        headers: { 'x-amzn-ErrorType': 'UnknownOperationException' },
      });
      return;
    }
    const body = await readBody(req, opts.maxBodyBytes);
    if (body === undefined) {
      const err = new KontextError('RequestEntityTooLargeException', `Request body exceeds the maximum of ${opts.maxBodyBytes} bytes`);
      send(res, requestId, { ...protocol.errorResponse(req, err, requestId), headers: { Connection: 'close' } });
      return;
    }
    const forwarded = req.socket.remoteAddress ?? '127.0.0.1';
    const meta: RequestMeta = {
      requestId,
      sourceIp: forwarded.startsWith('::ffff:') ? forwarded.slice(7) : forwarded,
      userAgent: String(req.headers['user-agent'] ?? ''),
      receivedAt: opts.now(),
      secureTransport: false,
    };
    const response = await protocol.handle({ meta, method: req.method ?? 'POST', rawUrl: path, headers: req.headers, body });
    send(res, requestId, response);
  }

  return server;
}
