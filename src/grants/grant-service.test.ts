import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { KontextError } from '../errors.ts';
import { GrantService, type NewGrant } from './grant-service.ts';
import { grantIdOfToken } from './grant-token.ts';
import { grantProblems, normalizeConstraints } from './grant-rules.ts';

const key = { region: 'us-east-1', accountId: '111122223333', keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', arn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' };
const other = { ...key, keyId: '0987dcba-09fe-87dc-65ba-ab0987654321', arn: 'arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321' };
const ALICE = 'arn:aws:iam::111122223333:user/alice';
const BOB = 'arn:aws:iam::111122223333:user/bob';
const grant = (extra: Partial<NewGrant> = {}): NewGrant => ({
  key, name: undefined, granteePrincipal: ALICE, retiringPrincipal: BOB, issuingAccountId: '111122223333', operations: ['Decrypt', 'Encrypt'], constraints: undefined, ...extra,
});

let store: SqliteStore;
let grants: GrantService;
beforeEach(() => {
  store = openSqliteStore(':memory:');
  grants = new GrantService(store.grants, { grantsPerKey: 3 });
});
afterEach(() => store.close());

test('create() stores a grant with a 64-hex id and a token naming it', async () => {
  const created = await grants.create(grant({ constraints: { encryptionContextEquals: { a: '1' } } }), 1000);
  assert.match(created.grant.grantId, /^[0-9a-f]{64}$/);
  assert.equal(grantIdOfToken(created.token), created.grant.grantId);
  assert.deepEqual(await grants.get(created.grant.grantId), created.grant);
  assert.equal(created.grant.issuingAccount, 'arn:aws:iam::111122223333:root');
});

test('a Name retry with the same properties returns the existing grant with a new token', async () => {
  const first = await grants.create(grant({ name: 'retry-me' }), 1000);
  const again = await grants.create(grant({ name: 'retry-me', operations: ['Encrypt', 'Decrypt'] }), 2000);
  assert.equal(again.grant.grantId, first.grant.grantId);
  assert.equal(again.existing, true);
  assert.notEqual(again.token, first.token);
  const different = await grants.create(grant({ name: 'retry-me', operations: ['Decrypt'] }), 3000);
  assert.notEqual(different.grant.grantId, first.grant.grantId);
});

test('the per-key quota answers LimitExceededException', async () => {
  for (let i = 0; i < 3; i++) await grants.create(grant(), i);
  await assert.rejects(grants.create(grant(), 9), (err: unknown) => err instanceof KontextError && err.code === 'LimitExceededException');
  await grants.create(grant({ key: other }), 9);
});

test('listing pages in creation order, filters by grant id and grantee, and by retiring principal', async () => {
  const a = await grants.create(grant(), 1);
  const b = await grants.create(grant({ granteePrincipal: BOB }), 2);
  await grants.create(grant({ key: other, retiringPrincipal: undefined }), 3);
  const first = await grants.listForKey(key, { limit: 1, after: undefined });
  assert.deepEqual(first.map((r) => r.grant.grantId), [a.grant.grantId]);
  const rest = await grants.listForKey(key, { limit: 10, after: first[0]?.seq });
  assert.deepEqual(rest.map((r) => r.grant.grantId), [b.grant.grantId]);
  assert.deepEqual((await grants.listForKey(key, { limit: 10, after: undefined }, { granteePrincipal: BOB })).map((r) => r.grant.grantId), [b.grant.grantId]);
  assert.deepEqual((await grants.listForKey(key, { limit: 10, after: undefined }, { grantId: a.grant.grantId })).map((r) => r.grant.grantId), [a.grant.grantId]);
  assert.equal((await grants.listByRetiringPrincipal('us-east-1', BOB, { limit: 10, after: undefined })).length, 2);
  assert.equal((await grants.listByRetiringPrincipal('eu-west-1', BOB, { limit: 10, after: undefined })).length, 0);
});

test('grantsFor() caches a key\'s grants and every change invalidates them', async () => {
  assert.deepEqual(await grants.grantsFor(key), []);
  const { grant: g } = await grants.create(grant(), 1);
  assert.deepEqual((await grants.grantsFor(key)).map((x) => x.grantId), [g.grantId]);
  assert.ok(Array.isArray(grants.grantsFor(key)), 'answered from the cache without a promise');
  await grants.remove(g);
  assert.deepEqual(await grants.grantsFor(key), []);
});

test('deleting a key deletes its grants', async () => {
  const { grant: g } = await grants.create(grant(), 1);
  await store.keys.delete(key.region, key.accountId, key.keyId);
  assert.equal(await grants.get(g.grantId), undefined);
});

test('grantProblems() enforces the constraint limits and the symmetric-key operations', () => {
  assert.deepEqual(grantProblems(['Decrypt'], undefined), []);
  assert.equal(grantProblems([], undefined).length, 1);
  assert.match(grantProblems(['Decrypt', 'Sign'], undefined)[0] ?? '', /Sign/);
  const nine = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v']));
  assert.match(grantProblems(['Decrypt'], { encryptionContextSubset: nine })[0] ?? '', /up to 8/);
  assert.match(grantProblems(['Decrypt'], { encryptionContextEquals: { k: 'x'.repeat(385) } })[0] ?? '', /384/);
  assert.deepEqual(grantProblems(['Decrypt'], { encryptionContextEquals: { k: 'x'.repeat(384) } }), []);
  assert.equal(normalizeConstraints({ EncryptionContextSubset: {} }), undefined);
});
