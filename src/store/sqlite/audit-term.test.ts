import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashEntry, termOf } from './audit-term.ts';

test('index terms are pinned: the stored index depends on these exact values', () => {
  assert.equal(hashEntry({ account: '123456789012', attr: 12, value: '11:customer_id=cust_98765' }), 6909704388878117);
  assert.equal(hashEntry({ account: '123456789012', attr: 2, value: 'Decrypt' }), 7951425386309864);
});

test('termOf gives the hash of the entry, remembered or not, across more entries than it remembers', () => {
  const entries = Array.from({ length: 45_000 }, (_, i) => ({ account: i % 2 ? '111122223333' : '444455556666', attr: i % 13, value: `v${i % 30_000}` }));
  for (const e of entries) assert.equal(termOf(e), hashEntry(e));
  // Again, now partly from memory (the cache started over at least once on the way).
  for (const e of entries.slice(0, 5_000)) assert.equal(termOf(e), hashEntry(e));
  assert.notEqual(termOf({ account: '111122223333', attr: 2, value: 'x' }), termOf({ account: '444455556666', attr: 2, value: 'x' }), 'accounts differ');
  assert.notEqual(termOf({ account: '111122223333', attr: 2, value: 'x' }), termOf({ account: '111122223333', attr: 3, value: 'x' }), 'attributes differ');
});
