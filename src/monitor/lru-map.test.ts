import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LruMap } from './lru-map.ts';

test('LruMap evicts the least recently used entry beyond its capacity and counts evictions', () => {
  const m = new LruMap<string, number>(2);
  m.set('a', 1);
  m.set('b', 2);
  assert.equal(m.get('a'), 1, 'touching a makes b the oldest');
  m.set('c', 3);
  assert.equal(m.has('b'), false);
  assert.deepEqual([...m.entries()], [['a', 1], ['c', 3]]);
  assert.equal(m.evictions, 1);
  assert.equal(m.peek('a'), 1);
  m.set('d', 4);
  assert.equal(m.has('a'), false, 'peek does not refresh');
  assert.throws(() => new LruMap(0), RangeError);
});
