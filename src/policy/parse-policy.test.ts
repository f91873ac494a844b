import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy } from './parse-policy.ts';
import { malformedPolicyCases } from './malformed-policy-cases.ts';
import { malformedPolicyError } from './malformed-policy-error.ts';
import { loadPolicy } from './compile-policy.ts';
import { iamPolicySize } from './policy-limits.ts';
import { isKontextError } from '../errors.ts';

const text = (policy: unknown, raw?: boolean): string => (raw ? (policy as string) : JSON.stringify(policy));

describe('parsePolicy rejects what AWS rejects', () => {
  for (const c of malformedPolicyCases) {
    it(`rejects ${c.name} (${c.code})`, () => {
      const result = parsePolicy(text(c.policy, c.raw), { kind: c.kind, ...(c.owner ? { owner: c.owner } : {}) });
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.ok(
        result.problems.some((p) => p.code === c.code),
        `expected ${c.code}, got ${JSON.stringify(result.problems)}`,
      );
      const error = malformedPolicyError(result.problems);
      assert.equal(error.code, 'MalformedPolicyDocumentException');
      assert.ok(error.message.includes(c.message), `"${error.message}" lacks "${c.message}"`);
    });
  }
});

describe('parsePolicy accepts valid documents', () => {
  it('normalises an account id principal to the root ARN', () => {
    const result = parsePolicy(
      JSON.stringify({ Statement: { Effect: 'Allow', Principal: { AWS: ['111122223333', 'arn:aws:iam::111122223333:role/Admin'] }, Action: 'kms:*', Resource: '*' } }),
      { kind: 'key' },
    );
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.deepEqual(result.document.statements[0]?.principal?.aws, ['arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:role/Admin']);
    assert.equal(result.document.version, undefined);
  });

  it('accepts a single statement object, Sids with spaces in key policies and Latin-1 text', () => {
    const result = parsePolicy(
      JSON.stringify({ Version: '2012-10-17', Id: 'key-default-1', Statement: { Sid: 'Enable IAM policies – café', Effect: 'Allow', Principal: '*', Action: ['kms:Decrypt'], Resource: '*' } }).replace('–', '-'),
      { kind: 'key' },
    );
    assert.ok(result.ok, JSON.stringify(result));
  });

  it('accepts unknown condition keys, as AWS does', () => {
    const result = parsePolicy(
      JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:NoSuchKey': 'x' } } } }),
      { kind: 'key' },
    );
    assert.ok(result.ok);
  });

  it('accepts numbers and booleans as condition values and operators in any case', () => {
    const result = parsePolicy(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Action: 'kms:Encrypt',
          Resource: '*',
          Condition: { numericlessthan: { 'kms:RotationPeriodInDays': 365 }, Bool: { 'aws:SecureTransport': true }, 'forAnyValue:stringEqualsIfExists': { 'aws:TagKeys': ['a'] } },
        },
      }),
      { kind: 'identity' },
    );
    assert.ok(result.ok, JSON.stringify(result));
  });

  it('accepts policy variables in string condition values', () => {
    const result = parsePolicy(
      JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } } } }),
      { kind: 'identity' },
    );
    assert.ok(result.ok);
  });

  it('rejects a principal that does not exist when asked to check', () => {
    const result = parsePolicy(
      JSON.stringify({ Statement: { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/ghost' }, Action: 'kms:*', Resource: '*' } }),
      { kind: 'key', principalExists: (arn) => !arn.endsWith('ghost') },
    );
    assert.equal(result.ok, false);
  });

  it('accepts a trust policy for a service and for an account', () => {
    const result = parsePolicy(
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }, { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] }),
      { kind: 'trust' },
    );
    assert.ok(result.ok, JSON.stringify(result));
  });
});

describe('policy size', () => {
  it('iamPolicySize does not count whitespace outside strings', () => {
    assert.equal(iamPolicySize('{ "a b" : [ 1 ,\n 2 ] }'), '{"a b":[1,2]}'.length);
  });

  it('allows a 10,240-character role policy that a user may not have', () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'kms:Decrypt', Resource: `arn:aws:kms:us-east-1:111122223333:key/${'k'.repeat(3_000)}` } });
    assert.equal(parsePolicy(policy, { kind: 'identity', owner: 'role' }).ok, true);
    assert.equal(parsePolicy(policy, { kind: 'identity', owner: 'user' }).ok, false);
  });
});

describe('loadPolicy', () => {
  it('throws MalformedPolicyDocumentException listing the problems', () => {
    assert.throws(
      () => loadPolicy('{"Statement": {"Effect": "Maybe", "Action": "Decrypt"}}', { kind: 'key' }),
      (err: unknown) => isKontextError(err) && err.code === 'MalformedPolicyDocumentException' && /Invalid effect/.test(err.message) && err.reason !== undefined,
    );
  });
});
