import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { openSink, record, trustedKeys } from './audit-test-kit.ts';
import { chainHash, GENESIS_HASH } from './hash-chain.ts';
import { storeTrailSource } from './store-trail-source.ts';
import { verifyTrail, type VerifyReport } from './verify-trail.ts';

/** Ten Decrypt events sealed by digests after 5 and 10, each with a different context value. */
async function sealedTrail(extraUnsealed = 0): Promise<SqliteStore> {
  const { store, sink } = await openSink({ digestEveryEvents: 5 });
  for (let i = 1; i <= 10; i++) {
    await sink.record(record({ context: { customer_id: `cust_${i}` } }));
    await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setImmediate(r));
  for (let i = 0; i < extraUnsealed; i++) await sink.record(record());
  // No close(): extra events stay unsealed.
  await store.audit.close();
  return store;
}

const verify = async (store: SqliteStore): Promise<VerifyReport> => verifyTrail(storeTrailSource(store.audit), await trustedKeys());

const body = (store: SqliteStore, seq: number): string => store.db.prepare('SELECT body FROM audit_events WHERE seq = ?').pluck().get(seq) as string;
const hash = (store: SqliteStore, seq: number): Buffer => store.db.prepare('SELECT hash FROM audit_events WHERE seq = ?').pluck().get(seq) as Buffer;

function first(report: VerifyReport) {
  assert.equal(report.ok, false, 'verify should fail');
  return report.problems[0] as NonNullable<VerifyReport['problems'][0]>;
}

test('verifyTrail() accepts an untouched trail and reports what it checked', async () => {
  const store = await sealedTrail(2);
  const report = await verify(store);
  assert.deepEqual(report.problems, []);
  assert.equal(report.ok, true);
  assert.equal(report.eventsChecked, 12);
  assert.equal(report.digestsChecked, 2);
  assert.equal(report.sealedThrough, 10);
  assert.equal(report.unsealedEvents, 2);
});

test('verifyTrail() names an edited event', async () => {
  const store = await sealedTrail();
  store.db.prepare('UPDATE audit_events SET body = ? WHERE seq = 3').run(body(store, 3).replace('cust_3', 'cust_X'));
  const p = first(await verify(store));
  assert.equal(p.kind, 'edited');
  assert.equal(p.seq, 3);
  assert.equal(p.eventId, JSON.parse(body(store, 3)).eventID);
  assert.match(p.message, /seq 3 .*edited/);
});

test('verifyTrail() names a deleted event', async () => {
  const store = await sealedTrail();
  store.db.prepare('DELETE FROM audit_events WHERE seq = 4').run();
  const p = first(await verify(store));
  assert.equal(p.kind, 'missing');
  assert.equal(p.seq, 4);
});

test('verifyTrail() catches events removed from the end of a sealed trail', async () => {
  const store = await sealedTrail();
  store.db.prepare('DELETE FROM audit_events WHERE seq >= 9').run();
  const p = first(await verify(store));
  assert.equal(p.kind, 'truncated');
  assert.equal(p.seq, 9);
});

test('verifyTrail() names events whose bodies were swapped', async () => {
  const store = await sealedTrail();
  const [b3, b4] = [body(store, 3), body(store, 4)];
  store.db.prepare('UPDATE audit_events SET body = ? WHERE seq = ?').run(b4, 3);
  store.db.prepare('UPDATE audit_events SET body = ? WHERE seq = ?').run(b3, 4);
  const p = first(await verify(store));
  assert.equal(p.kind, 'reordered');
  assert.equal(p.seq, 3);
});

test('verifyTrail() names whole rows moved to other positions', async () => {
  const store = await sealedTrail();
  const [b6, h6, b7, h7] = [body(store, 6), hash(store, 6), body(store, 7), hash(store, 7)];
  store.db.prepare('UPDATE audit_events SET body = ?, hash = ? WHERE seq = ?').run(b7, h7, 6);
  store.db.prepare('UPDATE audit_events SET body = ?, hash = ? WHERE seq = ?').run(b6, h6, 7);
  const p = first(await verify(store));
  assert.equal(p.kind, 'reordered');
  assert.equal(p.seq, 6);
});

test('verifyTrail() names an event inserted into the middle of the trail', async () => {
  const store = await sealedTrail();
  store.db.prepare('UPDATE audit_events SET seq = seq + 1000 WHERE seq >= 3').run();
  store.db.prepare('UPDATE audit_events SET seq = seq - 999 WHERE seq >= 1003').run();
  const fake = body(store, 2).replace('cust_2', 'cust_forged');
  store.db.prepare('INSERT INTO audit_events (seq, time, body, hash) VALUES (3, 0, ?, ?)').run(fake, chainHash(hash(store, 2), 3, fake));
  const p = first(await verify(store));
  assert.equal(p.kind, 'inserted');
  assert.equal(p.seq, 3);
});

test('verifyTrail() reports a corrupted row instead of failing', async () => {
  const store = await sealedTrail();
  store.db.prepare("UPDATE audit_events SET body = '{\"eventVersion\": \"1.0' WHERE seq = 5").run();
  const p = first(await verify(store));
  assert.equal(p.kind, 'corrupted');
  assert.equal(p.seq, 5);
  store.db.prepare('UPDATE audit_events SET body = ?, hash = ? WHERE seq = 5').run('{}', Buffer.from('short'));
  assert.equal(first(await verify(store)).kind, 'corrupted');
});

test('verifyTrail() catches an edit whose stored hashes were recomputed, by the signed digest', async () => {
  const store = await sealedTrail();
  store.db.prepare('UPDATE audit_events SET body = ? WHERE seq = 2').run(body(store, 2).replace('cust_2', 'cust_X'));
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= 10; seq++) {
    const h = chainHash(prev, seq, body(store, seq));
    store.db.prepare('UPDATE audit_events SET hash = ? WHERE seq = ?').run(h, seq);
    prev = h;
  }
  const p = first(await verify(store));
  assert.equal(p.kind, 'chain-rewritten');
  assert.equal(p.digest, 1);
  assert.match(p.message, /seq 1–5/);
});

test('verifyTrail() rejects an altered digest and a removed digest', async () => {
  const store = await sealedTrail();
  const d1 = store.db.prepare('SELECT body FROM audit_digests WHERE number = 1').pluck().get() as string;
  store.db.prepare('UPDATE audit_digests SET body = ? WHERE number = 1').run(d1.replace('"eventCount":5', '"eventCount":4'));
  assert.equal(first(await verify(store)).kind, 'digest-signature');
  store.db.prepare('DELETE FROM audit_digests WHERE number = 1').run();
  assert.equal(first(await verify(store)).kind, 'digest-missing');
});

test('verifyTrail() does not trust digests signed by another key', async () => {
  const store = await sealedTrail();
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
  const report = await verifyTrail(storeTrailSource(store.audit), new Map([['0'.repeat(64), other]]));
  assert.equal(first(report).kind, 'unknown-key');
});
