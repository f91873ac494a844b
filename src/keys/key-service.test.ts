import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { KeyService } from './key-service.ts';
import { RootKey } from '../crypto/root-key.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { DAY_MS } from './key-record.ts';
import { KontextError } from '../errors.ts';

const scope = { region: 'us-east-1', accountId: '123456789012' };

function setup() {
  const store = openSqliteStore(':memory:');
  const root = new RootKey(randomBytes(32));
  return { store, root, keys: new KeyService(store, root, randomBytes) };
}

test('sweep() deletes a key whose deletion date has passed, with its aliases', async () => {
  const { store, keys } = setup();
  const t0 = Date.now();
  const key = await keys.create(scope, { description: '', policy: '{}', tags: [] }, t0);
  await store.aliases.create({ aliasName: 'alias/gone', accountId: scope.accountId, region: scope.region, targetKeyId: key.keyId, creationDate: t0, lastUpdatedDate: t0 });
  await keys.save({ ...key, keyState: 'PendingDeletion', deletionDate: t0 + 7 * DAY_MS, pendingDeletionWindowInDays: 7 });
  assert.deepEqual((await keys.sweep(t0 + 6 * DAY_MS)).deleted, []);
  assert.deepEqual((await keys.sweep(t0 + 7 * DAY_MS)).deleted, [key.arn]);
  assert.equal(await store.keys.get(scope.region, scope.accountId, key.keyId), undefined);
  assert.equal(await store.aliases.get(scope.region, scope.accountId, 'alias/gone'), undefined);
  await assert.rejects(keys.getById(scope.region, scope.accountId, key.keyId), (e: unknown) => e instanceof KontextError && e.code === 'NotFoundException');
});

test('sweep() rotates an enabled key when its period has elapsed and schedules the next rotation', async () => {
  const { keys } = setup();
  const t0 = Date.now();
  const key = await keys.create(scope, { description: '', policy: '{}', tags: [] }, t0);
  await keys.save({ ...key, rotationEnabled: true, rotationPeriodInDays: 90, nextRotationDate: t0 + 90 * DAY_MS });
  const old = keys.encrypt(await keys.getById(scope.region, scope.accountId, key.keyId), Buffer.from('old'), { a: '1' });
  const r = await keys.sweep(t0 + 90 * DAY_MS);
  assert.deepEqual(r.rotated, [key.arn]);
  const rotated = await keys.getById(scope.region, scope.accountId, key.keyId);
  assert.equal(rotated.versions.length, 2);
  assert.equal(rotated.versions[1]?.rotationType, 'AUTOMATIC');
  assert.equal(rotated.nextRotationDate, t0 + 180 * DAY_MS);
  const dec = await keys.decrypt(scope, old, { a: '1' }, async () => rotated);
  assert.equal(dec.plaintext.toString(), 'old');
  assert.equal(dec.keyVersion, 1);
});

test('sweep() does not rotate a disabled key', async () => {
  const { keys } = setup();
  const t0 = Date.now();
  const key = await keys.create(scope, { description: '', policy: '{}', tags: [] }, t0);
  await keys.save({ ...key, keyState: 'Disabled', rotationEnabled: true, rotationPeriodInDays: 90, nextRotationDate: t0 + 90 * DAY_MS });
  assert.deepEqual((await keys.sweep(t0 + 91 * DAY_MS)).rotated, []);
});

test('key material is stored wrapped: the database holds no raw backing key', async () => {
  const { store, keys, root } = setup();
  const key = await keys.create(scope, { description: '', policy: '{}', tags: [] }, Date.now());
  const raw = store.db.prepare('SELECT doc FROM kms_keys').pluck().get() as string;
  const material = root.unwrap(key.versions[0]!.wrappedMaterial, `key:${key.arn}:v1`);
  assert.ok(!raw.includes(material.toString('base64')));
  assert.ok(!raw.includes(material.toString('hex')));
});

test('decrypt() reports why it failed in the error reason but not the message', async () => {
  const { keys } = setup();
  const key = await keys.create(scope, { description: '', policy: '{}', tags: [] }, Date.now());
  const blob = keys.encrypt(key, Buffer.from('p'), { a: '1' });
  await assert.rejects(keys.decrypt(scope, blob, { a: '2' }, async () => key), (e: unknown) => {
    assert.ok(e instanceof KontextError);
    assert.equal(e.code, 'InvalidCiphertextException');
    assert.equal(e.message, '');
    assert.match(e.reason ?? '', /encryption context differs/);
    return true;
  });
});
