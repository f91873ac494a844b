// Migration 5: grants. The record is one JSON document; the columns are what queries select on.
// rowid orders grants by creation and is the paging position.

import type { Migration } from './migrations.ts';

export const GRANT_MIGRATION: Migration = {
  version: 5,
  description: 'grants',
  sql: `
    CREATE TABLE kms_grants (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      grant_id TEXT NOT NULL UNIQUE,
      region TEXT NOT NULL,
      account_id TEXT NOT NULL,
      key_id TEXT NOT NULL,
      name TEXT,
      grantee_principal TEXT NOT NULL,
      retiring_principal TEXT,
      doc TEXT NOT NULL
    );
    CREATE INDEX kms_grants_key ON kms_grants (region, account_id, key_id, seq);
    CREATE INDEX kms_grants_retiring ON kms_grants (region, retiring_principal, seq) WHERE retiring_principal IS NOT NULL;
  `,
};
