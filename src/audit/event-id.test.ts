import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventIdFor, seqOfEventId } from './event-id.ts';

test('eventIdFor() makes an RFC 9562 version-8 UUID that carries the sequence number', () => {
  const id = eventIdFor(123_456_789, 1_700_000_000_000, 0xabc);
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8abc-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(id.slice(0, 13), '018bcfe5-6800');
  assert.equal(seqOfEventId(id), 123_456_789);
  assert.equal(seqOfEventId(id.toUpperCase()), 123_456_789);
  assert.equal(seqOfEventId(eventIdFor(Number.MAX_SAFE_INTEGER, 0)), Number.MAX_SAFE_INTEGER);
});

test('seqOfEventId() rejects ids that are not ours', () => {
  assert.equal(seqOfEventId('f47ac10b-58cc-4372-a567-0e02b2c3d479'), undefined); // version 4
  assert.equal(seqOfEventId('not-an-id'), undefined);
  assert.equal(seqOfEventId(''), undefined);
});
