import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKeyRef } from './key-ref.ts';

const id = '1234abcd-12ab-34cd-56ef-1234567890ab';

test('parseKeyRef() reads key ids, key ARNs, alias names and alias ARNs', () => {
  assert.deepEqual(parseKeyRef(id), { kind: 'key', keyId: id, accountId: undefined, region: undefined });
  assert.deepEqual(parseKeyRef(`arn:aws:kms:us-east-2:111122223333:key/${id}`), { kind: 'key', keyId: id, accountId: '111122223333', region: 'us-east-2' });
  assert.deepEqual(parseKeyRef('alias/app'), { kind: 'alias', aliasName: 'alias/app', accountId: undefined, region: undefined });
  assert.deepEqual(parseKeyRef('arn:aws:kms:eu-west-1:111122223333:alias/app'), { kind: 'alias', aliasName: 'alias/app', accountId: '111122223333', region: 'eu-west-1' });
});

test('parseKeyRef() rejects malformed ids and ARNs with NotFoundException', () => {
  for (const bad of ['nope', 'arn:aws:kms:us-east-1:1:key/x', 'arn:aws:s3:::bucket', `arn:aws:kms:us-east-1:111122223333:key/${id}x`, 'alias', `${id.toUpperCase()}`]) {
    assert.throws(() => parseKeyRef(bad), { name: 'NotFoundException' }, bad);
  }
});
