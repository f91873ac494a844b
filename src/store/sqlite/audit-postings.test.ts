import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CHUNK_SIZE, chunkOf, decodeOffsets, encodeOffsets, groupPostings, intersectOffsets } from './audit-postings.ts';
import { openSqliteStore } from './sqlite-store.ts';
import type { AuditAppend, AuditIndexEntry } from '../audit-repository.ts';

const ACCOUNT = '111122223333';
const entry = (attr: number, value: string): AuditIndexEntry => ({ account: ACCOUNT, attr, value });

test('offsets round-trip through the stored encoding, ascending', () => {
  const offsets = [0, 1, 255, 256, 4095];
  assert.deepEqual([...decodeOffsets(encodeOffsets(offsets))], offsets);
  assert.equal(encodeOffsets(offsets).length, 10, 'two bytes an offset');
});

test('a row appended to by several flushes is read sorted and without duplicates', () => {
  const row = Buffer.concat([encodeOffsets([5, 9, 12]), encodeOffsets([1, 9, 40])]);
  assert.deepEqual([...decodeOffsets(row)], [1, 5, 9, 12, 40]);
});

test('a damaged row of odd length yields its whole pairs, not an exception', () => {
  const row = Buffer.concat([encodeOffsets([3, 7]), Buffer.from([1])]);
  assert.deepEqual([...decodeOffsets(row)], [3, 7]);
});

test('intersectOffsets keeps what both lists hold', () => {
  const a = Uint16Array.from([1, 3, 5, 7, 9]);
  assert.deepEqual([...intersectOffsets(a, Uint16Array.from([0, 3, 4, 9, 10]))], [3, 9]);
  assert.deepEqual([...intersectOffsets(a, Uint16Array.from([]))], []);
});

test('groupPostings splits events at chunk boundaries and lists each term per chunk', () => {
  const last = CHUNK_SIZE - 1;
  const groups = groupPostings([
    { seq: last, terms: [10, 20] },
    { seq: CHUNK_SIZE, terms: [10] },
    { seq: CHUNK_SIZE + 2, terms: [10, 30] },
  ]);
  assert.deepEqual(
    groups.map((g) => ({ chunk: g.chunk, terms: Object.fromEntries(g.byTerm) })),
    [
      { chunk: 0, terms: { 10: [last], 20: [last] } },
      { chunk: 1, terms: { 10: [0, 2], 30: [2] } },
    ],
  );
  assert.equal(chunkOf(CHUNK_SIZE * 3 + 7), 3);
});

/** An event row whose body and hash are placeholders: the index does not read them. */
const row = (seq: number, index: AuditIndexEntry[]): AuditAppend => ({ seq, time: seq, body: `{"seq":${seq}}`, hash: createHash('sha256').update(String(seq)).digest(), index });

test('queries walk posting lists across chunks newest first, intersect filters, honour bounds and limits', async () => {
  const store = openSqliteStore(':memory:');
  const red = entry(12, '5:color=red');
  const decrypt = entry(2, 'Decrypt');
  // Events on both sides of two chunk boundaries, indexed in separate flushes.
  const seqs = [1, 2, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + 5];
  for (const seq of seqs) await store.audit.append([row(seq, seq % 2 === 0 ? [red, decrypt] : [red])]);
  const query = (over: Partial<Parameters<typeof store.audit.query>[0]> = {}) =>
    store.audit.query({ driver: red, filters: [], minSeq: 0, maxSeq: Number.MAX_SAFE_INTEGER, limit: 100, ...over }).then((rows) => rows.map((r) => r.seq));
  assert.deepEqual(await query(), [...seqs].reverse(), 'every event with the term, newest first');
  assert.deepEqual(await query({ filters: [decrypt] }), [CHUNK_SIZE, 2], 'only events carrying both terms');
  assert.deepEqual(await query({ minSeq: 2, maxSeq: CHUNK_SIZE }), [CHUNK_SIZE, CHUNK_SIZE - 1, 2], 'sequence bounds are inclusive');
  assert.deepEqual(await query({ limit: 2 }), [3 * CHUNK_SIZE + 5, CHUNK_SIZE + 1], 'stops at the limit');
  assert.deepEqual(await query({ driver: entry(2, 'Encrypt') }), [], 'a term no event carries');
  assert.deepEqual(await query({ filters: [entry(2, 'Encrypt')] }), [], 'a filter no event carries');

  // Retention removes the oldest events: their chunks' postings go, dangling ones are skipped.
  await store.audit.deleteEvents(seqs.slice(0, 4).map((seq) => ({ seq, index: [] })));
  assert.deepEqual(await query(), [3 * CHUNK_SIZE + 5, CHUNK_SIZE + 1], 'removed events are not returned');
  const chunks = store.db.prepare('SELECT DISTINCT chunk FROM audit_postings ORDER BY chunk').pluck().all();
  assert.deepEqual(chunks, [1, 3], 'the chunk wholly before the retained trail is gone');
  await store.close();
});
