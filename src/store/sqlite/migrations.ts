// Versioned schema migrations for the SQLite store. Append only: never edit a released step.

import { IDENTITY_MIGRATION_SQL } from './identity-schema.ts';
import { AUDIT_MIGRATION, AUDIT_POSTINGS_MIGRATION } from './audit-schema.ts';
import { ALERT_MIGRATION } from './alert-schema.ts';
import { GRANT_MIGRATION } from './grant-schema.ts';
import { SCHEMA_REGISTRY_MIGRATION_SQL } from './schema-registry-migration.ts';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'keys and aliases',
    sql: `
      CREATE TABLE kms_keys (
        region TEXT NOT NULL,
        account_id TEXT NOT NULL,
        key_id TEXT NOT NULL,
        key_state TEXT NOT NULL,
        deletion_date INTEGER,
        next_rotation_date INTEGER,
        doc TEXT NOT NULL,
        PRIMARY KEY (region, account_id, key_id)
      );
      CREATE INDEX kms_keys_deletion ON kms_keys (deletion_date) WHERE deletion_date IS NOT NULL;
      CREATE INDEX kms_keys_rotation ON kms_keys (next_rotation_date) WHERE next_rotation_date IS NOT NULL;
      CREATE TABLE kms_aliases (
        region TEXT NOT NULL,
        account_id TEXT NOT NULL,
        alias_name TEXT NOT NULL,
        target_key_id TEXT NOT NULL,
        creation_date INTEGER NOT NULL,
        last_updated_date INTEGER NOT NULL,
        PRIMARY KEY (region, account_id, alias_name)
      );
      CREATE INDEX kms_aliases_target ON kms_aliases (region, account_id, target_key_id);
    `,
  },
  {
    version: 2,
    description: 'server metadata',
    sql: `CREATE TABLE kontext_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  },
  {
    version: 3,
    description: 'identity: accounts, IAM users and roles, access keys, inline policies, STS sessions',
    sql: IDENTITY_MIGRATION_SQL,
  },
  AUDIT_MIGRATION,
  GRANT_MIGRATION,
  { version: 6, description: 'context schemas: versioned registry', sql: SCHEMA_REGISTRY_MIGRATION_SQL },
  ALERT_MIGRATION,
  AUDIT_POSTINGS_MIGRATION,
];

/** Applies every migration newer than the database's user_version, each in its own transaction. */
export function migrate(db: { pragma(sql: string, opts?: { simple: boolean }): unknown; exec(sql: string): unknown; transaction<T>(fn: () => T): () => T }, migrations: readonly Migration[] = SQLITE_MIGRATIONS): number {
  const current = Number(db.pragma('user_version', { simple: true }));
  let applied = current;
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied = m.version;
  }
  return applied;
}
