// Writes the audit trail's rows: a batch of events in one transaction, their index terms, digests
// and retention deletes. Synchronous; used by audit-file-writer.ts for database files, or inline
// for in-memory ones.
//
// The index is derived data. For files, a batch's terms are written in a later, larger
// transaction (deferIndex), so the durable write a request waits for holds only the event rows;
// `audit_indexed_through` in kontext_meta says how far the index reaches, and queries scan the
// few events past it directly.

import type { AuditAppend, AuditDigestRow, AuditIndexEntry } from '../audit-repository.ts';
import type { SqliteDatabase } from './sqlite-store.ts';
import { termOf } from './audit-term.ts';

export type AuditWriteCommand =
  | { readonly op: 'append'; readonly events: readonly AuditAppend[] }
  /** Index entries for events already stored (catching up after a crash). */
  | { readonly op: 'index'; readonly events: readonly { readonly seq: number; readonly index: readonly AuditIndexEntry[] }[] }
  | { readonly op: 'digest'; readonly digest: AuditDigestRow }
  | { readonly op: 'deleteEvents'; readonly events: readonly { readonly seq: number; readonly index: readonly AuditIndexEntry[] }[] }
  | { readonly op: 'deleteDigestsBefore'; readonly number: number };

/** An event's index terms, waiting to be written. */
export interface PendingTerms {
  readonly seq: number;
  readonly terms: readonly number[];
}

export const INDEXED_THROUGH = 'audit_indexed_through';

const termsOf = (index: readonly AuditIndexEntry[]): number[] => [...new Set(index.map(termOf))];

export class SqliteAuditWriter {
  readonly #apply: (cmd: AuditWriteCommand, deferIndex: boolean) => PendingTerms[];
  readonly #index: (pending: readonly PendingTerms[]) => void;

  constructor(db: SqliteDatabase) {
    const insertEvent = db.prepare('INSERT INTO audit_events (seq, time, body, hash) VALUES (?, ?, ?, ?)');
    // OR IGNORE: a term written again (catching up twice) or shared by a collision is harmless.
    const insertTerm = db.prepare('INSERT OR IGNORE INTO audit_terms (term, seq) VALUES (?, ?)');
    const insertDigest = db.prepare('INSERT INTO audit_digests (number, first_seq, last_seq, end_time, body, signature) VALUES (?, ?, ?, ?, ?, ?)');
    const deleteEvent = db.prepare('DELETE FROM audit_events WHERE seq = ?');
    const deleteTerm = db.prepare('DELETE FROM audit_terms WHERE term = ? AND seq = ?');
    const deleteDigests = db.prepare('DELETE FROM audit_digests WHERE number < ?');
    const readMark = db.prepare('SELECT value FROM kontext_meta WHERE name = ?').pluck();
    const writeMark = db.prepare('INSERT INTO kontext_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
    const maxSeq = db.prepare('SELECT max(seq) FROM audit_events').pluck();

    // A database whose index has no mark was indexed as it was written: everything is indexed.
    if (readMark.get(INDEXED_THROUGH) === undefined) writeMark.run(INDEXED_THROUGH, String(Number(maxSeq.get() ?? 0)));

    const indexNow = (pending: readonly PendingTerms[]) => {
      let last = 0;
      for (const p of pending) {
        for (const term of p.terms) insertTerm.run(term, p.seq);
        last = Math.max(last, p.seq);
      }
      if (last > Number(readMark.get(INDEXED_THROUGH) ?? 0)) writeMark.run(INDEXED_THROUGH, String(last));
    };
    this.#index = db.transaction(indexNow);
    this.#apply = db.transaction((cmd: AuditWriteCommand, deferIndex: boolean): PendingTerms[] => {
      const pending: PendingTerms[] = [];
      switch (cmd.op) {
        case 'append':
          for (const e of cmd.events) {
            insertEvent.run(e.seq, e.time, e.body, e.hash);
            pending.push({ seq: e.seq, terms: termsOf(e.index) });
          }
          break;
        case 'index':
          indexNow(cmd.events.map((e) => ({ seq: e.seq, terms: termsOf(e.index) })));
          return [];
        case 'digest': {
          const d = cmd.digest;
          insertDigest.run(d.number, d.firstSeq, d.lastSeq, d.endTime, d.body, d.signature);
          return [];
        }
        case 'deleteEvents':
          for (const e of cmd.events) {
            for (const entry of e.index) deleteTerm.run(termOf(entry), e.seq);
            deleteEvent.run(e.seq);
          }
          return [];
        case 'deleteDigestsBefore':
          deleteDigests.run(cmd.number);
          return [];
      }
      if (deferIndex) return pending;
      indexNow(pending);
      return [];
    });
  }

  /**
   * Applies one command in its own transaction; throws (and rolls back) on failure. With
   * `deferIndex`, appended events' terms are returned for `index()` instead of written.
   */
  apply(cmd: AuditWriteCommand, deferIndex = false): PendingTerms[] {
    return this.#apply(cmd, deferIndex);
  }

  /** Writes deferred terms and advances the index mark, in one transaction. */
  index(pending: readonly PendingTerms[]): void {
    if (pending.length > 0) this.#index(pending);
  }
}
