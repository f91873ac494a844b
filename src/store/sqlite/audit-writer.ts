// Writes the audit trail's rows: a batch of events with their index terms in one transaction,
// digests, and retention deletes. Synchronous; runs in the audit worker thread (audit-worker.ts)
// for file databases, or inline for in-memory ones.

import type { AuditAppend, AuditDigestRow, AuditIndexEntry } from '../audit-repository.ts';
import type { SqliteDatabase } from './sqlite-store.ts';
import { termOf } from './audit-term.ts';
import { unpackEvents } from './audit-batch-codec.ts';

export type AuditWriteCommand =
  | { readonly op: 'append'; readonly events: readonly AuditAppend[] }
  /** The same, packed into a transferable buffer (audit-batch-codec.ts). */
  | { readonly op: 'appendPacked'; readonly packed: ArrayBuffer }
  | { readonly op: 'digest'; readonly digest: AuditDigestRow }
  | { readonly op: 'deleteEvents'; readonly events: readonly { readonly seq: number; readonly index: readonly AuditIndexEntry[] }[] }
  | { readonly op: 'deleteDigestsBefore'; readonly number: number };

/** Buffers cross a worker boundary as plain Uint8Arrays; SQLite binds Buffers. */
const asBuffer = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

export class SqliteAuditWriter {
  readonly #run: (cmd: AuditWriteCommand) => void;

  constructor(db: SqliteDatabase) {
    const insertEvent = db.prepare('INSERT INTO audit_events (seq, time, body, hash) VALUES (?, ?, ?, ?)');
    // OR IGNORE: two entries of one event may share a term (a collision), which is harmless.
    const insertTerm = db.prepare('INSERT OR IGNORE INTO audit_terms (term, seq) VALUES (?, ?)');
    const insertDigest = db.prepare('INSERT INTO audit_digests (number, first_seq, last_seq, end_time, body, signature) VALUES (?, ?, ?, ?, ?, ?)');
    const deleteEvent = db.prepare('DELETE FROM audit_events WHERE seq = ?');
    const deleteTerm = db.prepare('DELETE FROM audit_terms WHERE term = ? AND seq = ?');
    const deleteDigests = db.prepare('DELETE FROM audit_digests WHERE number < ?');
    this.#run = db.transaction((cmd: AuditWriteCommand) => {
      switch (cmd.op) {
        case 'append':
          for (const e of cmd.events) {
            insertEvent.run(e.seq, e.time, e.body, asBuffer(e.hash));
            for (const entry of e.index) insertTerm.run(termOf(entry), e.seq);
          }
          return;
        case 'appendPacked':
          for (const e of unpackEvents(cmd.packed)) {
            insertEvent.run(e.seq, e.time, e.body, e.hash);
            for (const term of e.terms) insertTerm.run(term, e.seq);
          }
          return;
        case 'digest': {
          const d = cmd.digest;
          insertDigest.run(d.number, d.firstSeq, d.lastSeq, d.endTime, d.body, d.signature);
          return;
        }
        case 'deleteEvents':
          for (const e of cmd.events) {
            for (const entry of e.index) deleteTerm.run(termOf(entry), e.seq);
            deleteEvent.run(e.seq);
          }
          return;
        case 'deleteDigestsBefore':
          deleteDigests.run(cmd.number);
          return;
      }
    });
  }

  /** Applies one command in its own transaction; throws (and rolls back) on failure. */
  apply(cmd: AuditWriteCommand): void {
    this.#run(cmd);
  }
}
