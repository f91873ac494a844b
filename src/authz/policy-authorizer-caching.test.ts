import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { RootKey } from '../crypto/root-key.ts';
import { CredentialResolver } from '../identity/credential-resolver.ts';
import { IdentityService } from '../identity/identity-service.ts';
import { policyEngineRules } from '../identity/policy-rules.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { GrantService } from '../grants/grant-service.ts';
import { encodeGrantToken } from '../grants/grant-token.ts';
import { KontextError } from '../errors.ts';
import { rootCaller, type Caller } from '../identity/caller.ts';
import type { UserRecord } from '../identity/identity-records.ts';
import { keyRecordFor } from '../../test/helpers/evaluator-replay.ts';
import { PolicyAuthorizer } from './policy-authorizer.ts';
import type { AuthzRequest } from './authorizer.ts';

const ACCOUNT = '111122223333';
const NOW = Date.UTC(2025, 0, 1);
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const ROOT_DELEGATION = { Sid: 'Enable IAM policies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };

let store: SqliteStore;
let grants: GrantService;
let authorizer: PolicyAuthorizer;
let identity: IdentityService;
let alice: UserRecord;

const userCaller = (u: UserRecord): Caller => ({
  type: 'IAMUser', accountId: u.accountId, arn: u.arn, principalId: u.userId, accessKeyId: undefined, userName: u.userName, sessionIssuer: undefined, sessionCreatedAt: undefined,
});

const request = (caller: Caller, policy: string, extra: Partial<AuthzRequest> = {}): AuthzRequest => ({
  caller, action: 'kms:Decrypt', region: 'us-east-1', key: keyRecordFor(policy, KEY_ARN), sourceIp: '192.0.2.1', secureTransport: true, now: NOW, ...extra,
});

const decision = async (req: AuthzRequest) => (await authorizer.evaluateRequest(req)).decision;

const code = (expected: string) => (err: unknown) => {
  assert.ok(err instanceof KontextError, String(err));
  assert.equal(err.code, expected, err.message);
  return true;
};

beforeEach(async () => {
  store = openSqliteStore(':memory:');
  grants = new GrantService(store.grants);
  authorizer = new PolicyAuthorizer({ identity: store.identity, grants });
  const root = new RootKey(randomBytes(32));
  identity = new IdentityService(authorizer.identityPolicies.observe(store.identity), root, randomBytes, new CredentialResolver(store.identity, root), policyEngineRules());
  await identity.ensureAccount(ACCOUNT, NOW);
  alice = await identity.createUser(ACCOUNT, { userName: 'alice', path: '/', tags: [{ Key: 'team', Value: 'finance' }] }, NOW);
});
afterEach(() => store.close());

describe('identity policies', () => {
  test('a new inline policy applies to the next request, and its deletion too', async () => {
    const req = request(userCaller(alice), doc(ROOT_DELEGATION));
    assert.equal(await decision(req), 'implicitDeny');
    await identity.putInlinePolicy(ACCOUNT, 'user', 'alice', 'Decrypt', doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }));
    assert.equal(await decision(req), 'allowed');
    await identity.putInlinePolicy(ACCOUNT, 'user', 'alice', 'NoDecrypt', doc({ Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }));
    assert.equal(await decision(req), 'explicitDeny');
    await identity.deleteInlinePolicy(ACCOUNT, 'user', 'alice', 'NoDecrypt');
    assert.equal(await decision(req), 'allowed');
  });

  test('a change another node made is seen once the cache entry ages out', async () => {
    const short = new PolicyAuthorizer({ identity: store.identity, grants, identityCacheTtlMs: 1000 });
    const req = request(userCaller(alice), doc(ROOT_DELEGATION));
    assert.equal((await short.evaluateRequest(req)).decision, 'implicitDeny');
    // Straight into the store, past the wrapper: as another node would.
    await store.identity.putInlinePolicy({ accountId: ACCOUNT, ownerType: 'user', ownerName: 'alice', policyName: 'P', document: doc({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }) });
    assert.equal((await short.evaluateRequest(req)).decision, 'implicitDeny', 'still cached');
    assert.equal((await short.evaluateRequest({ ...req, now: NOW + 1001 })).decision, 'allowed');
  });

  test('the principal tags of the user reach aws:PrincipalTag conditions', async () => {
    const policy = doc({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'finance' } } });
    assert.equal(await decision(request(userCaller(alice), policy)), 'allowed');
  });

  test('a stored identity policy that does not compile denies its owner (fail closed)', async () => {
    await store.identity.putInlinePolicy({ accountId: ACCOUNT, ownerType: 'user', ownerName: 'alice', policyName: 'Broken', document: '{"Statement": "nope"}' });
    const result = await authorizer.evaluateRequest(request(userCaller(alice), doc({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'kms:Decrypt', Resource: '*' })));
    assert.equal(result.decision, 'implicitDeny');
    assert.match(result.reason, /Broken/);
  });
});

describe('key policies', () => {
  test('a changed key policy text is compiled anew; the same text is compiled once', async () => {
    const allow = doc({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'kms:Decrypt', Resource: '*' });
    const deny = doc({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'kms:Encrypt', Resource: '*' });
    assert.equal(await decision(request(userCaller(alice), allow)), 'allowed');
    assert.equal(await decision(request(userCaller(alice), deny)), 'implicitDeny');
    assert.equal(await decision(request(userCaller(alice), allow)), 'allowed');
    assert.equal(authorizer.keyPolicies.size, 2);
  });

  test('a stored key policy that does not compile allows nobody', async () => {
    const result = await authorizer.evaluateRequest(request(rootCaller(ACCOUNT, undefined), '{"Version":"2012-10-17"}'));
    assert.equal(result.decision, 'implicitDeny');
    assert.match(result.reason, /does not compile/);
  });
});

describe('grants', () => {
  const bobOnly = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }, Action: 'kms:*', Resource: '*' });
  const key = keyRecordFor(bobOnly, KEY_ARN);

  test('a created grant applies to the next request and stops applying when retired', async () => {
    const req = request(userCaller(alice), bobOnly, { key });
    assert.equal(await decision(req), 'implicitDeny');
    const { grant } = await grants.create({ key, name: undefined, granteePrincipal: alice.arn, retiringPrincipal: undefined, issuingAccountId: ACCOUNT, operations: ['Decrypt'], constraints: undefined }, NOW);
    assert.equal(await decision(req), 'allowed');
    await grants.remove(grant);
    assert.equal(await decision(req), 'implicitDeny');
  });

  test('grant constraints are checked through the server path', async () => {
    await grants.create({ key, name: undefined, granteePrincipal: alice.arn, retiringPrincipal: undefined, issuingAccountId: ACCOUNT, operations: ['Decrypt'], constraints: { encryptionContextSubset: { department: 'finance' } } }, NOW);
    assert.equal(await decision(request(userCaller(alice), bobOnly, { key, encryptionContext: { department: 'finance', id: '7' } })), 'allowed');
    assert.equal(await decision(request(userCaller(alice), bobOnly, { key, encryptionContext: { department: 'hr' } })), 'implicitDeny');
    assert.equal(await decision(request(userCaller(alice), bobOnly, { key })), 'implicitDeny');
  });

  test('CreateGrant through a grant may not hand on operations the grant lacks', async () => {
    await grants.create({ key, name: undefined, granteePrincipal: alice.arn, retiringPrincipal: undefined, issuingAccountId: ACCOUNT, operations: ['Decrypt', 'CreateGrant'], constraints: undefined }, NOW);
    const create = (ops: string[]) => request(userCaller(alice), bobOnly, { key, action: 'kms:CreateGrant', facts: { 'kms:grantoperations': ops } });
    assert.equal(await decision(create(['Decrypt'])), 'allowed');
    assert.equal(await decision(create(['Decrypt', 'Encrypt'])), 'implicitDeny');
  });

  test('malformed grant tokens are InvalidGrantTokenException; tokens we issued pass', async () => {
    const req = request(rootCaller(ACCOUNT, undefined), doc(ROOT_DELEGATION));
    await assert.rejects(authorizer.authorize({ ...req, grantTokens: ['not-a-token'] }), code('InvalidGrantTokenException'));
    await authorizer.authorize({ ...req, grantTokens: [encodeGrantToken('ab'.repeat(32), randomBytes(8))] });
  });
});

describe('validateKeyPolicy', () => {
  const check = (caller: Caller, bypass = false) => ({ caller, region: 'us-east-1', key: undefined, bypassLockoutCheck: bypass, now: NOW });
  const root = rootCaller(ACCOUNT, undefined);

  test('refuses malformed policies with the engine\'s message', async () => {
    await assert.rejects(authorizer.validateKeyPolicy('{"Statement": []}', check(root)), code('MalformedPolicyDocumentException'));
  });

  test('refuses a principal that does not exist in an account we hold', async () => {
    const policy = doc(ROOT_DELEGATION, { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/nobody` }, Action: 'kms:Decrypt', Resource: '*' });
    await assert.rejects(authorizer.validateKeyPolicy(policy, check(root)), (err: unknown) => {
      assert.ok(err instanceof KontextError && err.code === 'MalformedPolicyDocumentException');
      assert.match(err.message, /^Policy contains a statement with one or more invalid principals/);
      return true;
    });
    await authorizer.validateKeyPolicy(doc(ROOT_DELEGATION, { Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'kms:Decrypt', Resource: '*' }), check(root));
    await authorizer.validateKeyPolicy(doc(ROOT_DELEGATION, { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:user/carol' }, Action: 'kms:Decrypt', Resource: '*' }), check(root));
  });

  test('the lockout check refuses a policy that would stop the caller from changing it, unless bypassed', async () => {
    const aliceOnly = doc({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'kms:*', Resource: '*' });
    await assert.rejects(authorizer.validateKeyPolicy(aliceOnly, check(root)), (err: unknown) => {
      assert.ok(err instanceof KontextError && err.code === 'MalformedPolicyDocumentException');
      assert.equal(err.message, 'The new key policy will not allow you to update the key policy in the future.');
      return true;
    });
    await authorizer.validateKeyPolicy(aliceOnly, check(root, true));
    await authorizer.validateKeyPolicy(aliceOnly, check(userCaller(alice)));
  });

  test('a user who reaches the key through root delegation needs an identity policy for PutKeyPolicy', async () => {
    await assert.rejects(authorizer.validateKeyPolicy(doc(ROOT_DELEGATION), check(userCaller(alice))), code('MalformedPolicyDocumentException'));
    await identity.putInlinePolicy(ACCOUNT, 'user', 'alice', 'Admin', doc({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }));
    await authorizer.validateKeyPolicy(doc(ROOT_DELEGATION), check(userCaller(alice)));
  });
});
