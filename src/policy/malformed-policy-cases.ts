// Policy documents AWS refuses, with the problem each must produce. Exported so the server's
// CreateKey / PutKeyPolicy / PutUserPolicy tests can replay them over the wire.

import type { IdentityPolicyOwner } from './policy-limits.ts';
import type { PolicyKind, PolicyProblemCode } from './policy-document.ts';

export interface MalformedPolicyCase {
  readonly name: string;
  readonly kind: PolicyKind;
  /** A JSON value (serialised by the runner) or raw text. */
  readonly policy: unknown;
  readonly raw?: boolean;
  /** Whose inline policy, for the size quota. */
  readonly owner?: IdentityPolicyOwner;
  readonly code: PolicyProblemCode;
  /** A fragment the wire message must contain. */
  readonly message: string;
}

const ROOT = 'arn:aws:iam::111122223333:root';
const statement = (extra: Record<string, unknown>): Record<string, unknown> => ({
  Effect: 'Allow',
  Principal: { AWS: ROOT },
  Action: 'kms:*',
  Resource: '*',
  ...extra,
});
const keyPolicy = (...statements: Record<string, unknown>[]): unknown => ({ Version: '2012-10-17', Statement: statements });
const without = (name: string): Record<string, unknown> => {
  const s = statement({});
  delete s[name];
  return s;
};

export const malformedPolicyCases: readonly MalformedPolicyCase[] = [
  { name: 'text that is not JSON', kind: 'key', policy: '{"Version": "2012-10-17", "Statement": [', raw: true, code: 'InvalidJson', message: 'invalid Json' },
  { name: 'a JSON array instead of an object', kind: 'key', policy: [], code: 'InvalidType', message: 'JSON object' },
  { name: 'an unknown top-level element', kind: 'key', policy: { Version: '2012-10-17', Statement: [statement({})], Extra: 1 }, code: 'UnknownElement', message: '"Extra"' },
  { name: 'an unknown statement element', kind: 'key', policy: keyPolicy(statement({ Effects: 'Allow' })), code: 'UnknownElement', message: '"Effects"' },
  { name: 'an unsupported Version', kind: 'key', policy: { Version: '2012-10-18', Statement: [statement({})] }, code: 'InvalidVersion', message: 'Version' },
  { name: 'no Statement', kind: 'key', policy: { Version: '2012-10-17' }, code: 'MissingElement', message: 'Statement' },
  { name: 'an empty Statement list', kind: 'key', policy: { Version: '2012-10-17', Statement: [] }, code: 'MissingElement', message: 'Statement' },
  { name: 'a statement without Effect', kind: 'key', policy: keyPolicy(without('Effect')), code: 'MissingElement', message: 'Missing required field Effect' },
  { name: 'an Effect other than Allow or Deny', kind: 'key', policy: keyPolicy(statement({ Effect: 'allow' })), code: 'InvalidEffect', message: 'Invalid effect' },
  { name: 'both Action and NotAction', kind: 'key', policy: keyPolicy(statement({ NotAction: 'kms:Decrypt' })), code: 'ConflictingElements', message: 'both Action and NotAction' },
  { name: 'neither Action nor NotAction', kind: 'key', policy: keyPolicy(without('Action')), code: 'MissingElement', message: 'Policy statement must contain actions.' },
  { name: 'an action without a vendor prefix', kind: 'key', policy: keyPolicy(statement({ Action: 'Decrypt' })), code: 'InvalidAction', message: 'must be prefaced by a vendor' },
  { name: 'an action with two colons', kind: 'key', policy: keyPolicy(statement({ Action: 'kms:Decrypt:Now' })), code: 'InvalidAction', message: 'only one colon' },
  { name: 'a key policy statement without Principal', kind: 'key', policy: keyPolicy(without('Principal')), code: 'MissingElement', message: 'Missing required field Principal' },
  { name: 'a key policy statement without Resource', kind: 'key', policy: keyPolicy(without('Resource')), code: 'MissingElement', message: 'must contain resources' },
  { name: 'both Principal and NotPrincipal', kind: 'key', policy: keyPolicy(statement({ NotPrincipal: { AWS: ROOT } })), code: 'ConflictingElements', message: 'Principal and NotPrincipal' },
  { name: 'a partial wildcard in a principal ARN', kind: 'key', policy: keyPolicy(statement({ Principal: { AWS: 'arn:aws:iam::111122223333:user/*' } })), code: 'InvalidPrincipal', message: 'invalid principals' },
  { name: 'a principal string other than *', kind: 'key', policy: keyPolicy(statement({ Principal: ROOT })), code: 'InvalidPrincipal', message: 'invalid principals' },
  { name: 'an unknown principal type', kind: 'key', policy: keyPolicy(statement({ Principal: { Users: ROOT } })), code: 'InvalidPrincipal', message: 'invalid principals' },
  { name: 'a canonical user in a key policy', kind: 'key', policy: keyPolicy(statement({ Principal: { CanonicalUser: 'a'.repeat(64) } })), code: 'InvalidPrincipal', message: 'invalid principals' },
  { name: 'a resource that is neither an ARN nor *', kind: 'key', policy: keyPolicy(statement({ Resource: 'my-key' })), code: 'InvalidResource', message: 'must be in ARN format' },
  { name: 'an unknown condition operator', kind: 'key', policy: keyPolicy(statement({ Condition: { StringEqualz: { 'kms:EncryptionContext:dept': 'x' } } })), code: 'InvalidConditionOperator', message: '"StringEqualz"' },
  { name: 'an unknown set qualifier', kind: 'key', policy: keyPolicy(statement({ Condition: { 'ForSomeValues:StringEquals': { 'kms:EncryptionContextKeys': 'x' } } })), code: 'InvalidConditionOperator', message: 'ForSomeValues' },
  { name: 'a condition key without a vendor prefix', kind: 'key', policy: keyPolicy(statement({ Condition: { StringEquals: { department: 'x' } } })), code: 'InvalidConditionKey', message: 'must be prefaced by a vendor' },
  { name: 'a condition value that is an object', kind: 'key', policy: keyPolicy(statement({ Condition: { StringEquals: { 'aws:username': { a: 1 } } } })), code: 'InvalidConditionValue', message: 'condition values' },
  { name: 'a numeric condition with a non-number', kind: 'key', policy: keyPolicy(statement({ Condition: { NumericLessThan: { 'kms:RotationPeriodInDays': 'ten' } } })), code: 'InvalidConditionValue', message: 'NumericLessThan' },
  { name: 'a date condition with a non-date', kind: 'key', policy: keyPolicy(statement({ Condition: { DateLessThan: { 'aws:CurrentTime': 'tomorrow' } } })), code: 'InvalidConditionValue', message: 'DateLessThan' },
  { name: 'an IpAddress condition with a bad CIDR', kind: 'key', policy: keyPolicy(statement({ Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/33' } } })), code: 'InvalidConditionValue', message: 'IpAddress' },
  { name: 'a Bool condition with a non-boolean', kind: 'key', policy: keyPolicy(statement({ Condition: { Bool: { 'aws:SecureTransport': 'yes' } } })), code: 'InvalidConditionValue', message: 'Bool' },
  { name: 'a Null condition with a non-boolean', kind: 'key', policy: keyPolicy(statement({ Condition: { Null: { 'kms:EncryptionContextKeys': 'maybe' } } })), code: 'InvalidConditionValue', message: 'Null' },
  {
    name: 'ForAllValues with the single-valued kms:EncryptionContext:<key>',
    kind: 'key',
    policy: keyPolicy(statement({ Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContext:Department': 'IT' } } })),
    code: 'OverlyPermissiveCondition',
    message: 'OverlyPermissiveCondition:EncryptionContext: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified encryption context or with an unspecified encryption context. To fix, remove ForAllValues.',
  },
  {
    name: 'ForAllValues with the single-valued aws:RequestTag/<key>',
    kind: 'key',
    policy: keyPolicy(statement({ Condition: { 'ForAllValues:StringEquals': { 'aws:RequestTag/Project': 'Alpha' } } })),
    code: 'OverlyPermissiveCondition',
    message: 'OverlyPermissiveCondition:RequestTag',
  },
  {
    name: 'kms:ResourceAliases in a key policy',
    kind: 'key',
    policy: keyPolicy(statement({ Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/finance-*' } } })),
    code: 'ConditionKeyNotPermitted',
    message: 'not permitted in a key policy: kms:ResourceAliases',
  },
  { name: 'a key policy over 32 KB', kind: 'key', policy: keyPolicy(statement({ Sid: 'x'.repeat(33_000) })), code: 'PolicyTooLarge', message: 'PolicySize: 32768' },
  { name: 'a character outside Latin-1', kind: 'key', policy: keyPolicy(statement({ Sid: 'Don’t' })), code: 'InvalidCharacter', message: 'U+2019' },
  // JSON.stringify would escape it, so the raw text carries the byte itself.
  { name: 'a control character', kind: 'key', policy: JSON.stringify(keyPolicy(statement({ Sid: 'bell' }))).replace('bell', 'bell\u0007'), raw: true, code: 'InvalidCharacter', message: 'U+0007' },
  { name: 'a Principal in an identity policy', kind: 'identity', policy: keyPolicy(statement({})), code: 'ProhibitedElement', message: 'should not specify a principal' },
  { name: 'an identity policy statement without Resource', kind: 'identity', policy: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'kms:Decrypt' } }, code: 'MissingElement', message: 'must contain resources' },
  { name: 'an identity policy Sid with spaces', kind: 'identity', policy: { Version: '2012-10-17', Statement: { Sid: 'Allow decrypt', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' } }, code: 'InvalidSid', message: 'alpha-numeric' },
  {
    name: 'duplicate Sids in an identity policy',
    kind: 'identity',
    policy: { Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }, { Sid: 'A', Effect: 'Deny', Action: 'kms:Encrypt', Resource: '*' }] },
    code: 'DuplicateSid',
    message: 'must be unique',
  },
  { name: 'a user inline policy over 2,048 characters', kind: 'identity', owner: 'user', policy: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'kms:Decrypt', Resource: `arn:aws:kms:us-east-1:111122223333:key/${'k'.repeat(2_100)}` } }, code: 'PolicyTooLarge', message: 'PolicySize: 2048' },
  { name: 'a trust policy with a Resource', kind: 'trust', policy: { Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole', Resource: '*' } }, code: 'ProhibitedElement', message: 'Has prohibited field Resource' },
  { name: 'a trust policy without Principal', kind: 'trust', policy: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'sts:AssumeRole' } }, code: 'MissingElement', message: 'Missing required field Principal' },
  { name: 'a trust policy with a non-STS action', kind: 'trust', policy: { Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:Decrypt' } }, code: 'InvalidAction', message: 'STS AssumeRole actions' },
];
