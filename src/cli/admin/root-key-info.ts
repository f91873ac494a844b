// `kontext admin root-key`: which root key this environment gives a data directory, named by a
// fingerprint that does not reveal it, whether it opens the data, and what is wrapped under it.
// Never prints, logs or returns key material.

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { locateRootKey, ROOT_KEY_CHECK_META, rootKeyOpensCheck, type RootKeySource } from '../../runtime/root-key-loader.ts';
import { CliError, EXIT } from '../cli-error.ts';
import type { Env } from '../kms/kms-client.ts';
import { contentsOf, DATABASE_FILE_NAME, metaValue, openReadOnly } from './database-file.ts';

export interface RootKeyInfo {
  readonly DataDir: string;
  /** KONTEXT_ROOT_KEY, KONTEXT_ROOT_KEY_FILE or the dev key file <data-dir>/root.key. */
  readonly Source: string;
  readonly File?: string;
  readonly FileMode?: string;
  /** First 16 bytes of HMAC-SHA256(root key, "kontext:root-key-fingerprint:v1"), hex. */
  readonly Fingerprint: string;
  /** Whether the key opens the database's check value (null: no database, or none stored yet). */
  readonly MatchesData: boolean | null;
  readonly WrappedUnderIt?: {
    readonly KeyVersions: number;
    readonly Keys: number;
    readonly AccessKeys: number;
    readonly ActiveSessions: number;
    readonly AuditSigningKey: boolean;
  };
  readonly Warnings: string[];
}

const SOURCE_NAMES: Record<RootKeySource['origin'], string> = {
  env: 'KONTEXT_ROOT_KEY',
  file: 'KONTEXT_ROOT_KEY_FILE',
  'data-dir': 'dev key file',
  generated: 'dev key file',
};

export function rootKeyInfo(dataDir: string, env: Env): RootKeyInfo {
  if (!existsSync(dataDir)) throw new CliError(`kontext: data directory ${dataDir} does not exist: give the server's --data-dir (or set KONTEXT_DATA_DIR)`, EXIT.usage);
  let source: RootKeySource | undefined;
  try {
    source = locateRootKey(env, dataDir);
  } catch (err) {
    // The loader's messages name the variable or file, never the key.
    throw new CliError(`kontext: cannot read the root key: ${(err as Error).message}`, EXIT.config);
  }
  if (!source) {
    throw new CliError(
      `kontext: no root key for ${dataDir}: KONTEXT_ROOT_KEY and KONTEXT_ROOT_KEY_FILE are unset and there is no ${join(dataDir, 'root.key')} ` +
        '(run this with the environment the server runs with)',
      EXIT.config,
    );
  }
  const warnings: string[] = [];
  let fileMode: string | undefined;
  if (source.file) {
    const mode = statSync(source.file).mode & 0o777;
    fileMode = `0${mode.toString(8).padStart(3, '0')}`;
    if (mode & 0o077) warnings.push(`${source.file} is readable or writable by others than its owner (mode ${fileMode}): chmod 600 it`);
  }
  if (source.origin === 'data-dir' || source.origin === 'generated') {
    warnings.push('dev mode: the root key sits in the data directory it protects; set KONTEXT_ROOT_KEY or KONTEXT_ROOT_KEY_FILE in production');
  }

  const base = {
    DataDir: dataDir,
    Source: SOURCE_NAMES[source.origin],
    ...(source.file ? { File: source.file } : {}),
    ...(fileMode ? { FileMode: fileMode } : {}),
    Fingerprint: source.rootKey.fingerprint(),
  };
  const dbFile = join(dataDir, DATABASE_FILE_NAME);
  if (!existsSync(dbFile)) {
    warnings.push(`no database yet in ${dataDir}: nothing is wrapped under this key`);
    return { ...base, MatchesData: null, Warnings: warnings };
  }
  const db = openReadOnly(dbFile);
  try {
    const check = metaValue(db, ROOT_KEY_CHECK_META);
    const matches = check === undefined ? null : rootKeyOpensCheck(source.rootKey, check);
    if (matches === false) warnings.push('this root key does not open the data: a server would refuse to start with it');
    const contents = contentsOf(db);
    return {
      ...base,
      MatchesData: matches,
      WrappedUnderIt: {
        KeyVersions: contents.KeyVersions,
        Keys: contents.Keys,
        AccessKeys: contents.AccessKeys,
        ActiveSessions: contents.ActiveSessions,
        AuditSigningKey: metaValue(db, 'audit_signing_key') !== undefined,
      },
      Warnings: warnings,
    };
  } finally {
    db.close();
  }
}
