import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeQueryParams, readQueryParams } from './query-params.ts';
import { isKontextError } from '../errors.ts';

// The decoder builds null-prototype objects; compare their plain JSON form.
const decode = (form: string) => JSON.parse(JSON.stringify(decodeQueryParams(readQueryParams('/', Buffer.from(form)).params))) as Record<string, unknown>;

test('readQueryParams() separates Action and Version from the operation parameters', () => {
  const q = readQueryParams('/', Buffer.from('Action=CreateUser&Version=2010-05-08&UserName=alice&Path=%2Feng%2F'));
  assert.equal(q.action, 'CreateUser');
  assert.equal(q.version, '2010-05-08');
  assert.deepEqual([...q.params], [['UserName', 'alice'], ['Path', '/eng/']]);
});

test('readQueryParams() reads GET parameters from the URL and drops presigning parameters', () => {
  const q = readQueryParams('/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc&X-Amz-Security-Token=t', Buffer.alloc(0));
  assert.equal(q.action, 'GetCallerIdentity');
  assert.equal(q.params.size, 0);
});

test('decodeQueryParams() turns member lists of structures into arrays in index order', () => {
  assert.deepEqual(decode('Tags.member.2.Key=b&Tags.member.2.Value=2&Tags.member.1.Key=a&Tags.member.1.Value=1&UserName=x'), {
    Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }],
    UserName: 'x',
  });
});

test('decodeQueryParams() turns member lists of strings into arrays and closes gaps', () => {
  assert.deepEqual(decode('TransitiveTagKeys.member.3=c&TransitiveTagKeys.member.1=a'), { TransitiveTagKeys: ['a', 'c'] });
});

test('decodeQueryParams() keeps an empty list parameter as an empty string', () => {
  assert.deepEqual(decode('Tags='), { Tags: '' });
});

test('decodeQueryParams() decodes form encoding: plus is a space, percent escapes are bytes', () => {
  assert.deepEqual(decode('Description=a+b%20c%2B'), { Description: 'a b c+' });
});

test('decodeQueryParams() refuses a name used both as a value and a structure', () => {
  assert.throws(() => decode('Tags=x&Tags.member.1.Key=a'), (err: unknown) => isKontextError(err) && err.code === 'SerializationException');
});

test('decodeQueryParams() refuses list indexes that are not 1..1000', () => {
  for (const bad of ['Tags.member.0.Key=a', 'Tags.member.1001.Key=a', 'Tags.member.x.Key=a']) {
    assert.throws(() => decode(bad), (err: unknown) => isKontextError(err) && err.code === 'SerializationException', bad);
  }
});

test('decodeQueryParams() does not let a parameter reach the object prototype', () => {
  const out = decodeQueryParams(readQueryParams('/', Buffer.from('__proto__.polluted=yes&constructor.prototype.polluted=yes')).params);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.equal(Object.getPrototypeOf(out), null);
  assert.deepEqual(Object.keys(out), ['__proto__', 'constructor']);
});

test('readQueryParams() refuses more than 1000 parameters', () => {
  const form = Array.from({ length: 1002 }, (_, i) => `P${i}=v`).join('&');
  assert.throws(() => readQueryParams('/', Buffer.from(form)), (err: unknown) => isKontextError(err) && err.code === 'SerializationException');
});
