import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectSecrets, redactContext } from './detect-secrets.ts';
import { cardBrandMatches, containsCardNumber, luhnValid } from './luhn.ts';
import { isSecretKeyName } from './secret-key-names.ts';
import { keyWords } from './key-words.ts';

test('luhnValid() accepts the standard test card numbers and rejects a changed digit', () => {
  assert.equal(luhnValid('4111111111111111'), true);
  assert.equal(luhnValid('378282246310005'), true);
  assert.equal(luhnValid('4111111111111112'), false);
});

test('cardBrandMatches() needs a brand prefix with its length', () => {
  assert.equal(cardBrandMatches('4111111111111111'), true);
  assert.equal(cardBrandMatches('411111111111111'), false);
  assert.equal(cardBrandMatches('1111111111111117'), false);
});

test('containsCardNumber() ignores runs inside words, hex ids and longer digit runs', () => {
  assert.equal(containsCardNumber('x4111111111111111'), false);
  assert.equal(containsCardNumber('4111111111111111a'), false);
  assert.equal(containsCardNumber('411111111111111100'), false);
  assert.equal(containsCardNumber('pan: 4111 1111 1111 1111.'), true);
  assert.equal(containsCardNumber('4111--1111-1111-1111'), false);
});

test('keyWords() splits snake, kebab, camel and acronym names', () => {
  assert.deepEqual(keyWords('SecretARN'), ['secret', 'arn']);
  assert.deepEqual(keyWords('apiKey'), ['api', 'key']);
  assert.deepEqual(keyWords('X-API-Key'), ['x', 'api', 'key']);
  assert.deepEqual(keyWords('APIKey'), ['api', 'key']);
  assert.deepEqual(keyWords('customer_id'), ['customer', 'id']);
});

test('isSecretKeyName() flags secret names and passes names about secrets', () => {
  for (const k of ['password', 'DB_PASSWORD', 'apiKey', 'client_secret', 'ssn', 'refresh_token', 'Passphrase', 'dbpassword']) assert.equal(isSecretKeyName(k), true, k);
  for (const k of ['SecretARN', 'secret_name', 'token_type', 'next_token', 'idempotency_token', 'password_policy', 'customer_id', 'key_id', 'passport_country']) {
    assert.equal(isSecretKeyName(k), false, k);
  }
});

test('redactContext() replaces only flagged values with their marker', () => {
  const ctx = { customer_id: 'cust_98765', card: '4111 1111 1111 1111', password: 'hunter2' };
  const findings = detectSecrets(ctx);
  assert.deepEqual(
    findings.map((f) => [f.key, f.kind]),
    [
      ['card', 'card-number'],
      ['password', 'secret-key-name'],
    ],
  );
  assert.deepEqual(redactContext(ctx, findings), { customer_id: 'cust_98765', card: '[REDACTED:card-number]', password: '[REDACTED:secret-key-name]' });
});

test('a secret-shaped key is replaced, value and all, by a numbered marker', () => {
  const ctx = { purpose: 'billing', AKIAIOSFODNN7EXAMPLE: 'x' };
  const findings = detectSecrets(ctx);
  assert.deepEqual(findings, [{ key: '[REDACTED:aws-access-key-id]#2', kind: 'aws-access-key-id', inKey: true }]);
  const redacted = redactContext(ctx, findings);
  assert.deepEqual(redacted, { purpose: 'billing', '[REDACTED:aws-access-key-id]#2': '[REDACTED:aws-access-key-id]' });
  assert.ok(!JSON.stringify(redacted).includes('AKIAIOSFODNN7EXAMPLE'));
});

test('detectSecrets() returns the same empty array for clean or absent contexts', () => {
  assert.equal(detectSecrets(undefined), detectSecrets({ department: 'finance' }));
  assert.equal(detectSecrets({}).length, 0);
});

// Not a performance test (npm run bench measures speed): a backtracking detector would never
// finish on these inputs, so finishing within the generous test timeout is the assertion.
test('detectors finish on adversarial 8 KiB values', { timeout: 60_000 }, () => {
  const inputs = ['eyJ'.repeat(2700), 'a'.repeat(8000) + '@', '://a:'.repeat(1600), '4'.repeat(8000), '4 '.repeat(4000), 'Bearer '.repeat(1100), 'aB3'.repeat(2700)];
  for (const v of inputs) assert.ok(Array.isArray(detectSecrets({ v })));
});
