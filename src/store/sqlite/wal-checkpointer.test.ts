import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { WalCheckpointer } from './wal-checkpointer.ts';

function withDb(run: (file: string, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kontext-ckpt-'));
  return run(join(dir, 'kontext.db'), dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('the worker checkpoints what a connection with automatic checkpoints off wrote', async () => {
  await withDb(async (file) => {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (x BLOB)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    const failures: unknown[] = [];
    const worker = new WalCheckpointer({ file, intervalMs: 20, onFailure: (err) => failures.push(err) });
    for (let i = 0; i < 200; i++) insert.run(Buffer.alloc(8192, i));
    const walBytes = statSync(`${file}-wal`).size;
    assert.ok(walBytes > 1_600_000, 'the rows sit in the WAL: this connection never checkpoints');
    // Only a checkpoint moves pages into the database file: wait (bounded, by size not by clock).
    for (let i = 0; i < 250 && statSync(file).size < 1_600_000; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(statSync(file).size >= 1_600_000, `the worker copied the WAL into the database file (${statSync(file).size} bytes)`);
    await worker.close();
    assert.deepEqual(failures, []);
    assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 200);
    db.close();
  });
});

test('a worker that cannot open the database reports the failure, so automatic checkpoints can come back', async () => {
  await withDb(async (_file, dir) => {
    const failures: unknown[] = [];
    const failed = new Promise<void>((resolve) => {
      const worker = new WalCheckpointer({
        file: join(dir, 'missing.db'),
        intervalMs: 20,
        onFailure: (err) => {
          failures.push(err);
          resolve();
          void worker.close();
        },
      });
    });
    await failed;
    assert.equal(failures.length, 1);
    assert.match(String(failures[0]), /SQLITE_CANTOPEN|unable to open|does not exist/i);
  });
});
