// The audit trail over SQLite. Reads use the store's connection; writes go through the trail's
// own connection (audit-file-writer.ts: commit now, fdatasync off-thread) for database files, or
// run inline for in-memory databases.

import type { AuditDigestRow, AuditEventRow, AuditQuery, AuditRepository } from '../audit-repository.ts';
import type { SqliteDatabase } from './sqlite-store.ts';
import { termOf } from './audit-term.ts';
import { INDEXED_THROUGH, SqliteAuditWriter, type AuditWriteCommand } from './audit-writer.ts';
import { AuditFileWriter } from './audit-file-writer.ts';

interface AuditWriteChannel {
  /** Resolves once the command's effects are durable; `onCommitted` runs once they are committed. */
  send(cmd: AuditWriteCommand, onCommitted?: () => void): Promise<void>;
  ready(): void;
  close(): Promise<void>;
}

/** In-memory databases (tests, tools): one transaction, terms included, nothing to sync. */
class InlineChannel implements AuditWriteChannel {
  readonly #db: SqliteDatabase;
  #writer: SqliteAuditWriter | undefined;
  constructor(db: SqliteDatabase) {
    this.#db = db;
  }
  ready(): void {}
  async send(cmd: AuditWriteCommand, onCommitted?: () => void): Promise<void> {
    // Created on the first write, so read-only connections (the CLI) never prepare writes.
    (this.#writer ??= new SqliteAuditWriter(this.#db)).apply(cmd);
    onCommitted?.();
  }
  async close(): Promise<void> {}
}

class FileChannel implements AuditWriteChannel {
  readonly #file: string;
  #writer: AuditFileWriter | undefined;
  constructor(file: string) {
    this.#file = file;
  }
  ready(): void {
    this.#writer ??= new AuditFileWriter(this.#file);
  }
  send(cmd: AuditWriteCommand, onCommitted?: () => void): Promise<void> {
    try {
      return (this.#writer ??= new AuditFileWriter(this.#file)).write(cmd, onCommitted);
    } catch (err) {
      return Promise.reject(err);
    }
  }
  async close(): Promise<void> {
    await this.#writer?.close();
    this.#writer = undefined;
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
  /** The database file; writes use the trail's own connection when given (not for `:memory:`). */
  readonly file?: string | undefined;
}

export function sqliteAuditRepository(db: SqliteDatabase, opts: SqliteAuditOptions = {}): AuditRepository {
  const channel: AuditWriteChannel = opts.file && opts.file !== ':memory:' ? new FileChannel(opts.file) : new InlineChannel(db);
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
      channel.ready();
    },
    close: () => channel.close(),
  };
}
