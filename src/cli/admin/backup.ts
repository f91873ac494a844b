// `kontext admin backup|verify-backup|restore`: a consistent copy of a data directory's database
// taken while the server runs (SQLite's online backup API, from a read-only connection), a check
// of a copy (integrity_check and what it holds), and a restore that will not pull the database
// from under a running server nor silently replace data. Root keys are never copied: a backup is
// useless without the root key it was made under, which is kept elsewhere on purpose.

import { accessSync, constants, copyFileSync, existsSync, mkdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { locateRootKey, ROOT_KEY_CHECK_META, rootKeyOpensCheck } from '../../runtime/root-key-loader.ts';
import { CliError, EXIT } from '../cli-error.ts';
import type { Env } from '../kms/kms-client.ts';
import { contentsOf, DamagedDatabase, DATABASE_FILE_NAME, databaseInUse, databaseOf, metaValue, openReadOnly, type DatabaseContents } from './database-file.ts';

export interface BackupResult extends DatabaseContents {
  readonly Backup: string;
  readonly From: string;
  readonly Bytes: number;
  readonly IntegrityCheck?: string;
  /** The fingerprint of the root key the copy needs, when this environment's key opens the data. */
  readonly RootKeyFingerprint?: string;
}

export async function backupDatabase(dataDir: string, out: string, opts: { force: boolean; verify: boolean; env: Env }): Promise<BackupResult> {
  const source = databaseOf(dataDir);
  const target = resolve(out);
  if (sameDatabaseFile(source, target)) {
    throw new CliError(`kontext: --out ${target} is the database being backed up: write the backup somewhere else`, EXIT.usage);
  }
  if (existsSync(target) && !opts.force) throw new CliError(`kontext: ${target} exists: give another --out, or --force to replace it`, EXIT.usage);
  if (existsSync(target) && statSync(target).isDirectory()) throw new CliError(`kontext: ${target} is a directory: --out takes a file name, e.g. ${join(target, 'kontext-backup.db')}`, EXIT.usage);
  const dir = dirname(target);
  try {
    accessSync(dir, constants.W_OK);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'ENOTDIR' ? 'it is not a directory' : 'it is not writable';
    throw new CliError(`kontext: cannot write the backup to ${target}: ${why} (directory ${dir})`, EXIT.usage);
  }

  // Written beside the target and renamed into place: an interrupted backup never leaves a
  // half-written file under the name asked for.
  const partial = join(dir, `.${basename(target)}.partial-${process.pid}`);
  const db = openReadOnly(source);
  try {
    // One step after the first copies the rest under a single read lock: a consistent snapshot
    // even while the server writes (a write between steps would restart the copy).
    await db.backup(partial, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
    // The copy keeps the source's WAL flag; as a rollback-journal database it is one
    // self-contained file (a server that opens it switches it back to WAL).
    const copy = new Database(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    renameSync(partial, target);
  } catch (err) {
    rmSync(partial, { force: true });
    throw new CliError(`kontext: backup of ${source} to ${target} failed: ${(err as Error).message}`, EXIT.other);
  } finally {
    db.close();
  }
  const inspected = inspectBackup(target, { integrity: opts.verify });
  const fingerprint = fingerprintOpening(target, dataDir, opts.env);
  return {
    Backup: target,
    From: source,
    Bytes: statSync(target).size,
    ...(inspected.IntegrityCheck !== undefined ? { IntegrityCheck: inspected.IntegrityCheck } : {}),
    ...(fingerprint ? { RootKeyFingerprint: fingerprint } : {}),
    ...inspected.contents,
  };
}

/** Whether `target` names the database `source` or one of its side files (through symlinks too). */
function sameDatabaseFile(source: string, target: string): boolean {
  const real = (p: string) => {
    try {
      return join(realpathSync(dirname(p)), basename(p));
    } catch {
      return p;
    }
  };
  const db = realpathSync(source);
  return [db, `${db}-wal`, `${db}-shm`, `${db}-journal`].includes(real(target));
}

export interface InspectResult {
  readonly contents: DatabaseContents;
  readonly IntegrityCheck?: string;
}

/** Opens a copy read-only; with `integrity`, runs PRAGMA integrity_check ("ok" or the first problems). */
export function inspectBackup(file: string, opts: { integrity: boolean }): InspectResult {
  if (!existsSync(file)) throw new CliError(`kontext: ${file} does not exist`, EXIT.usage);
  let db: ReturnType<typeof openReadOnly>;
  try {
    db = openReadOnly(file);
  } catch (err) {
    if (err instanceof DamagedDatabase) return { contents: emptyContents(), IntegrityCheck: err.reason };
    throw err;
  }
  try {
    const integrity = opts.integrity ? (db.pragma('integrity_check(20)') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ') : undefined;
    return { contents: contentsOf(db), ...(integrity !== undefined ? { IntegrityCheck: integrity } : {}) };
  } catch (err) {
    if (err instanceof CliError) throw err;
    return { contents: emptyContents(), IntegrityCheck: `cannot read the database: ${(err as Error).message}` };
  } finally {
    db.close();
  }
}

const emptyContents = (): DatabaseContents => ({ SchemaVersion: 0, Keys: 0, KeyVersions: 0, Aliases: 0, Users: 0, Roles: 0, AccessKeys: 0, ActiveSessions: 0, AuditEvents: 0, AuditDigests: 0 });

/** The fingerprint of this environment's root key for `dataDir`, if it opens the database `file`. */
function fingerprintOpening(file: string, dataDir: string, env: Env): string | undefined {
  try {
    const source = locateRootKey(env, dataDir);
    if (!source) return undefined;
    const db = openReadOnly(file);
    try {
      const check = metaValue(db, ROOT_KEY_CHECK_META);
      return check !== undefined && rootKeyOpensCheck(source.rootKey, check) ? source.rootKey.fingerprint() : undefined;
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

export interface RestoreResult extends DatabaseContents {
  readonly Restored: string;
  readonly From: string;
  /** Where the database that was there before went (with --force), else null. */
  readonly Replaced: string | null;
  readonly RootKeyMatches: boolean | null;
}

export function restoreDatabase(backup: string, dataDir: string, opts: { force: boolean; env: Env; now?: Date }): RestoreResult {
  const from = resolve(backup);
  const checked = inspectBackup(from, { integrity: true });
  if (checked.IntegrityCheck !== 'ok') throw new CliError(`kontext: ${from} fails its integrity check, not restoring it: ${checked.IntegrityCheck}`, EXIT.usage);

  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) throw new CliError(`kontext: ${dataDir} is not a directory`, EXIT.usage);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const target = join(dataDir, DATABASE_FILE_NAME);
  if (existsSync(target) && sameDatabaseFile(target, from)) throw new CliError(`kontext: --from ${from} is the database of ${dataDir} itself: nothing to restore`, EXIT.usage);
  let replaced: string | null = null;
  if (existsSync(target)) {
    if (databaseInUse(target)) throw new CliError(`kontext: a server has ${target} open: stop it, then restore`, EXIT.usage);
    if (!opts.force) throw new CliError(`kontext: ${dataDir} already holds a database: --force replaces it (the old one is kept beside it)`, EXIT.usage);
    // databaseInUse closed the last connection, so SQLite folded the WAL into the file; move any
    // leftovers along so they can never be replayed over the restored database.
    const stamp = (opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
    replaced = `${target}.replaced-${stamp}`;
    renameSync(target, replaced);
    for (const suffix of ['-wal', '-shm']) if (existsSync(target + suffix)) renameSync(target + suffix, replaced + suffix);
  } else {
    for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
  }
  const partial = `${target}.restoring-${process.pid}`;
  try {
    copyFileSync(from, partial, constants.COPYFILE_EXCL);
    renameSync(partial, target);
  } catch (err) {
    rmSync(partial, { force: true });
    throw new CliError(`kontext: restore of ${from} into ${dataDir} failed: ${(err as Error).message}`, EXIT.other);
  }
  let matches: boolean | null = null;
  try {
    const source = locateRootKey(opts.env, dataDir);
    const db = openReadOnly(target);
    try {
      const check = metaValue(db, ROOT_KEY_CHECK_META);
      matches = source && check !== undefined ? rootKeyOpensCheck(source.rootKey, check) : null;
    } finally {
      db.close();
    }
  } catch {
    matches = null;
  }
  return { Restored: target, From: from, Replaced: replaced, RootKeyMatches: matches, ...checked.contents };
}
