// The audit trail over SQLite. Reads use the store's connection; writes go through the trail's
// own connection (audit-file-writer.ts: commit now, fdatasync off-thread) for database files, or
// run inline for in-memory databases.

import type { AuditDigestRow, AuditEventRow, AuditQuery, AuditRepository } from '../audit-repository.ts';
import type { SqliteDatabase } from './sqlite-store.ts';
import type { Statement } from 'better-sqlite3';
import { termOf } from './audit-term.ts';
import { CHUNK_SIZE, chunkOf, decodeOffsets, intersectOffsets } from './audit-postings.ts';
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
  // Arrays, not objects: verification reads every row of the trail.
  const chainFrom = db.prepare('SELECT seq, body, hash FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?').raw(true);
  const descending = db.prepare('SELECT seq, time, body, hash FROM audit_events WHERE seq BETWEEN ? AND ? ORDER BY seq DESC LIMIT ?');
  const mark = db.prepare('SELECT value FROM kontext_meta WHERE name = ?').pluck();
  const maxSeq = db.prepare('SELECT max(seq) FROM audit_events').pluck();
  const minSeqAt = db.prepare('SELECT seq FROM audit_events WHERE time >= ? ORDER BY time, seq LIMIT 1').pluck();
  const maxSeqAt = db.prepare('SELECT seq FROM audit_events WHERE time <= ? ORDER BY time DESC, seq DESC LIMIT 1').pluck();
  const allDigests = db.prepare('SELECT * FROM audit_digests ORDER BY number');
  const newestDigest = db.prepare('SELECT * FROM audit_digests ORDER BY number DESC LIMIT 1');
  // Prepared on first use: a database from before the posting lists (the CLI's read-only view of
  // an older trail) can still be verified and exported.
  let postings: { driver: Statement; at: Statement; event: Statement } | undefined;
  const postingStatements = () =>
    (postings ??= {
      // The driver term's chunks, newest first, a page at a time (better-sqlite3 runs one statement
      // per connection at a time, so rows are not iterated while others are read).
      driver: db.prepare('SELECT chunk, seqs FROM audit_postings WHERE term = ? AND chunk BETWEEN ? AND ? ORDER BY chunk DESC LIMIT 16'),
      at: db.prepare('SELECT seqs FROM audit_postings WHERE term = ? AND chunk = ?').pluck(),
      event: db.prepare('SELECT seq, time, body, hash FROM audit_events WHERE seq = ?'),
    });
  /** Events carrying the driver and every filter term, newest first: walk the driver's chunks, intersect, fetch. */
  const queryPostings = (q: AuditQuery): AuditEventRow[] => {
    const st = postingStatements();
    const driver = termOf(q.driver);
    const filters = q.filters.map(termOf);
    const out: AuditEventRow[] = [];
    const minChunk = chunkOf(Math.max(0, q.minSeq));
    let maxChunk = chunkOf(Math.min(q.maxSeq, MAX_SEQ));
    while (maxChunk >= minChunk && out.length < q.limit) {
      const page = st.driver.all(driver, minChunk, maxChunk) as Array<{ chunk: number; seqs: Uint8Array }>;
      if (page.length === 0) break;
      for (const row of page) {
        let offsets = decodeOffsets(row.seqs);
        for (const f of filters) {
          if (offsets.length === 0) break;
          const other = st.at.get(f, row.chunk) as Uint8Array | undefined;
          offsets = other ? intersectOffsets(offsets, decodeOffsets(other)) : offsets.subarray(0, 0);
        }
        const base = row.chunk * CHUNK_SIZE;
        for (let i = offsets.length - 1; i >= 0; i--) {
          const seq = base + (offsets[i] as number);
          if (seq > q.maxSeq || seq < q.minSeq) continue;
          // Removed by retention, or never stored: the posting dangles.
          const e = st.event.get(seq) as EventRowRaw | undefined;
          if (!e) continue;
          out.push(toEventRow(e));
          if (out.length >= q.limit) return out;
        }
      }
      maxChunk = (page[page.length - 1] as { chunk: number }).chunk - 1;
    }
    return out;
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
    async chainRows(fromSeq, limit) {
      const rows = chainFrom.all(fromSeq, limit) as Array<[number, unknown, unknown]>;
      const out = new Array<{ seq: number; body: string; hash: Buffer }>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const [seq, body, hash] = rows[i] as [number, unknown, unknown];
        // A damaged row (wrong types) is read as it is: the verifier reports it.
        out[i] = { seq, body: typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : String(body), hash: Buffer.isBuffer(hash) ? hash : Buffer.from(String(hash), 'utf8') };
      }
      return out;
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
      return queryPostings(q);
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
