import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseParam, type ParamShape } from './param-value.ts';

const MAP: ParamShape = { kind: 'map' };
const TAGS: ParamShape = { kind: 'list', member: { kind: 'structure', members: { TagKey: { kind: 'string' }, TagValue: { kind: 'string' } } } };
const PLAINTEXT: ParamShape = { kind: 'blob', plain: 'text' };
const CIPHERTEXT: ParamShape = { kind: 'blob', plain: 'base64' };
const opts = (flag: string, name: string, binaryFormat?: 'base64' | 'raw-in-base64-out') => ({ flag, name, binaryFormat });
const usage = (pattern: RegExp) => (err: Error & { exitCode?: number }) => err.exitCode === 252 && pattern.test(err.message);
const text = (b: unknown) => Buffer.from(b as Uint8Array).toString();

describe('parseParam: encryption context', () => {
  test('reads the key=value shorthand', () => {
    assert.deepEqual(parseParam(MAP, 'department=finance,customer_id=cust_98765', opts('--encryption-context', 'EncryptionContext')), {
      department: 'finance',
      customer_id: 'cust_98765',
    });
  });

  test('reads the JSON form', () => {
    assert.deepEqual(parseParam(MAP, '{"department":"finance","path":"/a,b"}', opts('--encryption-context', 'EncryptionContext')), { department: 'finance', path: '/a,b' });
  });

  test('rejects a value that is a list and a JSON number, naming the parameter', () => {
    assert.throws(() => parseParam(MAP, 'a=b,c', opts('--encryption-context', 'EncryptionContext')), usage(/EncryptionContext\.a/));
    assert.throws(() => parseParam(MAP, '{"a":1}', opts('--encryption-context', 'EncryptionContext')), usage(/valid types: string/));
  });

  test('reports malformed JSON and shorthand as usage errors', () => {
    assert.throws(() => parseParam(MAP, '{"a":', opts('--encryption-context', 'EncryptionContext')), usage(/Invalid JSON/));
    assert.throws(() => parseParam(MAP, 'oops', opts('--encryption-context', 'EncryptionContext')), usage(/--encryption-context/));
  });
});

describe('parseParam: blobs and files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kontext-param-'));
  const bin = join(dir, 'blob.bin');
  writeFileSync(bin, Buffer.from([0, 255, 10, 13]));
  const txt = join(dir, 'ctx.json');
  writeFileSync(txt, '{"tenant":"acme"}');
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--plaintext is text as given by default and base64 with --cli-binary-format base64', () => {
    assert.equal(text(parseParam(PLAINTEXT, 'sensitive-data-here', opts('--plaintext', 'Plaintext'))), 'sensitive-data-here');
    assert.equal(text(parseParam(PLAINTEXT, 'aGVsbG8=', opts('--plaintext', 'Plaintext', 'base64'))), 'hello');
    assert.equal(text(parseParam(PLAINTEXT, 'aGVsbG8=', opts('--plaintext', 'Plaintext', 'raw-in-base64-out'))), 'aGVsbG8=');
  });

  test('--ciphertext-blob is base64 by default and rejects text that is not base64', () => {
    assert.deepEqual([...(parseParam(CIPHERTEXT, 'AP8KDQ==', opts('--ciphertext-blob', 'CiphertextBlob')) as Uint8Array)], [0, 255, 10, 13]);
    assert.throws(() => parseParam(CIPHERTEXT, 'not base64!', opts('--ciphertext-blob', 'CiphertextBlob')), usage(/Invalid base64/));
  });

  test('fileb:// reads raw bytes whatever the binary format', () => {
    for (const fmt of [undefined, 'base64', 'raw-in-base64-out'] as const) {
      assert.deepEqual([...(parseParam(CIPHERTEXT, `fileb://${bin}`, opts('--ciphertext-blob', 'CiphertextBlob', fmt)) as Uint8Array)], [0, 255, 10, 13]);
    }
  });

  test('file:// reads text, here a JSON context', () => {
    assert.deepEqual(parseParam(MAP, `file://${txt}`, opts('--encryption-context', 'EncryptionContext')), { tenant: 'acme' });
  });

  test('a missing file is a usage error naming the flag', () => {
    assert.throws(() => parseParam(CIPHERTEXT, `fileb://${join(dir, 'nope')}`, opts('--ciphertext-blob', 'CiphertextBlob')), usage(/--ciphertext-blob.*No such file/s));
  });
});

describe('parseParam: lists, tags and integers', () => {
  test('--tags takes one shorthand structure per word', () => {
    assert.deepEqual(parseParam(TAGS, ['TagKey=team,TagValue=payments', 'TagKey=env,TagValue=prod'], opts('--tags', 'Tags')), [
      { TagKey: 'team', TagValue: 'payments' },
      { TagKey: 'env', TagValue: 'prod' },
    ]);
  });

  test('--tags takes a JSON list', () => {
    assert.deepEqual(parseParam(TAGS, ['[{"TagKey":"a","TagValue":"b"}]'], opts('--tags', 'Tags')), [{ TagKey: 'a', TagValue: 'b' }]);
  });

  test('--tags rejects an unknown member', () => {
    assert.throws(() => parseParam(TAGS, ['Key=a,Value=b'], opts('--tags', 'Tags')), usage(/Unknown parameter in Tags\[0\]: "Key"/));
  });

  test('a list of strings takes words or JSON', () => {
    const shape: ParamShape = { kind: 'list', member: { kind: 'string' } };
    assert.deepEqual(parseParam(shape, ['Encrypt', 'Decrypt'], opts('--operations', 'Operations')), ['Encrypt', 'Decrypt']);
    assert.deepEqual(parseParam(shape, ['["a","b"]'], opts('--tag-keys', 'TagKeys')), ['a', 'b']);
  });

  test('integers must be whole numbers', () => {
    assert.equal(parseParam({ kind: 'integer' }, '32', opts('--number-of-bytes', 'NumberOfBytes')), 32);
    assert.throws(() => parseParam({ kind: 'integer' }, '3.5', opts('--number-of-bytes', 'NumberOfBytes')), usage(/--number-of-bytes/));
  });

  test('a structure takes nested shorthand (grant constraints)', () => {
    const shape: ParamShape = { kind: 'structure', members: { EncryptionContextSubset: { kind: 'map' }, EncryptionContextEquals: { kind: 'map' } } };
    assert.deepEqual(parseParam(shape, 'EncryptionContextSubset={department=finance}', opts('--constraints', 'Constraints')), {
      EncryptionContextSubset: { department: 'finance' },
    });
  });
});
