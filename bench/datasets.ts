// The data directories the bench starts servers on: 10,000 seeded keys (fresh every run, about a
// second), and those plus 1,000,000 audit events (minutes to seed, so cached between runs in the
// temp directory, keyed by the trail's on-disk format and the seeders; a new key replaces the old).

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, SERVER_ROOT } from './processes.ts';
import { seedKeys } from './seed-keys.ts';

export const CACHE_ROOT = join(tmpdir(), 'kontext-bench-cache');

export interface AuditDataset {
  readonly dir: string;
  readonly events: number;
  /** Set when this run seeded it; undefined when it came from the cache. */
  readonly seededMs: number | undefined;
  readonly sizeMb: number;
}

/**
 * What decides whether a cached trail still stands for this code: the schema version and the files
 * that decide what the trail looks like on disk (event shape, ids, index terms, chain, digests, the
 * writer), and the seeders. A change to any of them reseeds, so the trail measured is the one this
 * build writes; changes elsewhere keep the cache.
 */
const TRAIL_FORMAT_FILES = [
  'src/store/sqlite/migrations.ts',
  'src/store/sqlite/audit-schema.ts',
  'src/store/sqlite/audit-term.ts',
  'src/store/sqlite/audit-postings.ts',
  'src/store/sqlite/audit-writer.ts',
  'src/audit/cloudtrail-event.ts',
  'src/audit/event-id.ts',
  'src/audit/event-index.ts',
  'src/audit/hash-chain.ts',
  'src/audit/digest.ts',
  'src/audit/durable-audit-sink.ts',
];

async function fingerprint(events: number, keys: number): Promise<string> {
  const { SQLITE_MIGRATIONS } = (await import(join(SERVER_ROOT, 'src/store/sqlite/migrations.ts'))) as { SQLITE_MIGRATIONS: ReadonlyArray<{ version: number }> };
  const schema = Math.max(0, ...SQLITE_MIGRATIONS.map((m) => m.version));
  const h = createHash('sha256').update(`${events}/${keys}/schema ${schema}`);
  for (const f of TRAIL_FORMAT_FILES) if (existsSync(join(SERVER_ROOT, f))) h.update(f).update(readFileSync(join(SERVER_ROOT, f)));
  for (const f of ['bench/audit-seed.ts', 'bench/seed-keys.ts']) h.update(f).update(readFileSync(join(REPO_ROOT, f)));
  return `v${schema}-${h.digest('hex').slice(0, 12)}`;
}

function dirSizeMb(dir: string): number {
  let bytes = 0;
  for (const f of readdirSync(dir)) bytes += statSync(join(dir, f)).size;
  return Math.round(bytes / 1048576);
}

/**
 * A data directory with `keys` keys and `events` audit events: from the cache when a complete one
 * for this code exists, else seeded (into the cache, or into `workDir` when caching is off).
 */
export async function auditDataset(o: {
  events: number;
  keys: number;
  region: string;
  accountId: string;
  useCache: boolean;
  workDir: string;
  log: (line: string) => void;
}): Promise<AuditDataset> {
  const print = await fingerprint(o.events, o.keys);
  const name = `audit-${o.events}-${print}`;
  const dir = o.useCache ? join(CACHE_ROOT, name) : join(o.workDir, name);
  const marker = join(dir, 'bench-dataset.json');
  if (o.useCache && existsSync(marker)) {
    o.log(`audit dataset: ${o.events} events from the cache ${dir}`);
    return { dir, events: o.events, seededMs: undefined, sizeMb: dirSizeMb(dir) };
  }
  if (o.useCache && existsSync(CACHE_ROOT)) {
    // Datasets of other code or sizes are stale: drop them before writing a new one.
    for (const old of readdirSync(CACHE_ROOT)) if (old.startsWith('audit-')) rmSync(join(CACHE_ROOT, old), { recursive: true, force: true });
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  o.log(`audit dataset: seeding ${o.keys} keys and ${o.events} events into ${dir}${o.useCache ? ' (cached for later runs)' : ''}`);
  const started = Date.now();
  const { keyIds } = await seedKeys(dir, o.keys, { region: o.region, accountId: o.accountId });
  // Loaded on use: a tree without the audit trail can still run every other scenario.
  const { seedAuditEvents } = await import('./audit-seed.ts');
  const keyArns = keyIds.slice(0, 50).map((id) => `arn:aws:kms:${o.region}:${o.accountId}:key/${id}`);
  await seedAuditEvents(dir, o.events, { accountId: o.accountId, keyArns, progress: o.log });
  const seededMs = Date.now() - started;
  writeFileSync(marker, JSON.stringify({ events: o.events, keys: o.keys, fingerprint: print, seededMs, createdAt: new Date().toISOString() }) + '\n');
  return { dir, events: o.events, seededMs, sizeMb: dirSizeMb(dir) };
}
