import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditAppend, AuditRepository } from '../store/audit-repository.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { openSink, record, trustedKeys } from './audit-test-kit.ts';
import { storeTrailSource } from './store-trail-source.ts';
import { verifyTrail } from './verify-trail.ts';
import type { DigestContent } from './digest.ts';

/** Wraps a repository so tests can count, delay and fail appends. */
function instrumented(repo: AuditRepository, opts: { delayMs?: number; failures?: number } = {}) {
  const batches: number[] = [];
  let failures = opts.failures ?? 0;
  const wrapped: AuditRepository = {
    ...repo,
    async append(events: readonly AuditAppend[]) {
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      if (failures > 0) {
        failures--;
        throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      }
      batches.push(events.length);
      return repo.append(events);
    },
  };
  return { repo: wrapped, batches, failAgain: (n: number) => (failures = n) };
}

test('record() resolves only after the event is in the store', async () => {
  const { store, sink } = await openSink();
  await sink.record(record());
  const last = await store.audit.lastEvent();
  assert.equal(last?.seq, 1);
  assert.equal(JSON.parse(last?.body ?? '{}').eventName, 'Decrypt');
  await sink.close();
});

test('concurrent records share one transaction (group commit)', async () => {
  const store = openSqliteStore(':memory:');
  const inst = instrumented(store.audit, { delayMs: 20 });
  const { sink } = await openSink({ repo: inst.repo }, store);
  await sink.record(record()); // one batch in flight...
  const first = sink.record(record());
  await new Promise((r) => setTimeout(r, 5));
  // ...while it runs, 100 more requests finish and queue behind it.
  await Promise.all([first, ...Array.from({ length: 100 }, () => sink.record(record()))]);
  assert.equal(inst.batches.reduce((a, b) => a + b, 0), 102);
  assert.ok(inst.batches.length <= 4, `expected few transactions, got ${inst.batches.join(',')}`);
  await sink.close();
});

test('a failed write rejects its requests, and the chain continues without a gap once the store recovers', async () => {
  const store = openSqliteStore(':memory:');
  const inst = instrumented(store.audit);
  const { sink } = await openSink({ repo: inst.repo }, store);
  await sink.record(record());
  inst.failAgain(1);
  const failed = await Promise.allSettled([sink.record(record()), sink.record(record())]);
  assert.deepEqual(failed.map((r) => r.status), ['rejected', 'rejected']);
  await sink.record(record());
  await sink.record(record());
  const rows = await store.audit.events(0, 10);
  assert.deepEqual(rows.map((r) => r.seq), [1, 2, 3]);
  await sink.close();
  const report = await verifyTrail(storeTrailSource(store.audit), await trustedKeys());
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  assert.equal(report.eventsChecked, 3);
});

test('a real SQLite write failure fails the batch and the sink recovers when writes work again', async () => {
  const store = openSqliteStore(':memory:');
  const { sink } = await openSink({}, store);
  await sink.record(record());
  store.db.pragma('query_only = ON');
  await assert.rejects(sink.record(record()), /readonly|read-only|query_only/i);
  store.db.pragma('query_only = OFF');
  await sink.record(record());
  assert.deepEqual((await store.audit.events(0, 10)).map((r) => r.seq), [1, 2]);
  await sink.close();
});

test('events are sealed by a digest after the configured count and at close', async () => {
  const { store, sink } = await openSink({ digestEveryEvents: 5 });
  for (let i = 0; i < 7; i++) await sink.record(record());
  await new Promise((r) => setImmediate(r));
  await sink.close();
  const digests = await store.audit.digests();
  assert.deepEqual(
    digests.map((d) => [d.firstSeq, d.lastSeq, (JSON.parse(d.body) as DigestContent).digestReason]),
    [
      [1, 5, 'count'],
      [6, 7, 'shutdown'],
    ],
  );
  const second = JSON.parse(digests[1]?.body ?? '{}') as DigestContent;
  assert.equal(second.previousDigestSignature, digests[0]?.signature);
  assert.equal(second.previousDigestName, (JSON.parse(digests[0]?.body ?? '{}') as DigestContent).digestName);
  const report = await verifyTrail(storeTrailSource(store.audit), await trustedKeys());
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  assert.equal(report.sealedThrough, 7);
  assert.equal(report.unsealedEvents, 0);
});

test('event times never decrease along the chain, even when the clock steps back', async () => {
  const { store, sink } = await openSink();
  await sink.record(record({ completedAt: 2_000 }));
  await sink.record(record({ completedAt: 1_000 }));
  const rows = await store.audit.events(0, 10);
  assert.deepEqual(rows.map((r) => r.time), [2_000, 2_000]);
  await sink.close();
});

test('reopening continues the chain and seals events a crash left unsealed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kontext-audit-'));
  try {
    const file = join(dir, 'kontext.db');
    const first = await openSink({}, openSqliteStore(file));
    await first.sink.record(record());
    await first.sink.record(record());
    // A crash: no close(), so no shutdown digest; the store's writer thread is stopped.
    await first.store.close();
    const second = await openSink({}, openSqliteStore(file));
    assert.equal(second.sink.state().unsealedEvents, 0);
    const digests = await second.store.audit.digests();
    assert.deepEqual(digests.map((d) => [(JSON.parse(d.body) as DigestContent).digestReason, d.firstSeq, d.lastSeq]), [['startup', 1, 2]]);
    await second.sink.record(record());
    await second.sink.close();
    const report = await verifyTrail(storeTrailSource(second.store.audit), await trustedKeys());
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.equal(report.eventsChecked, 3);
    await second.store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('retention removes old events at a digest boundary and the retained trail still verifies', async () => {
  const day = 86_400_000;
  const { store, sink, clock } = await openSink({ retentionMs: 30 * day });
  for (let i = 0; i < 3; i++) await sink.record(record({ completedAt: clock.now }));
  await sink.seal();
  clock.now += 10 * day;
  for (let i = 0; i < 2; i++) await sink.record(record({ completedAt: clock.now }));
  await sink.seal();
  clock.now += 25 * day; // the first three are now 35 days old, the next two 25
  await sink.record(record({ completedAt: clock.now }));
  await sink.retainNow();
  const rows = await store.audit.events(0, 100);
  assert.deepEqual(rows.map((r) => r.seq), [4, 5, 6]);
  const digests = await store.audit.digests();
  assert.equal(digests[0]?.lastSeq, 3, 'the anchor digest is kept');
  const newest = JSON.parse(digests[digests.length - 1]?.body ?? '{}') as DigestContent;
  assert.equal(newest.trailStartSequence, 4);
  await sink.record(record({ completedAt: clock.now }));
  await sink.close();
  const report = await verifyTrail(storeTrailSource(store.audit), await trustedKeys());
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  assert.equal(report.trailStartSequence, 4);
  assert.equal(report.eventsChecked, 4);
});

test('events written to a database file are durable there', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kontext-audit-'));
  try {
    const file = join(dir, 'kontext.db');
    const { store, sink } = await openSink({}, openSqliteStore(file));
    await Promise.all(Array.from({ length: 50 }, () => sink.record(record())));
    await sink.close();
    await store.close();
    const reopened = openSqliteStore(file);
    assert.equal((await reopened.audit.lastEvent())?.seq, 50);
    await reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('retention can remove every event and the trail continues from the anchor digest', async () => {
  const day = 86_400_000;
  const { store, sink, clock } = await openSink({ retentionMs: 30 * day });
  for (let i = 0; i < 3; i++) await sink.record(record({ completedAt: clock.now }));
  await sink.seal();
  clock.now += 40 * day;
  await sink.retainNow();
  assert.deepEqual(await store.audit.events(0, 10), []);
  await sink.record(record({ completedAt: clock.now }));
  await sink.close();
  const report = await verifyTrail(storeTrailSource(store.audit), await trustedKeys());
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  assert.equal(report.trailStartSequence, 4);
  assert.equal(report.firstSequence, 4);
  assert.equal(report.eventsChecked, 1);
});
