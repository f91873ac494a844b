// Schema of the audit trail in SQLite: the chained events, the signed digests (migration 4) and
// the term index (audit-term.ts), since migration 8 as posting lists (audit-postings.ts).

import type { Migration } from './migrations.ts';

export const AUDIT_MIGRATION: Migration = {
  version: 4,
  description: 'audit trail: chained events, term index, signed digests',
  sql: `
    CREATE TABLE audit_events (
      seq INTEGER PRIMARY KEY,
      time INTEGER NOT NULL,
      body TEXT NOT NULL,
      hash BLOB NOT NULL
    );
    CREATE INDEX audit_events_time ON audit_events (time);
    CREATE TABLE audit_terms (
      term INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      PRIMARY KEY (term, seq)
    ) WITHOUT ROWID;
    CREATE TABLE audit_digests (
      number INTEGER PRIMARY KEY,
      first_seq INTEGER NOT NULL,
      last_seq INTEGER NOT NULL,
      end_time INTEGER NOT NULL,
      body TEXT NOT NULL,
      signature TEXT NOT NULL
    );
  `,
};

/**
 * The term index as posting lists: one row per (term, chunk of 4,096 sequence numbers) holding
 * the events' offsets in the chunk, instead of one row per (term, event). An Encrypt carries ~15
 * terms, so the old layout cost ~15 B-tree inserts per event on the write path; now a flush of
 * 512 events writes one row per distinct term. The old index is dropped and rebuilt from the
 * stored events when the trail opens (the mark at 0 makes the catch-up index everything).
 */
export const AUDIT_POSTINGS_MIGRATION: Migration = {
  version: 8,
  description: 'audit trail: term index as per-chunk posting lists',
  sql: `
    DROP TABLE audit_terms;
    CREATE TABLE audit_postings (
      term INTEGER NOT NULL,
      chunk INTEGER NOT NULL,
      seqs BLOB NOT NULL,
      PRIMARY KEY (term, chunk)
    ) WITHOUT ROWID;
    CREATE INDEX audit_postings_chunk ON audit_postings (chunk);
    INSERT INTO kontext_meta (name, value) VALUES ('audit_indexed_through', '0')
      ON CONFLICT (name) DO UPDATE SET value = '0';
  `,
};
