// One match and one non-match for every condition operator, plus the generic rules: IfExists, missing
// keys, set qualifiers on empty / missing / mixed values, several values ORed. Expectations follow
// the tables in IAM User Guide, "IAM JSON policy elements: Condition operators".

import type { EvaluatorCase } from './evaluator-cases.ts';
import type { Decision } from './evaluate.ts';
import { alice, appSession, ROLE_ARN, policy, allowIn } from './evaluator-fixtures.ts';

const OPERATORS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html';
const MULTI = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html';

type Values = Readonly<Record<string, string | readonly string[]>>;

const opCase = (
  name: string,
  operator: string,
  key: string,
  policyValue: unknown,
  context: Values,
  expect: Decision,
  source = OPERATORS,
): EvaluatorCase => ({
  name,
  source,
  keyPolicy: policy(allowIn(alice.arn, 'kms:Decrypt', { [operator]: { [key]: policyValue } })),
  request: { principal: alice, action: 'kms:Decrypt', context },
  expect,
});

const T = 'aws:CurrentTime';
const NOON = '2024-06-01T12:00:00Z';
const N = 'kms:RotationPeriodInDays';
const IP = 'aws:SourceIp';
const TAGS = 'aws:TagKeys';
const X = 'kontext:test';

export const operatorCases: readonly EvaluatorCase[] = [
  opCase('StringEquals matches an equal value', 'StringEquals', X, 'blue', { [X]: 'blue' }, 'allowed'),
  opCase('StringEquals rejects a different value', 'StringEquals', X, 'blue', { [X]: 'green' }, 'implicitDeny'),
  opCase('StringEquals with several values matches any of them (OR)', 'StringEquals', X, ['red', 'blue'], { [X]: 'blue' }, 'allowed'),
  opCase('StringEquals fails when the key is missing', 'StringEquals', X, 'blue', {}, 'implicitDeny'),
  opCase('StringNotEquals matches a different value', 'StringNotEquals', X, 'blue', { [X]: 'green' }, 'allowed'),
  opCase('StringNotEquals rejects an equal value', 'StringNotEquals', X, 'blue', { [X]: 'blue' }, 'implicitDeny'),
  opCase('StringNotEquals with several values rejects any of them', 'StringNotEquals', X, ['red', 'blue'], { [X]: 'blue' }, 'implicitDeny'),
  opCase('StringNotEquals holds when the key is missing', 'StringNotEquals', X, 'blue', {}, 'allowed'),
  opCase('StringEqualsIgnoreCase matches a re-cased value', 'StringEqualsIgnoreCase', X, 'Blue', { [X]: 'bLUE' }, 'allowed'),
  opCase('StringEqualsIgnoreCase rejects a different value', 'StringEqualsIgnoreCase', X, 'Blue', { [X]: 'green' }, 'implicitDeny'),
  opCase('StringNotEqualsIgnoreCase matches a different value', 'StringNotEqualsIgnoreCase', X, 'Blue', { [X]: 'green' }, 'allowed'),
  opCase('StringNotEqualsIgnoreCase rejects a re-cased value', 'StringNotEqualsIgnoreCase', X, 'Blue', { [X]: 'BLUE' }, 'implicitDeny'),
  opCase('StringLike matches a wildcard pattern', 'StringLike', X, 'cust_*', { [X]: 'cust_98765' }, 'allowed'),
  opCase('StringLike matches ? as one character', 'StringLike', X, 'v?', { [X]: 'v2' }, 'allowed'),
  opCase('StringLike is case-sensitive', 'StringLike', X, 'cust_*', { [X]: 'CUST_98765' }, 'implicitDeny'),
  opCase('StringNotLike matches a value outside the pattern', 'StringNotLike', X, 'cust_*', { [X]: 'acme_1' }, 'allowed'),
  opCase('StringNotLike rejects a value inside the pattern', 'StringNotLike', X, 'cust_*', { [X]: 'cust_1' }, 'implicitDeny'),
  opCase('StringNotLike holds when the key is missing', 'StringNotLike', X, 'cust_*', {}, 'allowed'),
  opCase('ArnEquals matches an equal ARN', 'ArnEquals', 'aws:PrincipalArn', alice.arn, {}, 'allowed'),
  opCase('ArnEquals takes wildcards like ArnLike', 'ArnEquals', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:user/*', {}, 'allowed'),
  opCase('ArnLike matches per ARN component', 'ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:user/al*', {}, 'allowed'),
  opCase('ArnLike rejects another account', 'ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::444455556666:user/*', {}, 'implicitDeny'),
  opCase('ArnNotEquals matches a different ARN', 'ArnNotEquals', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:user/bob', {}, 'allowed'),
  opCase('ArnNotEquals rejects an equal ARN', 'ArnNotEquals', 'aws:PrincipalArn', alice.arn, {}, 'implicitDeny'),
  opCase('ArnNotLike matches outside the pattern', 'ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/*', {}, 'allowed'),
  opCase('ArnNotLike rejects inside the pattern', 'ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::*:user/*', {}, 'implicitDeny'),
  opCase('Bool matches true', 'Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': 'true' }, 'allowed'),
  opCase('Bool accepts a JSON boolean in the policy', 'Bool', 'aws:SecureTransport', true, { 'aws:SecureTransport': 'true' }, 'allowed'),
  opCase('Bool rejects false for true', 'Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': 'false' }, 'implicitDeny'),
  opCase('Bool fails when the key is missing', 'Bool', 'aws:SecureTransport', 'false', {}, 'implicitDeny'),
  opCase('Null true matches a missing key', 'Null', X, 'true', {}, 'allowed'),
  opCase('Null true rejects a present key', 'Null', X, 'true', { [X]: 'x' }, 'implicitDeny'),
  opCase('Null false matches a present key', 'Null', X, 'false', { [X]: 'x' }, 'allowed'),
  opCase('Null false rejects a missing key', 'Null', X, 'false', {}, 'implicitDeny'),
  opCase('NumericEquals matches an equal number', 'NumericEquals', N, '90', { [N]: '90' }, 'allowed'),
  opCase('NumericEquals compares numbers, not text', 'NumericEquals', N, 90, { [N]: '90.0' }, 'allowed'),
  opCase('NumericEquals rejects another number', 'NumericEquals', N, '90', { [N]: '91' }, 'implicitDeny'),
  opCase('NumericNotEquals matches another number', 'NumericNotEquals', N, '90', { [N]: '91' }, 'allowed'),
  opCase('NumericNotEquals rejects an equal number', 'NumericNotEquals', N, '90', { [N]: '90' }, 'implicitDeny'),
  opCase('NumericLessThan matches a smaller number', 'NumericLessThan', N, '365', { [N]: '90' }, 'allowed'),
  opCase('NumericLessThan rejects an equal number', 'NumericLessThan', N, '365', { [N]: '365' }, 'implicitDeny'),
  opCase('NumericLessThanEquals matches an equal number', 'NumericLessThanEquals', N, '365', { [N]: '365' }, 'allowed'),
  opCase('NumericLessThanEquals rejects a greater number', 'NumericLessThanEquals', N, '365', { [N]: '366' }, 'implicitDeny'),
  opCase('NumericGreaterThan matches a greater number', 'NumericGreaterThan', N, '90', { [N]: '180' }, 'allowed'),
  opCase('NumericGreaterThan rejects an equal number', 'NumericGreaterThan', N, '90', { [N]: '90' }, 'implicitDeny'),
  opCase('NumericGreaterThanEquals matches an equal number', 'NumericGreaterThanEquals', N, '90', { [N]: '90' }, 'allowed'),
  opCase('NumericGreaterThanEquals rejects a smaller number', 'NumericGreaterThanEquals', N, '90', { [N]: '89' }, 'implicitDeny'),
  opCase('NumericLessThan fails on a non-numeric request value', 'NumericLessThan', N, '365', { [N]: 'many' }, 'implicitDeny'),
  opCase('DateEquals matches the same instant written differently', 'DateEquals', T, '2024-06-01T12:00:00.000Z', { [T]: NOON }, 'allowed'),
  opCase('DateEquals rejects another instant', 'DateEquals', T, '2024-06-01T12:00:01Z', { [T]: NOON }, 'implicitDeny'),
  opCase('DateNotEquals matches another instant', 'DateNotEquals', T, '2024-06-02', { [T]: NOON }, 'allowed'),
  opCase('DateNotEquals rejects the same instant', 'DateNotEquals', T, NOON, { [T]: NOON }, 'implicitDeny'),
  opCase('DateLessThan matches an earlier time', 'DateLessThan', T, '2025-01-01T00:00:00Z', { [T]: NOON }, 'allowed'),
  opCase('DateLessThan rejects a later time', 'DateLessThan', T, '2024-01-01T00:00:00Z', { [T]: NOON }, 'implicitDeny'),
  opCase('DateLessThanEquals matches the same time', 'DateLessThanEquals', T, NOON, { [T]: NOON }, 'allowed'),
  opCase('DateLessThanEquals rejects a later time', 'DateLessThanEquals', T, '2024-06-01T11:59:59Z', { [T]: NOON }, 'implicitDeny'),
  opCase('DateGreaterThan matches a later time', 'DateGreaterThan', T, '2024-01-01', { [T]: NOON }, 'allowed'),
  opCase('DateGreaterThan rejects an earlier time', 'DateGreaterThan', T, '2025-01-01', { [T]: NOON }, 'implicitDeny'),
  opCase('DateGreaterThanEquals matches the same time', 'DateGreaterThanEquals', T, NOON, { [T]: NOON }, 'allowed'),
  opCase('DateGreaterThanEquals rejects an earlier time', 'DateGreaterThanEquals', T, '2024-06-01T12:00:01Z', { [T]: NOON }, 'implicitDeny'),
  opCase('DateGreaterThan reads epoch seconds', 'DateGreaterThan', 'aws:EpochTime', '1700000000', { 'aws:EpochTime': '1717243200' }, 'allowed'),
  opCase('DateLessThan compares aws:CurrentTime with epoch seconds', 'DateLessThan', T, '1700000000', { [T]: NOON }, 'implicitDeny'),
  opCase('IpAddress matches an address inside the CIDR', 'IpAddress', IP, '203.0.113.0/24', { [IP]: '203.0.113.7' }, 'allowed'),
  opCase('IpAddress rejects an address outside the CIDR', 'IpAddress', IP, '203.0.113.0/24', { [IP]: '198.51.100.7' }, 'implicitDeny'),
  opCase('IpAddress matches one of several ranges', 'IpAddress', IP, ['198.51.100.0/24', '203.0.113.0/24'], { [IP]: '203.0.113.7' }, 'allowed'),
  opCase('IpAddress matches an IPv6 address inside the CIDR', 'IpAddress', IP, '2001:DB8:1234:5678::/64', { [IP]: '2001:db8:1234:5678::1' }, 'allowed'),
  opCase('IpAddress rejects an IPv6 address outside the CIDR', 'IpAddress', IP, '2001:DB8:1234:5678::/64', { [IP]: '2001:db8:1234:5679::1' }, 'implicitDeny'),
  opCase('IpAddress treats a bare address as a /32', 'IpAddress', IP, '203.0.113.7', { [IP]: '203.0.113.7' }, 'allowed'),
  opCase('NotIpAddress matches an address outside the CIDR', 'NotIpAddress', IP, '203.0.113.0/24', { [IP]: '198.51.100.7' }, 'allowed'),
  opCase('NotIpAddress rejects an address inside the CIDR', 'NotIpAddress', IP, '203.0.113.0/24', { [IP]: '203.0.113.7' }, 'implicitDeny'),
  opCase('BinaryEquals matches the same bytes', 'BinaryEquals', X, 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', { [X]: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' }, 'allowed'),
  opCase('BinaryEquals rejects other bytes', 'BinaryEquals', X, 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', { [X]: 'b3RoZXI=' }, 'implicitDeny'),
  opCase('condition key names match case-insensitively', 'IpAddress', 'AWS:SOURCEIP', '203.0.113.0/24', { [IP]: '203.0.113.7' }, 'allowed'),
  opCase('StringEqualsIfExists holds when the key is missing', 'StringEqualsIfExists', X, 'blue', {}, 'allowed'),
  opCase('StringEqualsIfExists checks the value when the key is present', 'StringEqualsIfExists', X, 'blue', { [X]: 'green' }, 'implicitDeny'),
  opCase('StringEqualsIfExists matches a present equal value', 'StringEqualsIfExists', X, 'blue', { [X]: 'blue' }, 'allowed'),
  opCase('NumericLessThanIfExists holds when the key is missing', 'NumericLessThanIfExists', N, '365', {}, 'allowed'),
  opCase('IpAddressIfExists rejects a present address outside the range', 'IpAddressIfExists', IP, '203.0.113.0/24', { [IP]: '198.51.100.7' }, 'implicitDeny'),
  opCase('ArnLikeIfExists holds when the key is missing', 'ArnLikeIfExists', 'kontext:sourcearn', 'arn:aws:s3:::*', {}, 'allowed'),
  opCase('BoolIfExists holds when the key is missing', 'BoolIfExists', 'aws:SecureTransport', 'true', {}, 'allowed'),
  opCase('DateLessThanIfExists checks a present time', 'DateLessThanIfExists', T, '2024-01-01', { [T]: NOON }, 'implicitDeny'),
  opCase('ForAllValues holds when the multi-valued key is missing', 'ForAllValues:StringEquals', TAGS, ['Project', 'Owner'], {}, 'allowed', MULTI),
  opCase('ForAllValues holds for an empty set', 'ForAllValues:StringEquals', TAGS, ['Project', 'Owner'], { [TAGS]: [] }, 'allowed', MULTI),
  opCase('ForAllValues holds when every value is listed', 'ForAllValues:StringEquals', TAGS, ['Project', 'Owner'], { [TAGS]: ['Owner', 'Project'] }, 'allowed', MULTI),
  opCase('ForAllValues fails on a mixed set', 'ForAllValues:StringEquals', TAGS, ['Project', 'Owner'], { [TAGS]: ['Owner', 'Secret'] }, 'implicitDeny', MULTI),
  opCase('ForAnyValue fails when the multi-valued key is missing', 'ForAnyValue:StringEquals', TAGS, ['Project', 'Owner'], {}, 'implicitDeny', MULTI),
  opCase('ForAnyValue fails for an empty set', 'ForAnyValue:StringEquals', TAGS, ['Project', 'Owner'], { [TAGS]: [] }, 'implicitDeny', MULTI),
  opCase('ForAnyValue holds on a mixed set', 'ForAnyValue:StringEquals', TAGS, ['Project', 'Owner'], { [TAGS]: ['Owner', 'Secret'] }, 'allowed', MULTI),
  opCase('ForAnyValue fails when no value is listed', 'ForAnyValue:StringEquals', TAGS, ['Project', 'Owner'], { [TAGS]: ['Secret'] }, 'implicitDeny', MULTI),
  opCase('ForAnyValue with IfExists still fails when the key is missing', 'ForAnyValue:StringEqualsIfExists', TAGS, ['Project'], {}, 'implicitDeny', MULTI),
  opCase('ForAllValues:StringLike holds when every value matches a pattern', 'ForAllValues:StringLike', TAGS, ['Cost*', 'Owner'], { [TAGS]: ['CostCenter', 'Owner'] }, 'allowed', MULTI),
  opCase('ForAllValues:StringNotEquals holds when no value is forbidden', 'ForAllValues:StringNotEquals', TAGS, ['Secret'], { [TAGS]: ['Owner', 'Project'] }, 'allowed', MULTI),
  opCase('ForAllValues:StringNotEquals fails when a value is forbidden', 'ForAllValues:StringNotEquals', TAGS, ['Secret'], { [TAGS]: ['Owner', 'Secret'] }, 'implicitDeny', MULTI),
  opCase('ForAnyValue:StringNotEquals holds when one value is not forbidden', 'ForAnyValue:StringNotEquals', TAGS, ['Secret'], { [TAGS]: ['Owner', 'Secret'] }, 'allowed', MULTI),
  {
    name: 'a condition on a key AWS does not know is absent from every request',
    source: OPERATORS,
    keyPolicy: policy(allowIn(ROLE_ARN, 'kms:Decrypt', { StringEquals: { 'kms:NoSuchKey': 'x' } })),
    request: { principal: appSession, action: 'kms:Decrypt' },
    expect: 'implicitDeny',
  },
];
