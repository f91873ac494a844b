import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseShorthand, ShorthandSyntaxError } from './shorthand.ts';

describe('parseShorthand', () => {
  test('parses an encryption context written as key=value pairs', () => {
    assert.deepEqual(parseShorthand('department=finance,customer_id=cust_98765'), { department: 'finance', customer_id: 'cust_98765' });
  });

  test('keeps = inside a value and trims trailing spaces', () => {
    assert.deepEqual(parseShorthand('a=b=c, d=e '), { a: 'b=c', d: 'e' });
  });

  test('turns a comma list without keys into a list, as the AWS CLI does', () => {
    assert.deepEqual(parseShorthand('a=b,c,d=e'), { a: ['b', 'c'], d: 'e' });
  });

  test('reads quoted values with commas and escaped quotes', () => {
    assert.deepEqual(parseShorthand(`a="x,y",b='it\\'s'`), { a: 'x,y', b: "it's" });
  });

  test('reads an escaped comma inside an unquoted value', () => {
    assert.deepEqual(parseShorthand('a=x\\,y'), { a: 'x,y' });
  });

  test('parses nested hashes and explicit lists', () => {
    assert.deepEqual(parseShorthand('EncryptionContextSubset={dept=hr,team=a},Names=[x,y]'), {
      EncryptionContextSubset: { dept: 'hr', team: 'a' },
      Names: ['x', 'y'],
    });
  });

  test('accepts non-ASCII values and keys with path characters', () => {
    assert.deepEqual(parseShorthand('path=/data/ü/😀.txt,aws:tag=v'), { path: '/data/ü/😀.txt', 'aws:tag': 'v' });
  });

  test('an empty value is the empty string', () => {
    assert.deepEqual(parseShorthand('a='), { a: '' });
  });

  test('rejects a duplicate key', () => {
    assert.throws(() => parseShorthand('a=1,a=2'), ShorthandSyntaxError);
  });

  test('rejects a value without a key and an unclosed hash', () => {
    assert.throws(() => parseShorthand('justtext'), /Expected: '='/);
    assert.throws(() => parseShorthand('a={b=c'), ShorthandSyntaxError);
  });
});
