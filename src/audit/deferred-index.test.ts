import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { ACCOUNT, openSink, record } from './audit-test-kit.ts';
import { searchAuditEvents } from './audit-query.ts';
import { AuditAttr, contextPairValue } from './event-index.ts';

const byCustomer = (customer: string) => [{ attr: AuditAttr.ContextPair, value: contextPairValue('customer_id', customer) }];

async function withFileStore(run: (file: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kontext-audit-index-'));
  try {
    await run(join(dir, 'kontext.db'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('events are found the moment they are durable, before and after the writer indexes them', async () => {
  await withFileStore(async (file) => {
    const { store, sink } = await openSink({}, openSqliteStore(file));
    await Promise.all(Array.from({ length: 30 }, (_, i) => sink.record(record({ context: { customer_id: `cust_${i % 3}` } }))));
    const search = () => searchAuditEvents(store.audit, { account: ACCOUNT, terms: byCustomer('cust_1'), startTime: undefined, endTime: undefined, limit: 4, nextToken: undefined });
    const seqsOf = async () => {
      const seqs: number[] = [];
      let page = await search();
      seqs.push(...page.events.map((e) => e.seq));
      while (page.nextToken) {
        page = await searchAuditEvents(store.audit, { account: ACCOUNT, terms: byCustomer('cust_1'), startTime: undefined, endTime: undefined, limit: 4, nextToken: page.nextToken });
        seqs.push(...page.events.map((e) => e.seq));
      }
      return seqs;
    };
    const expected = [29, 26, 23, 20, 17, 14, 11, 8, 5, 2];
    assert.deepEqual(await seqsOf(), expected, 'found by scanning past the index mark');
    for (let i = 0; i < 50 && (await store.audit.indexedThrough()) < 30; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await store.audit.indexedThrough(), 30, 'the writer indexed the batch');
    assert.deepEqual(await seqsOf(), expected, 'found through the index');
    await sink.close();
    await store.close();
  });
});

/** Six events, customer_id alternating cust_0 / cust_1, through a sink that is then closed. */
async function writeSixEvents(file: string): Promise<void> {
  const first = await openSink({}, openSqliteStore(file));
  for (let i = 0; i < 6; i++) await first.sink.record(record({ context: { customer_id: `cust_${i % 2}` } }));
  await first.sink.close();
  await first.store.close();
}

test('events a crash left unindexed are indexed when the trail opens again', async () => {
  await withFileStore(async (file) => {
    await writeSixEvents(file);
    // As if the process died before its index writes: no postings, the mark at 0.
    const raw = openSqliteStore(file);
    assert.equal(await raw.audit.indexedThrough(), 6);
    raw.db.prepare("UPDATE kontext_meta SET value = '0' WHERE name = 'audit_indexed_through'").run();
    raw.db.prepare('DELETE FROM audit_postings').run();
    await raw.close();

    const second = await openSink({}, openSqliteStore(file));
    assert.equal(await second.store.audit.indexedThrough(), 6);
    const rows = await second.store.audit.query({ driver: { account: ACCOUNT, ...byCustomer('cust_1')[0]! }, filters: [], minSeq: 0, maxSeq: 100, limit: 10 });
    assert.deepEqual(rows.map((r) => r.seq), [6, 4, 2]);
    await second.sink.close();
    await second.store.close();
  });
});

test('a trail from before the posting lists is re-indexed from its events when it opens', async () => {
  await withFileStore(async (file) => {
    await writeSixEvents(file);
    // Back to schema 7 as such a database was: the per-event term table (its rows do not matter:
    // migration 8 drops it), no record of applied migrations.
    const raw = openSqliteStore(file);
    raw.db.exec(`DROP TABLE audit_postings;
      CREATE TABLE audit_terms (term INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (term, seq)) WITHOUT ROWID;
      INSERT INTO audit_terms VALUES (1, 1);
      UPDATE kontext_meta SET value = '6' WHERE name = 'audit_indexed_through';
      DROP TABLE kontext_migrations;
      PRAGMA user_version = 7;`);
    await raw.close();

    const second = await openSink({}, openSqliteStore(file));
    assert.equal(await second.store.audit.indexedThrough(), 6, 'every event indexed again');
    const tables = second.store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'audit_%' ORDER BY name").pluck().all();
    assert.deepEqual(tables, ['audit_digests', 'audit_events', 'audit_postings']);
    const rows = await second.store.audit.query({ driver: { account: ACCOUNT, ...byCustomer('cust_1')[0]! }, filters: [], minSeq: 0, maxSeq: 100, limit: 10 });
    assert.deepEqual(rows.map((r) => r.seq), [6, 4, 2]);
    await second.sink.close();
    await second.store.close();
  });
});
