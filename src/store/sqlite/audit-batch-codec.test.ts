import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { packEvents, unpackEvents } from './audit-batch-codec.ts';
import { termOf } from './audit-term.ts';

test('packEvents() and unpackEvents() round-trip events, non-ASCII bodies and deduplicated terms', () => {
  const hash = (s: string) => createHash('sha256').update(s).digest();
  const entry = { account: '111122223333', attr: 2, value: 'Decrypt' };
  const events = [
    { seq: 1, time: 1_700_000_000_123, body: '{"a":"ü😀"}', hash: hash('1'), index: [entry, entry, { account: '111122223333', attr: 12, value: '3:k=v' }] },
    { seq: 2, time: 1_700_000_000_124, body: '{}', hash: hash('2'), index: [] },
  ];
  const out = [...unpackEvents(packEvents(events))];
  assert.equal(out.length, 2);
  assert.deepEqual(
    out.map((e) => ({ seq: e.seq, time: e.time, body: e.body, hash: Buffer.from(e.hash).toString('hex'), terms: e.terms })),
    [
      { seq: 1, time: 1_700_000_000_123, body: '{"a":"ü😀"}', hash: hash('1').toString('hex'), terms: [termOf(entry), termOf({ account: '111122223333', attr: 12, value: '3:k=v' })] },
      { seq: 2, time: 1_700_000_000_124, body: '{}', hash: hash('2').toString('hex'), terms: [] },
    ],
  );
});
