// The SQLite ContextSchemaRepository. The document is stored as JSON; the current version of a
// schema is its highest version, hidden when that version is a deletion.

import type { ContextSchemaDocument, ContextSchemaVersion } from '../../schema/schema-document.ts';
import type { ContextSchemaRepository } from '../schema-repository.ts';
import { StoreConflict } from '../store.ts';
import type { SqliteDatabase } from './sqlite-store.ts';

interface Row {
  region: string;
  account_id: string;
  name: string;
  version: number;
  created_at: number;
  deleted: number;
  doc: string;
}

const toVersion = (r: Row): ContextSchemaVersion => ({
  region: r.region,
  accountId: r.account_id,
  name: r.name,
  version: r.version,
  createdAt: r.created_at,
  deleted: r.deleted !== 0,
  document: JSON.parse(r.doc) as ContextSchemaDocument,
});

const IS_LATEST = `version = (SELECT MAX(w.version) FROM context_schema_versions w
  WHERE w.region = v.region AND w.account_id = v.account_id AND w.name = v.name)`;

export function sqliteSchemaRegistryRepository(db: SqliteDatabase): ContextSchemaRepository {
  const insert = db.prepare(
    'INSERT INTO context_schema_versions (region, account_id, name, version, created_at, deleted, doc) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const latest = db.prepare('SELECT * FROM context_schema_versions WHERE region = ? AND account_id = ? AND name = ? ORDER BY version DESC LIMIT 1');
  const get = db.prepare('SELECT * FROM context_schema_versions WHERE region = ? AND account_id = ? AND name = ? AND version = ?');
  const current = db.prepare(
    `SELECT * FROM context_schema_versions v WHERE region = ? AND account_id = ? AND name > ? AND ${IS_LATEST} AND deleted = 0 ORDER BY name LIMIT ?`,
  );
  const versions = db.prepare(
    'SELECT * FROM context_schema_versions WHERE region = ? AND account_id = ? AND name = ? AND version > ? ORDER BY version LIMIT ?',
  );
  const allCurrent = db.prepare(`SELECT * FROM context_schema_versions v WHERE ${IS_LATEST} AND deleted = 0`);
  return {
    async append(v) {
      try {
        insert.run(v.region, v.accountId, v.name, v.version, v.createdAt, v.deleted ? 1 : 0, JSON.stringify(v.document));
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new StoreConflict(`context schema ${v.name} version ${v.version}`);
        throw err;
      }
    },
    async latest(region, accountId, name) {
      const row = latest.get(region, accountId, name) as Row | undefined;
      return row && toVersion(row);
    },
    async get(region, accountId, name, version) {
      const row = get.get(region, accountId, name, version) as Row | undefined;
      return row && toVersion(row);
    },
    async listCurrent(region, accountId, after, limit) {
      return (current.all(region, accountId, after ?? '', limit) as Row[]).map(toVersion);
    },
    async listVersions(region, accountId, name, after, limit) {
      return (versions.all(region, accountId, name, after ?? 0, limit) as Row[]).map(toVersion);
    },
    async listAllCurrent() {
      return (allCurrent.all() as Row[]).map(toVersion);
    },
  };
}
