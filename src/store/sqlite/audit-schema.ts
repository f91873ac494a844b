// Schema of the audit trail in SQLite (migration 4): the chained events, a compact term index
// (see audit-term.ts) and the signed digests.

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
