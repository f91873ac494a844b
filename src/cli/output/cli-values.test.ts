import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isoTimestamp, toCliValue } from './cli-values.ts';

describe('isoTimestamp', () => {
  test('prints microseconds and the offset like Python isoformat', () => {
    const d = new Date(Date.UTC(2026, 10, 29, 0, 38, 44, 110));
    assert.equal(isoTimestamp(d, 0), '2026-11-29T00:38:44.110000+00:00');
    assert.equal(isoTimestamp(d, -300), '2026-11-28T19:38:44.110000-05:00');
    assert.equal(isoTimestamp(d, 330), '2026-11-29T06:08:44.110000+05:30');
  });

  test('omits the fraction for whole seconds', () => {
    assert.equal(isoTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), 0), '2026-01-02T03:04:05+00:00');
  });
});

describe('toCliValue', () => {
  test('drops $metadata and undefined, prints blobs as base64 and dates as ISO strings', () => {
    const out = toCliValue({
      $metadata: { httpStatusCode: 200 },
      CiphertextBlob: new Uint8Array([1, 2, 3]),
      KeyId: 'k',
      Missing: undefined,
      Nested: [{ When: new Date(0) }],
    }) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['CiphertextBlob', 'KeyId', 'Nested']);
    assert.equal(out['CiphertextBlob'], 'AQID');
    assert.match((out['Nested'] as Array<{ When: string }>)[0]!.When, /^19(69|70)-/);
  });
});
