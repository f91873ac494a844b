// The embedded SQLite store (better-sqlite3, WAL, synchronous=FULL): every acknowledged change is
// on disk before the promise resolves. Statements are prepared once.

import Database from 'better-sqlite3';
import type { KeyRecord } from '../../keys/key-record.ts';
import { StoreConflict, type AliasRecord, type AliasRepository, type KeyRepository, type MetaRepository, type Page, type Store } from '../store.ts';
import { decodeKey, encodeKey } from './key-codec.ts';
import { migrate } from './migrations.ts';
import { sqliteIdentityRepository } from './identity-repository.ts';
import { sqliteAuditRepository } from './audit-repository.ts';
import { sqliteAlertRepository } from './alert-repository.ts';
import { sqliteGrantRepository } from './grant-repository.ts';
import { sqliteSchemaRegistryRepository } from './schema-registry-repository.ts';

export type SqliteDatabase = Database.Database;

const isUniqueViolation = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY';

interface AliasRow {
  alias_name: string;
  account_id: string;
  region: string;
  target_key_id: string;
  creation_date: number;
  last_updated_date: number;
}

const toAlias = (r: AliasRow): AliasRecord => ({
  aliasName: r.alias_name,
  accountId: r.account_id,
  region: r.region,
  targetKeyId: r.target_key_id,
  creationDate: r.creation_date,
  lastUpdatedDate: r.last_updated_date,
});

function keyRepository(db: SqliteDatabase): KeyRepository {
  const insert = db.prepare(
    'INSERT INTO kms_keys (region, account_id, key_id, key_state, deletion_date, next_rotation_date, doc) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare(
    'UPDATE kms_keys SET key_state = ?, deletion_date = ?, next_rotation_date = ?, doc = ? WHERE region = ? AND account_id = ? AND key_id = ?',
  );
  const select = db.prepare('SELECT doc FROM kms_keys WHERE region = ? AND account_id = ? AND key_id = ?').pluck();
  const remove = db.prepare('DELETE FROM kms_keys WHERE region = ? AND account_id = ? AND key_id = ?');
  const removeAliases = db.prepare('DELETE FROM kms_aliases WHERE region = ? AND account_id = ? AND target_key_id = ?');
  const removeGrants = db.prepare('DELETE FROM kms_grants WHERE region = ? AND account_id = ? AND key_id = ?');
  const list = db
    .prepare('SELECT doc FROM kms_keys WHERE region = ? AND account_id = ? AND key_id > ? ORDER BY key_id LIMIT ?')
    .pluck();
  const byIdAnyAccount = db.prepare('SELECT doc FROM kms_keys WHERE region = ? AND key_id = ? LIMIT 2').pluck();
  const listIds = db.prepare('SELECT key_id FROM kms_keys WHERE region = ? AND account_id = ? AND key_id > ? ORDER BY key_id LIMIT ?').pluck();
  const due = db
    .prepare(
      `SELECT doc FROM kms_keys WHERE (deletion_date IS NOT NULL AND deletion_date <= ?)
         OR (next_rotation_date IS NOT NULL AND next_rotation_date <= ? AND key_state = 'Enabled')`,
    )
    .pluck();
  const count = db.prepare('SELECT count(*) FROM kms_keys').pluck();
  const byState = db.prepare('SELECT key_state, count(*) AS n FROM kms_keys GROUP BY key_state');
  const deleteWithAliases = db.transaction((region: string, account: string, keyId: string) => {
    removeAliases.run(region, account, keyId);
    removeGrants.run(region, account, keyId);
    remove.run(region, account, keyId);
  });

  return {
    async create(key) {
      try {
        insert.run(key.region, key.accountId, key.keyId, key.keyState, key.deletionDate ?? null, key.nextRotationDate ?? null, encodeKey(key));
      } catch (err) {
        if (isUniqueViolation(err)) throw new StoreConflict(`key ${key.keyId}`);
        throw err;
      }
    },
    async get(region, accountId, keyId) {
      const doc = select.get(region, accountId, keyId) as string | undefined;
      return doc === undefined ? undefined : decodeKey(doc);
    },
    async put(key) {
      update.run(key.keyState, key.deletionDate ?? null, key.nextRotationDate ?? null, encodeKey(key), key.region, key.accountId, key.keyId);
    },
    async delete(region, accountId, keyId) {
      deleteWithAliases(region, accountId, keyId);
    },
    async list(region, accountId, page: Page) {
      return (list.all(region, accountId, page.after ?? '', page.limit) as string[]).map(decodeKey);
    },
    async findById(region, keyId) {
      const docs = byIdAnyAccount.all(region, keyId) as string[];
      // Two accounts holding one id would be ambiguous: treat as not found rather than guess.
      return docs.length === 1 ? decodeKey(docs[0] as string) : undefined;
    },
    async listIds(region, accountId, page: Page) {
      return listIds.all(region, accountId, page.after ?? '', page.limit) as string[];
    },
    async listDue(now) {
      return (due.all(now, now) as string[]).map(decodeKey);
    },
    async count() {
      return Number(count.get());
    },
    async countByState() {
      return Object.fromEntries((byState.all() as Array<{ key_state: string; n: number }>).map((r) => [r.key_state, r.n]));
    },
  };
}

function aliasRepository(db: SqliteDatabase): AliasRepository {
  const insert = db.prepare(
    'INSERT INTO kms_aliases (region, account_id, alias_name, target_key_id, creation_date, last_updated_date) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare(
    'UPDATE kms_aliases SET target_key_id = ?, last_updated_date = ? WHERE region = ? AND account_id = ? AND alias_name = ?',
  );
  const select = db.prepare('SELECT * FROM kms_aliases WHERE region = ? AND account_id = ? AND alias_name = ?');
  const remove = db.prepare('DELETE FROM kms_aliases WHERE region = ? AND account_id = ? AND alias_name = ?');
  const listAll = db.prepare(
    'SELECT * FROM kms_aliases WHERE region = ? AND account_id = ? AND alias_name > ? ORDER BY alias_name LIMIT ?',
  );
  const listForKey = db.prepare(
    'SELECT * FROM kms_aliases WHERE region = ? AND account_id = ? AND target_key_id = ? AND alias_name > ? ORDER BY alias_name LIMIT ?',
  );
  return {
    async create(a) {
      try {
        insert.run(a.region, a.accountId, a.aliasName, a.targetKeyId, a.creationDate, a.lastUpdatedDate);
      } catch (err) {
        if (isUniqueViolation(err)) throw new StoreConflict(`alias ${a.aliasName}`);
        throw err;
      }
    },
    async get(region, accountId, aliasName) {
      const row = select.get(region, accountId, aliasName) as AliasRow | undefined;
      return row && toAlias(row);
    },
    async put(a) {
      update.run(a.targetKeyId, a.lastUpdatedDate, a.region, a.accountId, a.aliasName);
    },
    async delete(region, accountId, aliasName) {
      remove.run(region, accountId, aliasName);
    },
    async list(region, accountId, targetKeyId, page) {
      const rows = (
        targetKeyId === undefined
          ? listAll.all(region, accountId, page.after ?? '', page.limit)
          : listForKey.all(region, accountId, targetKeyId, page.after ?? '', page.limit)
      ) as AliasRow[];
      return rows.map(toAlias);
    },
  };
}

function metaRepository(db: SqliteDatabase): MetaRepository {
  const select = db.prepare('SELECT value FROM kontext_meta WHERE name = ?').pluck();
  const insert = db.prepare('INSERT INTO kontext_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING');
  return {
    async get(name) {
      return select.get(name) as string | undefined;
    },
    async putIfAbsent(name, value) {
      insert.run(name, value);
      return select.get(name) as string;
    },
  };
}

export interface SqliteStore extends Store {
  readonly db: SqliteDatabase;
}

/** Opens (creating if needed) the database file; `:memory:` gives a throwaway store for tests. */
export function openSqliteStore(file: string): SqliteStore {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  const audit = sqliteAuditRepository(db, { file });
  return {
    kind: 'sqlite',
    db,
    meta: metaRepository(db),
    keys: keyRepository(db),
    aliases: aliasRepository(db),
    identity: sqliteIdentityRepository(db),
    grants: sqliteGrantRepository(db),
    audit,
    alerts: sqliteAlertRepository(db),
    contextSchemas: sqliteSchemaRegistryRepository(db),
    async close() {
      await audit.close();
      db.close();
    },
  };
}
