// Seeds a data directory with real KMS keys before the server starts on it: the same KeyService
// the server uses (fresh random backing material wrapped under the data directory's root key),
// all inserts in one SQLite transaction so 10,000 keys take about a second.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { loadRootKey, verifyRootKey } from '../src/runtime/root-key-loader.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { KeyService } from '../src/keys/key-service.ts';
import { defaultKeyPolicy } from '../src/operations/kms/create-key.ts';

export interface SeedResult {
  readonly keyIds: string[];
  readonly ms: number;
}

export async function seedKeys(dataDir: string, count: number, scope: { region: string; accountId: string }): Promise<SeedResult> {
  const started = Date.now();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const { rootKey } = loadRootKey({}, dataDir, pino({ level: 'silent' }));
  const store = openSqliteStore(join(dataDir, 'kontext.db'));
  try {
    await verifyRootKey(store, rootKey);
    const keys = new KeyService(store, rootKey, randomBytes);
    const policy = defaultKeyPolicy(scope.accountId);
    const keyIds: string[] = [];
    store.db.exec('BEGIN');
    try {
      for (let i = 0; i < count; i++) {
        const key = await keys.create(scope, { description: `bench key ${i}`, policy, tags: [] }, Date.now());
        keyIds.push(key.keyId);
      }
      store.db.exec('COMMIT');
    } catch (err) {
      store.db.exec('ROLLBACK');
      throw err;
    }
    return { keyIds, ms: Date.now() - started };
  } finally {
    await store.close();
  }
}
