import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blob, inputParser, int, list, str, stringMap, REQUIRED } from './validate.ts';

const parse = inputParser({
  KeyId: str({ min: 1, max: 10 }, REQUIRED),
  Count: int({ min: 1, max: 5 }),
  Spec: str({ enum: ['A', 'B'] }),
  Name: str({ pattern: /^[a-z]+$/ }),
  Data: blob({ min: 1, max: 4 }),
  Tokens: list(str({ min: 1 }), { max: 2 }),
  Ctx: stringMap(),
});

test('inputParser() accepts a valid body and ignores unknown members', () => {
  const v = parse({ KeyId: 'k', Count: 2, Spec: 'A', Name: 'abc', Data: 'AQID', Tokens: ['t'], Ctx: { a: 'b' }, Extra: 1 });
  assert.equal(v.KeyId, 'k');
  assert.deepEqual(v.Data, Buffer.from([1, 2, 3]));
  assert.deepEqual({ ...v.Ctx }, { a: 'b' });
});

test('inputParser() words constraint violations as AWS does and counts them', () => {
  assert.throws(() => parse({ Count: 9, Spec: 'C' }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'ValidationException');
    assert.equal(
      e.message,
      "3 validation errors detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null; " +
        "Value '9' at 'count' failed to satisfy constraint: Member must have value less than or equal to 5; " +
        "Value 'C' at 'spec' failed to satisfy constraint: Member must satisfy enum value set: [A, B]",
    );
    return true;
  });
});

test('inputParser() never echoes blob contents in a length violation', () => {
  assert.throws(() => parse({ KeyId: 'k', Data: 'AQIDBAU=' }), (e: Error) => {
    assert.equal(e.message, "1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less than or equal to 4");
    return true;
  });
});

test('inputParser() reports a JSON type mismatch as SerializationException', () => {
  for (const body of [{ KeyId: 1 }, { KeyId: 'k', Count: '1' }, { KeyId: 'k', Count: 1.5 }, { KeyId: 'k', Ctx: { a: 1 } }, { KeyId: 'k', Tokens: 't' }, { KeyId: 'k', Data: '***' }]) {
    assert.throws(() => parse(body), { name: 'SerializationException' }, JSON.stringify(body));
  }
});

test('inputParser() names list members by their 1-based position', () => {
  assert.throws(() => parse({ KeyId: 'k', Tokens: ['a', ''] }), /Value '' at 'tokens.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1/);
});

test('inputParser() checks patterns', () => {
  assert.throws(() => parse({ KeyId: 'k', Name: 'A1' }), /Member must satisfy regular expression pattern: \^\[a-z\]\+\$/);
});
