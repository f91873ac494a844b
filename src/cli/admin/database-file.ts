// The data directory's SQLite database as the admin commands see it: where it is, opened
// read-only for inspection, what it holds, and whether a server has it open.

import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_CONFIG } from '../../config.ts';
import { CliError, EXIT } from '../cli-error.ts';
import type { Env } from '../kms/kms-client.ts';

export const DATABASE_FILE_NAME = 'kontext.db';

type Db = InstanceType<typeof Database>;

/** `--data-dir`, else $KONTEXT_DATA_DIR, else ./data — as `kontext server` resolves it. */
export function resolveDataDir(dataDir: string | undefined, env: Env): string {
  return resolve(dataDir ?? env['KONTEXT_DATA_DIR'] ?? DEFAULT_CONFIG.dataDir);
}

/** The database of an existing data directory; a clear usage error when there is none. */
export function databaseOf(dir: string): string {
  if (!existsSync(dir)) throw new CliError(`kontext: data directory ${dir} does not exist: give the server's --data-dir (or set KONTEXT_DATA_DIR)`, EXIT.usage);
  if (!statSync(dir).isDirectory()) throw new CliError(`kontext: ${dir} is not a directory: give the server's --data-dir`, EXIT.usage);
  const file = join(dir, DATABASE_FILE_NAME);
  if (!existsSync(file)) throw new CliError(`kontext: no Kontext database in ${dir} (expected ${DATABASE_FILE_NAME}): has a server run with this --data-dir?`, EXIT.usage);
  return file;
}

/** Opens a database read-only: safe next to a running server (WAL readers never block it). */
export function openReadOnly(file: string): Db {
  let db: Db;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
  } catch (err) {
    throw new CliError(`kontext: cannot open ${file}: ${(err as Error).message}`, EXIT.usage);
  }
  try {
    const tables = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('kontext_meta', 'kms_keys')").pluck().get() as number;
    if (tables < 2) throw new Error('it has no kontext_meta and kms_keys tables');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_CORRUPT') throw new DamagedDatabase(file, (err as Error).message);
    throw new CliError(`kontext: ${file} is not a Kontext database: ${(err as Error).message}`, EXIT.usage);
  }
  return db;
}

/** A database SQLite cannot even read the schema of. */
export class DamagedDatabase extends CliError {
  constructor(
    file: string,
    readonly reason: string,
  ) {
    super(`kontext: ${file} is damaged: ${reason}`, EXIT.checkFailed);
  }
}

const hasTable = (db: Db, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(name) !== undefined;

const count = (db: Db, table: string, where = ''): number =>
  hasTable(db, table) ? (db.prepare(`SELECT COUNT(*) FROM ${table} ${where}`).pluck().get() as number) : 0;

export interface DatabaseContents {
  readonly SchemaVersion: number;
  readonly Keys: number;
  readonly KeyVersions: number;
  readonly Aliases: number;
  readonly Users: number;
  readonly Roles: number;
  readonly AccessKeys: number;
  readonly ActiveSessions: number;
  readonly AuditEvents: number;
  readonly AuditDigests: number;
}

export function contentsOf(db: Db, now = Date.now()): DatabaseContents {
  return {
    SchemaVersion: Number(db.pragma('user_version', { simple: true })),
    Keys: count(db, 'kms_keys'),
    KeyVersions: hasTable(db, 'kms_keys') ? (db.prepare("SELECT COALESCE(SUM(json_array_length(doc, '$.versions')), 0) FROM kms_keys").pluck().get() as number) : 0,
    Aliases: count(db, 'kms_aliases'),
    Users: count(db, 'iam_users'),
    Roles: count(db, 'iam_roles'),
    AccessKeys: count(db, 'iam_access_keys'),
    ActiveSessions: count(db, 'sts_sessions', `WHERE expires_at > ${Math.floor(now)}`),
    AuditEvents: count(db, 'audit_events'),
    AuditDigests: count(db, 'audit_digests'),
  };
}

export function metaValue(db: Db, name: string): string | undefined {
  return db.prepare('SELECT value FROM kontext_meta WHERE name = ?').pluck().get(name) as string | undefined;
}

/**
 * Whether a process (a server) has the database open. In WAL mode every open connection holds a
 * shared lock on the file for as long as it is open, so an exclusive lock is granted only when
 * nobody else has it open.
 */
export function databaseInUse(file: string): boolean {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw err;
  } finally {
    db.close();
  }
}
