// Read-only access to a data directory's audit trail, for the CLI (verify, query, export, tail)
// while the server runs or after it stopped: no migrations, no writes, no root key.

import Database from 'better-sqlite3';
import type { AuditRepository } from '../audit-repository.ts';
import type { MetaRepository } from '../store.ts';
import { sqliteAuditRepository } from './audit-repository.ts';
import { AUDIT_MIGRATION } from './audit-schema.ts';

export interface SqliteAuditReader {
  readonly audit: AuditRepository;
  readonly meta: Pick<MetaRepository, 'get'>;
  close(): void;
}

export function openSqliteAuditReader(file: string): SqliteAuditReader {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version < AUDIT_MIGRATION.version) {
    db.close();
    throw new Error(`${file} has no audit trail yet (schema version ${version}): start the server once with this version of Kontext`);
  }
  const select = db.prepare('SELECT value FROM kontext_meta WHERE name = ?').pluck();
  return {
    audit: sqliteAuditRepository(db),
    meta: { get: async (name) => select.get(name) as string | undefined },
    close: () => db.close(),
  };
}
