// SQLite migration 6: context-schema versions (append-only; a deletion is a tombstone row).

export const SCHEMA_REGISTRY_MIGRATION_SQL = `
  CREATE TABLE IF NOT EXISTS context_schema_versions (
    region TEXT NOT NULL,
    account_id TEXT NOT NULL,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    doc TEXT NOT NULL,
    PRIMARY KEY (region, account_id, name, version)
  );
`;
