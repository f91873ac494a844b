// Finds the root key: KONTEXT_ROOT_KEY (base64), KONTEXT_ROOT_KEY_FILE, or — dev mode — a key file
// generated into the data directory with 0600 permissions and a loud warning. A check value in the
// store catches a root key that does not match the data.

import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { RootKey } from '../crypto/root-key.ts';
import type { Store } from '../store/store.ts';

export interface RootKeySource {
  readonly rootKey: RootKey;
  readonly origin: 'env' | 'file' | 'generated' | 'data-dir';
  readonly file: string | undefined;
}

function decodeKey(text: string, what: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error(`Root key from ${what} must be 32 bytes, base64-encoded (got ${key.length} bytes)`);
  return key;
}

/** The root key this environment gives for `dataDir`, without generating one (undefined: none yet). */
export function locateRootKey(env: Record<string, string | undefined>, dataDir: string): RootKeySource | undefined {
  const fromEnv = env['KONTEXT_ROOT_KEY'];
  if (fromEnv) return { rootKey: new RootKey(decodeKey(fromEnv, 'KONTEXT_ROOT_KEY')), origin: 'env', file: undefined };
  const configured = env['KONTEXT_ROOT_KEY_FILE'];
  if (configured) return { rootKey: new RootKey(decodeKey(readFileSync(configured, 'utf8'), configured)), origin: 'file', file: configured };
  const file = join(dataDir, ROOT_KEY_FILE_NAME);
  if (existsSync(file)) return { rootKey: new RootKey(decodeKey(readFileSync(file, 'utf8'), file)), origin: 'data-dir', file };
  return undefined;
}

export const ROOT_KEY_FILE_NAME = 'root.key';

export function loadRootKey(env: Record<string, string | undefined>, dataDir: string, log: Logger): RootKeySource {
  const found = locateRootKey(env, dataDir);
  if (found) return found;
  const file = join(dataDir, ROOT_KEY_FILE_NAME);
  writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  log.warn(
    { rootKeyFile: file },
    'DEV MODE: generated a root key next to the data it protects. Anyone who can read the data directory can read every key. Set KONTEXT_ROOT_KEY or KONTEXT_ROOT_KEY_FILE in production.',
  );
  return { rootKey: new RootKey(decodeKey(readFileSync(file, 'utf8'), file)), origin: 'generated', file };
}

const CHECK_LABEL = 'kontext:root-key-check';
/** The kontext_meta row holding the check value. */
export const ROOT_KEY_CHECK_META = 'root_key_check';

/** Whether `rootKey` opens a stored check value (the value of the ROOT_KEY_CHECK_META row). */
export function rootKeyOpensCheck(rootKey: RootKey, stored: string): boolean {
  try {
    rootKey.unwrap(Buffer.from(stored, 'base64'), CHECK_LABEL);
    return true;
  } catch {
    return false;
  }
}

/** Fails start-up when the root key is not the one the stored data was written with. */
export async function verifyRootKey(store: Store, rootKey: RootKey): Promise<void> {
  const stored = await store.meta.putIfAbsent(ROOT_KEY_CHECK_META, rootKey.wrap(Buffer.from(CHECK_LABEL), CHECK_LABEL).toString('base64'));
  if (!rootKeyOpensCheck(rootKey, stored)) {
    throw new Error('The root key does not match this data directory: refusing to start (check KONTEXT_ROOT_KEY / KONTEXT_ROOT_KEY_FILE)');
  }
}
