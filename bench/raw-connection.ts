// A minimal HTTP/1.1 keep-alive client connection for the load generator: one request in flight,
// responses framed by Content-Length (both servers under test always send it). Far cheaper per
// request than node:http's client, so one generator core can outrun one server core.

import { connect, type Socket } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly body: Buffer;
}

export type ResponseCallback = (err: Error | undefined, res: RawResponse | undefined) => void;

const HEADER_END = Buffer.from('\r\n\r\n');

export class RawConnection {
  readonly #host: string;
  readonly #port: number;
  #socket: Socket | undefined;
  #pending: ResponseCallback | undefined;
  #chunks: Buffer[] = [];
  #size = 0;
  #headerEnd = -1;
  #status = 0;
  #contentLength = -1;
  #closeAfter = false;
  /** Connections opened over this object's life (1 unless the server closed one). */
  connects = 0;

  constructor(host: string, port: number) {
    this.#host = host;
    this.#port = port;
  }

  #open(): Socket {
    const socket = connect({ host: this.#host, port: this.#port, noDelay: true });
    this.connects++;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    const fail = (err: Error) => {
      // Events of a socket we already let go of must not fail the request on its successor.
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      socket.destroy();
      this.#finish(err, undefined);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed by server')));
    this.#socket = socket;
    return socket;
  }

  /** Sends one complete request (head + body); the callback gets the response or the failure. */
  send(request: Buffer | string, cb: ResponseCallback): void {
    if (this.#pending) throw new Error('RawConnection: a request is already in flight');
    this.#pending = cb;
    this.#chunks = [];
    this.#size = 0;
    this.#headerEnd = -1;
    this.#contentLength = -1;
    this.#closeAfter = false;
    (this.#socket ?? this.#open()).write(request);
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  #onData(chunk: Buffer): void {
    if (!this.#pending) return;
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    let buf = this.#chunks.length === 1 ? chunk : Buffer.concat(this.#chunks, this.#size);
    if (this.#chunks.length > 1) this.#chunks = [buf];
    if (this.#headerEnd < 0) {
      const end = buf.indexOf(HEADER_END);
      if (end < 0) return;
      this.#headerEnd = end + 4;
      const head = buf.toString('latin1', 0, end);
      this.#status = Number(head.slice(9, 12));
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!m) {
        this.close();
        this.#finish(new Error('response without Content-Length'), undefined);
        return;
      }
      this.#contentLength = Number(m[1]);
      this.#closeAfter = /\r\nconnection:\s*close/i.test(head);
    }
    const total = this.#headerEnd + this.#contentLength;
    if (buf.length < total) return;
    if (buf.length > total) {
      this.close();
      this.#finish(new Error('unexpected bytes after the response'), undefined);
      return;
    }
    const body = buf.subarray(this.#headerEnd, total);
    if (this.#closeAfter) this.close();
    buf = body;
    this.#finish(undefined, { status: this.#status, body: buf });
  }

  #finish(err: Error | undefined, res: RawResponse | undefined): void {
    const cb = this.#pending;
    if (!cb) return;
    this.#pending = undefined;
    cb(err, res);
  }
}
