// End-to-end: `kontext audit verify` on a real server's data directory catches an edited, a
// deleted and a reordered event (each on its own copy of the trail) and names the first bad one.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { REPO_ROOT, startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

let server: ServerProcess;
const copies: string[] = [];

before(async () => {
  server = await startServerProcess({ env: { KONTEXT_AUDIT_DIGEST_EVERY_EVENTS: '5' } });
  const kms = new KMSClient(server.clientConfig());
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  for (let i = 0; i < 8; i++) {
    const context = { customer_id: `cust_${i}` };
    const enc = await kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId!, Plaintext: Buffer.from(`record ${i}`), EncryptionContext: context }));
    await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob!, EncryptionContext: context }));
  }
  await server.stop(); // a clean stop seals the rest in a final digest
});

after(() => {
  server?.cleanup();
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the stopped server's data directory, tampered with by `change`. */
function tampered(change: (db: Database.Database) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'kontext-tamper-'));
  copies.push(dir);
  cpSync(server.dataDir, dir, { recursive: true });
  const db = new Database(join(dir, 'kontext.db'));
  change(db);
  db.close();
  return dir;
}

function verify(dataDir: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), 'audit', 'verify', '--data-dir', dataDir, '--json'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { status: r.status, report: JSON.parse(r.stdout || '{}') as { ok: boolean; eventsChecked: number; problems: Array<{ kind: string; seq?: number; message: string }> }, stderr: r.stderr };
}

const body = (db: Database.Database, seq: number) => db.prepare('SELECT body FROM audit_events WHERE seq = ?').pluck().get(seq) as string;

test('kontext audit verify passes on the untouched trail', () => {
  const r = verify(tampered(() => {}));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.report.ok, true);
  assert.ok(r.report.eventsChecked >= 17);
});

test('kontext audit verify names an edited event', () => {
  const r = verify(tampered((db) => db.prepare('UPDATE audit_events SET body = ? WHERE seq = 6').run(body(db, 6).replace('"sourceIPAddress":"127.0.0.1"', '"sourceIPAddress":"203.0.113.7"'))));
  assert.equal(r.status, 1);
  assert.deepEqual([r.report.problems[0]?.kind, r.report.problems[0]?.seq], ['edited', 6]);
});

test('kontext audit verify names a deleted event', () => {
  const r = verify(tampered((db) => db.prepare('DELETE FROM audit_events WHERE seq = 9').run()));
  assert.equal(r.status, 1);
  assert.deepEqual([r.report.problems[0]?.kind, r.report.problems[0]?.seq], ['missing', 9]);
});

test('kontext audit verify names reordered events', () => {
  const r = verify(
    tampered((db) => {
      const [a, b] = [body(db, 11), body(db, 12)];
      db.prepare('UPDATE audit_events SET body = ? WHERE seq = ?').run(b, 11);
      db.prepare('UPDATE audit_events SET body = ? WHERE seq = ?').run(a, 12);
    }),
  );
  assert.equal(r.status, 1);
  assert.deepEqual([r.report.problems[0]?.kind, r.report.problems[0]?.seq], ['reordered', 11]);
});

test('kontext audit verify reports a corrupted row without crashing', () => {
  const r = verify(tampered((db) => db.prepare("UPDATE audit_events SET body = 'garbage' WHERE seq = 3").run()));
  assert.equal(r.status, 1, r.stderr);
  assert.deepEqual([r.report.problems[0]?.kind, r.report.problems[0]?.seq], ['corrupted', 3]);
});
