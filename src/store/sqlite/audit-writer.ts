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
import { chunkOf, encodeOffsets, groupPostings } from './audit-postings.ts';

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
    // Appends a flush's offsets to the term's chunk row (`||` makes TEXT of the bytes; the cast
    // keeps them a BLOB). Readers drop duplicates, so terms written again (catching up twice)
    // are harmless.
    const appendPostings = db.prepare(
      'INSERT INTO audit_postings (term, chunk, seqs) VALUES (?, ?, ?) ON CONFLICT (term, chunk) DO UPDATE SET seqs = CAST(seqs || excluded.seqs AS BLOB)',
    );
    const insertDigest = db.prepare('INSERT INTO audit_digests (number, first_seq, last_seq, end_time, body, signature) VALUES (?, ?, ?, ?, ?, ?)');
    const deleteEvent = db.prepare('DELETE FROM audit_events WHERE seq = ?');
    const deletePostingsBefore = db.prepare('DELETE FROM audit_postings WHERE chunk < ?');
    const deleteDigests = db.prepare('DELETE FROM audit_digests WHERE number < ?');
    const readMark = db.prepare('SELECT value FROM kontext_meta WHERE name = ?').pluck();
    const writeMark = db.prepare('INSERT INTO kontext_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
    const maxSeq = db.prepare('SELECT max(seq) FROM audit_events').pluck();

    // A database whose index has no mark was indexed as it was written: everything is indexed.
    if (readMark.get(INDEXED_THROUGH) === undefined) writeMark.run(INDEXED_THROUGH, String(Number(maxSeq.get() ?? 0)));

    const indexNow = (pending: readonly PendingTerms[]) => {
      let last = 0;
      for (const { chunk, byTerm } of groupPostings(pending)) {
        for (const [term, offsets] of byTerm) appendPostings.run(term, chunk, encodeOffsets(offsets));
      }
      for (const p of pending) last = Math.max(last, p.seq);
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
        case 'deleteEvents': {
          // Retention removes the oldest events: the chunks wholly before what remains go too.
          // Postings of removed events in the chunk that remains dangle; queries skip them.
          let last = 0;
          for (const e of cmd.events) {
            deleteEvent.run(e.seq);
            last = Math.max(last, e.seq);
          }
          if (last > 0) deletePostingsBefore.run(chunkOf(last + 1));
          return [];
        }
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
