import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { KontextError } from '../errors.ts';
import { ACCOUNT, identityFixture, type IdentityFixture } from '../../test/helpers/identity-fixture.ts';

let fx: IdentityFixture;
const NOW = Date.UTC(2025, 0, 1);
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] });
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] });

beforeEach(async () => {
  fx = identityFixture();
  await fx.identity.ensureAccount(ACCOUNT, NOW);
});
afterEach(() => fx.close());

const code = (expected: string) => (err: unknown) => {
  assert.ok(err instanceof KontextError, String(err));
  assert.equal(err.code, expected, err.message);
  return true;
};

const createUser = (userName: string, path = '/') => fx.identity.createUser(ACCOUNT, { userName, path, tags: [] }, NOW);
const createRole = (roleName: string, trustPolicy = TRUST) =>
  fx.identity.createRole(ACCOUNT, { roleName, path: '/', trustPolicy, description: undefined, maxSessionDuration: 3600, tags: [] }, NOW);

test('createUser() gives the user an AIDA id and an ARN with its path', async () => {
  const user = await createUser('alice', '/eng/');
  assert.match(user.userId, /^AIDA[A-Z2-7]{17}$/);
  assert.equal(user.arn, `arn:aws:iam::${ACCOUNT}:user/eng/alice`);
  assert.deepEqual(await fx.identity.getUser(ACCOUNT, 'alice'), user);
});

test('createUser() refuses a name that exists in another case with EntityAlreadyExists', async () => {
  await createUser('alice');
  await assert.rejects(createUser('Alice'), code('EntityAlreadyExists'));
});

test('getUser() finds a user whatever the case of the name, and reports NoSuchEntity otherwise', async () => {
  await createUser('Alice');
  assert.equal((await fx.identity.getUser(ACCOUNT, 'alice')).userName, 'Alice');
  await assert.rejects(fx.identity.getUser(ACCOUNT, 'bob'), code('NoSuchEntity'));
});

test('listUsers() pages by name with an opaque marker and filters by path prefix', async () => {
  for (const name of ['d', 'a', 'c', 'b', 'e']) await createUser(name, name < 'c' ? '/x/' : '/y/');
  const first = await fx.identity.listUsers(ACCOUNT, undefined, { marker: undefined, maxItems: 2 });
  assert.deepEqual(first.items.map((u) => u.userName), ['a', 'b']);
  assert.equal(first.isTruncated, true);
  const second = await fx.identity.listUsers(ACCOUNT, undefined, { marker: first.marker, maxItems: 10 });
  assert.deepEqual(second.items.map((u) => u.userName), ['c', 'd', 'e']);
  assert.equal(second.isTruncated, false);
  assert.equal(second.marker, undefined);
  const x = await fx.identity.listUsers(ACCOUNT, '/x/', { marker: undefined, maxItems: undefined });
  assert.deepEqual(x.items.map((u) => u.userName), ['a', 'b']);
  await assert.rejects(fx.identity.listUsers(ACCOUNT, undefined, { marker: 'not base64url!', maxItems: 1 }), code('InvalidInput'));
});

test('deleteUser() refuses while the user has access keys, then policies, with DeleteConflict', async () => {
  await createUser('alice');
  const key = await fx.identity.createAccessKey(ACCOUNT, 'alice', NOW);
  await fx.identity.putInlinePolicy(ACCOUNT, 'user', 'alice', 'p', POLICY);
  await assert.rejects(fx.identity.deleteUser(ACCOUNT, 'alice'), code('DeleteConflict'));
  await fx.identity.deleteAccessKey(ACCOUNT, 'alice', key.record.accessKeyId);
  await assert.rejects(fx.identity.deleteUser(ACCOUNT, 'alice'), code('DeleteConflict'));
  await fx.identity.deleteInlinePolicy(ACCOUNT, 'user', 'alice', 'p');
  await fx.identity.deleteUser(ACCOUNT, 'alice');
  await assert.rejects(fx.identity.deleteUser(ACCOUNT, 'alice'), code('NoSuchEntity'));
});

test('createAccessKey() allows two keys per user and reports LimitExceeded for a third', async () => {
  await createUser('alice');
  const a = await fx.identity.createAccessKey(ACCOUNT, 'alice', NOW);
  assert.match(a.record.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(a.secretAccessKey.length, 40);
  await fx.identity.createAccessKey(ACCOUNT, 'alice', NOW);
  await assert.rejects(fx.identity.createAccessKey(ACCOUNT, 'alice', NOW), code('LimitExceeded'));
  await assert.rejects(fx.identity.createAccessKey(ACCOUNT, 'nobody', NOW), code('NoSuchEntity'));
});

test('secret access keys are stored only wrapped under the root key', async () => {
  await createUser('alice');
  const key = await fx.identity.createAccessKey(ACCOUNT, 'alice', NOW);
  const role = await createRole('App');
  const s = await fx.identity.createSession({ role, sessionName: 's1', durationSeconds: 900, sessionPolicy: undefined, sourceIdentity: undefined }, NOW);
  const dump = JSON.stringify([
    fx.store.db.prepare('SELECT * FROM iam_access_keys').all(),
    fx.store.db.prepare('SELECT * FROM sts_sessions').all(),
  ]);
  for (const secret of [key.secretAccessKey, s.secretAccessKey, s.sessionToken]) {
    assert.ok(!dump.includes(secret), 'a secret is readable in the database');
    assert.ok(!dump.includes(Buffer.from(secret).toString('hex')), 'a secret is readable in the database (hex)');
  }
});

test('updateAccessKey() and deleteAccessKey() report NoSuchEntity for a key of another user', async () => {
  await createUser('alice');
  await createUser('bob');
  const key = await fx.identity.createAccessKey(ACCOUNT, 'alice', NOW);
  await assert.rejects(fx.identity.updateAccessKey(ACCOUNT, 'bob', key.record.accessKeyId, 'Inactive'), code('NoSuchEntity'));
  await assert.rejects(fx.identity.deleteAccessKey(ACCOUNT, undefined, key.record.accessKeyId), code('NoSuchEntity'));
  await fx.identity.updateAccessKey(ACCOUNT, 'ALICE', key.record.accessKeyId, 'Inactive');
  const listed = await fx.identity.listAccessKeys(ACCOUNT, 'alice', { marker: undefined, maxItems: undefined });
  assert.deepEqual(listed.items.map((k) => k.status), ['Inactive']);
});

test('putRootAccessKey() refuses an id that belongs to an IAM user', async () => {
  await createUser('alice');
  const key = await fx.identity.createAccessKey(ACCOUNT, 'alice', NOW);
  await assert.rejects(fx.identity.putRootAccessKey(ACCOUNT, key.record.accessKeyId, 'x'.repeat(40), NOW), /already belongs/);
});

test('createRole() validates the trust policy with MalformedPolicyDocumentException', async () => {
  await assert.rejects(createRole('Bad', '{not json'), code('MalformedPolicyDocumentException'));
  const withResource = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole', Resource: '*' }] });
  await assert.rejects(createRole('Bad', withResource), code('MalformedPolicyDocumentException'));
  const role = await createRole('App');
  assert.match(role.roleId, /^AROA[A-Z2-7]{17}$/);
  assert.equal(role.arn, `arn:aws:iam::${ACCOUNT}:role/App`);
});

test('deleteRole() refuses while the role has inline policies', async () => {
  await createRole('App');
  await fx.identity.putInlinePolicy(ACCOUNT, 'role', 'App', 'p', POLICY);
  await assert.rejects(fx.identity.deleteRole(ACCOUNT, 'App'), code('DeleteConflict'));
  await fx.identity.deleteInlinePolicy(ACCOUNT, 'role', 'App', 'p');
  await fx.identity.deleteRole(ACCOUNT, 'App');
  await assert.rejects(fx.identity.getRole(ACCOUNT, 'App'), code('NoSuchEntity'));
});

test('putInlinePolicy() replaces a policy of the same name and validates documents', async () => {
  await createUser('alice');
  await fx.identity.putInlinePolicy(ACCOUNT, 'user', 'alice', 'p', POLICY);
  const other = POLICY.replace('kms:Decrypt', 'kms:Encrypt');
  await fx.identity.putInlinePolicy(ACCOUNT, 'user', 'alice', 'P', other);
  const list = await fx.identity.listInlinePolicies(ACCOUNT, 'user', 'alice', { marker: undefined, maxItems: undefined });
  assert.equal(list.items.length, 1);
  assert.equal(list.items[0]?.document, other);
  await assert.rejects(fx.identity.putInlinePolicy(ACCOUNT, 'user', 'alice', 'q', '{"Statement": []}'), code('MalformedPolicyDocumentException'));
  await assert.rejects(fx.identity.putInlinePolicy(ACCOUNT, 'user', 'nobody', 'p', POLICY), code('NoSuchEntity'));
  await assert.rejects(fx.identity.getInlinePolicy(ACCOUNT, 'user', 'alice', 'missing'), code('NoSuchEntity'));
});

test('putInlinePolicy() enforces the 2,048-character aggregate quota of a user', async () => {
  await createUser('alice');
  const big = (n: number) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:*:*:key/' + 'k'.repeat(n) }] });
  await fx.identity.putInlinePolicy(ACCOUNT, 'user', 'alice', 'one', big(1000));
  await assert.rejects(fx.identity.putInlinePolicy(ACCOUNT, 'user', 'alice', 'two', big(1000)), code('LimitExceeded'));
  // Replacing the same policy does not count it twice.
  await fx.identity.putInlinePolicy(ACCOUNT, 'user', 'alice', 'one', big(1200));
});

test('createSession() issues ASIA credentials that expire after the duration, in whole seconds', async () => {
  const role = await createRole('App');
  const s = await fx.identity.createSession({ role, sessionName: 's1', durationSeconds: 900, sessionPolicy: undefined, sourceIdentity: undefined }, NOW + 123);
  assert.match(s.record.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.equal(s.record.expiresAt, NOW + 900_000);
  const resolved = await fx.resolver.resolve(s.record.accessKeyId, NOW);
  assert.equal(resolved?.secretAccessKey, s.secretAccessKey);
  assert.equal(resolved?.session?.expiresAt, NOW + 900_000);
});

test('sweep() drops sessions a day after they expired, not before', async () => {
  const role = await createRole('App');
  const s = await fx.identity.createSession({ role, sessionName: 's1', durationSeconds: 900, sessionPolicy: undefined, sourceIdentity: undefined }, NOW);
  assert.equal(await fx.identity.sweep(NOW + 3600_000), 0);
  assert.equal(await fx.identity.sweep(NOW + 900_000 + 25 * 3600_000), 1);
  fx.resolver.invalidate(s.record.accessKeyId);
  assert.equal(await fx.resolver.resolve(s.record.accessKeyId, NOW), undefined);
});
