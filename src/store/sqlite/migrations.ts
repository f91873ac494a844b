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

interface MigratableDatabase {
  pragma(sql: string, opts?: { simple: boolean }): unknown;
  exec(sql: string): unknown;
  prepare(sql: string): { run(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
  transaction<T>(fn: () => T): () => T;
}

/**
 * Applies every migration not yet recorded in `kontext_migrations`, each in its own transaction
 * with its record, in version order, and keeps `user_version` at the highest applied (read-only
 * tools check it). A database from before the table is taken to have applied everything up to its
 * `user_version`. Returns the highest applied version.
 */
export function migrate(db: MigratableDatabase, migrations: readonly Migration[] = SQLITE_MIGRATIONS): number {
  db.exec('CREATE TABLE IF NOT EXISTS kontext_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const record = db.prepare('INSERT INTO kontext_migrations (version, description, applied_at) VALUES (?, ?, ?)');
  const recorded = () => new Set((db.prepare('SELECT version FROM kontext_migrations').all() as Array<{ version: number }>).map((r) => r.version));
  let applied = recorded();
  if (applied.size === 0) {
    const current = Number(db.pragma('user_version', { simple: true }));
    if (current > 0) {
      db.transaction(() => {
        for (const m of migrations) if (m.version <= current) record.run(m.version, m.description, Date.now());
      })();
      applied = recorded();
    }
  }
  let highest = Math.max(0, ...applied);
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.description, Date.now());
      highest = Math.max(highest, m.version);
      db.pragma(`user_version = ${highest}`);
    })();
  }
  return highest;
}
