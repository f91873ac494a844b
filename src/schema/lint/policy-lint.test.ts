import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicyText } from './policy-lint.ts';
import { LINT_RULES } from './lint-finding.ts';
import { BAD_POLICY, CLEAN_POLICY, LINT_SCHEMA } from './lint-fixtures.ts';

const lint = (policy: object, kind: 'key' | 'identity' = 'key', schema = LINT_SCHEMA) => {
  const r = lintPolicyText(JSON.stringify(policy), { kind, schema });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  return r.findings;
};

const statement = (over: object) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/App' }, Action: 'kms:Encrypt', Resource: '*', ...over }] });

test('lintPolicy() finds nothing in a clean key policy', () => {
  assert.deepEqual(lint(CLEAN_POLICY), []);
});

test('lintPolicy() reports each finding type on the fixture policy, on the statement that causes it', () => {
  const got = lint(BAD_POLICY).map((f) => `${f.sid}:${f.id}`);
  assert.deepEqual(got, [
    'UnknownAction:unknown-action',
    'UnknownAction:unknown-action',
    'UnknownAction:unknown-action',
    'WildcardPrincipal:wildcard-principal-without-condition',
    'DecryptNoContext:decrypt-without-context-condition',
    'LikeWithoutWildcard:stringlike-without-wildcard',
    'EqualsWithWildcard:stringequals-with-wildcard',
    'EqualsWithWildcard:condition-never-matches',
    'CaseMismatch:context-key-case-mismatch',
    'NotInSchema:context-key-not-in-schema',
    'NeverMatches:condition-never-matches',
    'Shadowed:allow-shadowed-by-deny',
  ]);
  const ids = new Set(got.map((g) => g.split(':')[1]));
  for (const id of Object.keys(LINT_RULES)) assert.ok(ids.has(id), `no finding for ${id}`);
});

test('every finding has an id, a severity, the statement Sid, a path and a fix suggestion', () => {
  for (const f of lint(BAD_POLICY)) {
    assert.equal(f.severity, LINT_RULES[f.id].severity);
    assert.ok(f.sid && f.path.startsWith(`Statement[${f.statementIndex}]`) && f.message && f.suggestion, JSON.stringify(f));
  }
});

test('lint findings are stable: the same document gives the same findings in the same order', () => {
  assert.deepEqual(lint(BAD_POLICY), lint(JSON.parse(JSON.stringify(BAD_POLICY))));
});

test('unknown-action suggests the closest action and ReEncrypt*', () => {
  const f = lint(BAD_POLICY).filter((x) => x.id === 'unknown-action');
  assert.deepEqual(f.map((x) => x.suggestion), ["Did you mean 'kms:Decrypt'?", "Did you mean 'kms:ReEncrypt*'?", 'Remove it, or move it to an identity policy']);
});

test('decrypt-without-context-condition applies to kms:* and identity policies, not to the account root', () => {
  assert.equal(lint(statement({ Action: 'kms:*' })).filter((f) => f.id === 'decrypt-without-context-condition').length, 1);
  assert.equal(lint(statement({ Action: 'kms:*', Principal: { AWS: 'arn:aws:iam::111122223333:root' } })).length, 0);
  const identity = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] };
  assert.deepEqual(lint(identity, 'identity').map((f) => f.id), ['decrypt-without-context-condition']);
  assert.equal(lint(statement({ Action: 'kms:Decrypt', Condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['customer_id'] } } })).length, 0);
});

test('a wildcard principal with a condition is not reported as unconditioned', () => {
  assert.deepEqual(lint(statement({ Principal: '*', Action: 'kms:DescribeKey', Condition: { StringEquals: { 'kms:CallerAccount': '111122223333' } } })), []);
});

test('condition-never-matches reports Null true together with a value test', () => {
  const f = lint(statement({ Condition: { Null: { 'kms:EncryptionContext:department': 'true' }, StringEquals: { 'kms:EncryptionContext:department': 'hr' } } }));
  assert.deepEqual(f.map((x) => x.id), ['condition-never-matches']);
});

test('condition-never-matches reports equality conditions with no common value', () => {
  const f = lint(statement({ Condition: { StringEquals: { 'kms:EncryptionContext:department': 'hr' }, StringEqualsIgnoreCase: { 'kms:EncryptionContext:department': 'finance' } } }));
  assert.deepEqual(f.map((x) => x.id), ['condition-never-matches']);
});

test('without a schema the schema rules stay silent', () => {
  const r = lintPolicyText(JSON.stringify(BAD_POLICY), { kind: 'key' });
  assert.ok(r.ok);
  const ids = new Set(r.findings.map((f) => f.id));
  assert.ok(!ids.has('context-key-case-mismatch') && !ids.has('context-key-not-in-schema'));
});

test('a policy the engine rejects comes back as its problems', () => {
  const r = lintPolicyText('{"Statement": [{"Effect": "Maybe"}]}', { kind: 'key' });
  assert.equal(r.ok, false);
});

test('an Allow only partly covered by a Deny is not shadowed', () => {
  const p = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'A', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/App' }, Action: ['kms:Encrypt', 'kms:DescribeKey'], Resource: '*' },
      { Sid: 'D', Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111122223333:role/App' }, Action: 'kms:Encrypt', Resource: '*' },
      { Sid: 'D2', Effect: 'Deny', Principal: '*', Action: 'kms:DescribeKey', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ],
  };
  assert.deepEqual(lint(p, 'key', undefined as never).filter((f) => f.id === 'allow-shadowed-by-deny'), []);
});
