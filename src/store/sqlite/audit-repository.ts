// The audit trail over SQLite. Reads use the store's connection; writes go to a worker thread with
// its own connection (file databases) so a commit's fsync never stalls request handling, or run
// inline (in-memory databases, tools).

import { Worker } from 'node:worker_threads';
import type { AuditDigestRow, AuditEventRow, AuditQuery, AuditRepository } from '../audit-repository.ts';
import type { SqliteDatabase } from './sqlite-store.ts';
import { termOf } from './audit-term.ts';
import { INDEXED_THROUGH, SqliteAuditWriter, type AuditWriteCommand } from './audit-writer.ts';
import { packEvents } from './audit-batch-codec.ts';
import type { AuditWorkerReply, AuditWorkerRequest } from './audit-worker.ts';

interface AuditWriteChannel {
  /** Resolves once the command's effects are durable; `onCommitted` runs once they are committed. */
  send(cmd: AuditWorkerRequest['cmd'], onCommitted?: () => void): Promise<void>;
  close(): Promise<void>;
}

class InlineChannel implements AuditWriteChannel {
  readonly #db: SqliteDatabase;
  #writer: SqliteAuditWriter | undefined;
  constructor(db: SqliteDatabase) {
    this.#db = db;
  }
  async send(cmd: AuditWorkerRequest['cmd'], onCommitted?: () => void): Promise<void> {
    if (cmd.op === 'ping' || cmd.op === 'close') return;
    // Created on the first write, so read-only connections (the CLI) never prepare writes.
    (this.#writer ??= new SqliteAuditWriter(this.#db)).apply(cmd);
    onCommitted?.();
  }
  async close(): Promise<void> {}
}

/** Typed like a SQLite error so callers can tell, e.g., a constraint violation from a full disk. */
export class AuditWriteError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'AuditWriteError';
    this.code = code;
  }
}

function workerSource(): string {
  const here = import.meta.url;
  // Under tsx (tests, `npm start`) the worker must register the loader itself: Node 20 workers do
  // not inherit `--import` hooks. The compiled build imports the .js file directly.
  if (here.endsWith('.ts')) {
    const worker = new URL('./audit-worker.ts', here).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    return `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(worker)}); });`;
  }
  return `import(${JSON.stringify(new URL('./audit-worker.js', here).href)});`;
}

class WorkerChannel implements AuditWriteChannel {
  readonly #file: string;
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, { onCommitted: (() => void) | undefined; resolve: () => void; reject: (err: Error) => void }>();

  constructor(file: string) {
    this.#file = file;
  }

  #spawn(): Worker {
    const worker = new Worker(workerSource(), { eval: true, workerData: { file: this.#file } });
    worker.unref();
    worker.on('message', (reply: AuditWorkerReply) => {
      const p = this.#pending.get(reply.id);
      if (!p) return;
      if (reply.stage === 'committed' && !reply.error) {
        p.onCommitted?.();
        return;
      }
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) worker.unref();
      if (reply.error) p.reject(new AuditWriteError(reply.error.message, reply.error.code));
      else p.resolve();
    });
    const fail = (err: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    };
    worker.on('error', (err) => fail(err instanceof Error ? err : new Error(String(err))));
    worker.on('exit', (code) => fail(new AuditWriteError(`Audit writer thread exited with code ${code}`, undefined)));
    return worker;
  }

  send(cmd: AuditWorkerRequest['cmd'], onCommitted?: () => void): Promise<void> {
    const worker = (this.#worker ??= this.#spawn());
    const id = this.#nextId++;
    return new Promise<void>((resolve, reject) => {
      // Appends travel packed in one buffer that is handed over, not copied.
      const message: AuditWorkerRequest = cmd.op === 'append' ? { id, cmd: { op: 'appendPacked', packed: packEvents(cmd.events) } } : { id, cmd };
      this.#pending.set(id, { onCommitted, resolve, reject });
      // A pending write keeps the process alive; an idle writer does not.
      worker.ref();
      worker.postMessage(message, message.cmd.op === 'appendPacked' ? [message.cmd.packed] : []);
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    await this.send({ op: 'close' }).catch(() => undefined);
    this.#worker = undefined;
    await worker.terminate();
  }
}

interface EventRowRaw {
  seq: number;
  time: unknown;
  body: unknown;
  hash: unknown;
}

/** Rows are read as they are; a damaged row reaches the verifier, which reports it. */
const toEventRow = (r: EventRowRaw): AuditEventRow => ({
  seq: r.seq,
  time: Number(r.time),
  body: typeof r.body === 'string' ? r.body : Buffer.isBuffer(r.body) ? r.body.toString('utf8') : String(r.body),
  hash: Buffer.isBuffer(r.hash) ? r.hash : Buffer.from(String(r.hash), 'utf8'),
});

interface DigestRowRaw {
  number: number;
  first_seq: number;
  last_seq: number;
  end_time: number;
  body: unknown;
  signature: unknown;
}

const toDigestRow = (r: DigestRowRaw): AuditDigestRow => ({
  number: r.number,
  firstSeq: Number(r.first_seq),
  lastSeq: Number(r.last_seq),
  endTime: Number(r.end_time),
  body: String(r.body),
  signature: String(r.signature),
});

const MAX_SEQ = Number.MAX_SAFE_INTEGER;

export interface SqliteAuditOptions {
  /** The database file; writes run in a worker thread when given (not for `:memory:`). */
  readonly file?: string | undefined;
}

export function sqliteAuditRepository(db: SqliteDatabase, opts: SqliteAuditOptions = {}): AuditRepository {
  const channel: AuditWriteChannel = opts.file && opts.file !== ':memory:' ? new WorkerChannel(opts.file) : new InlineChannel(db);
  const last = db.prepare('SELECT seq, time, body, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
  const first = db.prepare('SELECT seq, time, body, hash FROM audit_events ORDER BY seq LIMIT 1');
  const from = db.prepare('SELECT seq, time, body, hash FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?');
  const descending = db.prepare('SELECT seq, time, body, hash FROM audit_events WHERE seq BETWEEN ? AND ? ORDER BY seq DESC LIMIT ?');
  const mark = db.prepare('SELECT value FROM kontext_meta WHERE name = ?').pluck();
  const maxSeq = db.prepare('SELECT max(seq) FROM audit_events').pluck();
  const minSeqAt = db.prepare('SELECT seq FROM audit_events WHERE time >= ? ORDER BY time, seq LIMIT 1').pluck();
  const maxSeqAt = db.prepare('SELECT seq FROM audit_events WHERE time <= ? ORDER BY time DESC, seq DESC LIMIT 1').pluck();
  const allDigests = db.prepare('SELECT * FROM audit_digests ORDER BY number');
  const newestDigest = db.prepare('SELECT * FROM audit_digests ORDER BY number DESC LIMIT 1');
  const queries = new Map<number, ReturnType<SqliteDatabase['prepare']>>();
  const queryWith = (filters: number) => {
    let stmt = queries.get(filters);
    if (!stmt) {
      // CROSS JOIN fixes the plan: walk the driver term's range newest first, check the other
      // terms by primary-key probes, then fetch the event.
      const exists = Array.from({ length: filters }, () => ' AND EXISTS (SELECT 1 FROM audit_terms x WHERE x.term = ? AND x.seq = d.seq)').join('');
      stmt = db.prepare(
        `SELECT e.seq, e.time, e.body, e.hash FROM audit_terms d CROSS JOIN audit_events e ON e.seq = d.seq
         WHERE d.term = ? AND d.seq BETWEEN ? AND ?${exists} ORDER BY d.seq DESC LIMIT ?`,
      );
      queries.set(filters, stmt);
    }
    return stmt;
  };
  const write = (cmd: AuditWriteCommand) => channel.send(cmd);

  return {
    append: (events, onCommitted) => channel.send({ op: 'append', events }, onCommitted),
    appendDigest: (digest) => write({ op: 'digest', digest }),
    index: (events) => write({ op: 'index', events }),
    deleteEvents: (events) => write({ op: 'deleteEvents', events }),
    deleteDigestsBefore: (number) => write({ op: 'deleteDigestsBefore', number }),
    async lastEvent() {
      const r = last.get() as EventRowRaw | undefined;
      return r && toEventRow(r);
    },
    async firstEvent() {
      const r = first.get() as EventRowRaw | undefined;
      return r && toEventRow(r);
    },
    async events(fromSeq, limit) {
      return (from.all(fromSeq, limit) as EventRowRaw[]).map(toEventRow);
    },
    async eventsDescending(maxSeq, minSeq, limit) {
      return (descending.all(minSeq, maxSeq, limit) as EventRowRaw[]).map(toEventRow);
    },
    async indexedThrough() {
      const value = mark.get(INDEXED_THROUGH) as string | undefined;
      // No mark: a trail indexed as it was written (or none yet).
      return value === undefined ? Number(maxSeq.get() ?? 0) : Number(value);
    },
    async query(q: AuditQuery) {
      const params: number[] = [termOf(q.driver), q.minSeq, q.maxSeq, ...q.filters.map(termOf), q.limit];
      return (queryWith(q.filters.length).all(params) as EventRowRaw[]).map(toEventRow);
    },
    async seqRange(fromTime, toTime) {
      const minSeq = fromTime === undefined ? 0 : ((minSeqAt.get(fromTime) as number | undefined) ?? MAX_SEQ);
      const maxSeq = toTime === undefined ? MAX_SEQ : ((maxSeqAt.get(toTime) as number | undefined) ?? 0);
      return { minSeq, maxSeq };
    },
    async digests() {
      return (allDigests.all() as DigestRowRaw[]).map(toDigestRow);
    },
    async lastDigest() {
      const r = newestDigest.get() as DigestRowRaw | undefined;
      return r && toDigestRow(r);
    },
    async ready() {
      await channel.send({ op: 'ping' });
    },
    close: () => channel.close(),
  };
}
