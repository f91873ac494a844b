import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ORDINARY, SECRETS, seededBytes, seededString } from './detector-corpus.ts';
import { detectSecrets } from './detect-secrets.ts';

test('the corpus holds at least 100 ordinary values and 30 secrets', () => {
  assert.ok(ORDINARY.length >= 100, `${ORDINARY.length} ordinary values`);
  assert.ok(SECRETS.length >= 30, `${SECRETS.length} secrets`);
});

test('detectSecrets() passes every ordinary context value in the corpus', () => {
  const flagged = ORDINARY.filter(([k, v]) => detectSecrets({ [k]: v }).length > 0).map(([k, v]) => `${k}=${v} (${detectSecrets({ [k]: v })[0]?.kind})`);
  assert.deepEqual(flagged, []);
});

test('detectSecrets() catches every secret in the corpus as its kind', () => {
  const missed = SECRETS.filter((s) => detectSecrets({ [s.key]: s.value })[0]?.kind !== s.kind).map(
    (s) => `${s.key}: expected ${s.kind}, got ${detectSecrets({ [s.key]: s.value })[0]?.kind ?? 'nothing'}`,
  );
  assert.deepEqual(missed, []);
});

test('detectSecrets() passes a context made of every ordinary entry at once', () => {
  assert.deepEqual(detectSecrets(Object.fromEntries(ORDINARY)), []);
});

test('high-entropy detection catches random base64 and base62 tokens of 32+ characters', () => {
  const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let missed = 0;
  for (let i = 0; i < 300; i++) {
    const v = i % 2 === 0 ? seededBytes(`rand-${i}`, 24 + (i % 40)).toString('base64') : seededString(`rand-${i}`, 32 + (i % 40), B62);
    if (detectSecrets({ blob: v }).length === 0) missed++;
  }
  assert.ok(missed <= 6, `${missed} of 300 random tokens missed`);
});

test('detectSecrets() passes random hex ids and UUIDs of every common length', () => {
  for (let i = 0; i < 200; i++) {
    const hex = seededBytes(`hex-${i}`, 32).toString('hex');
    for (const len of [16, 24, 32, 40, 64]) assert.deepEqual(detectSecrets({ id: hex.slice(0, len) }), [], hex.slice(0, len));
    const u = hex.slice(0, 32);
    const uuid = `${u.slice(0, 8)}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${u.slice(20)}`;
    assert.deepEqual(detectSecrets({ request: uuid }), []);
  }
});

test('numeric ids without a card brand prefix pass whatever their Luhn digit', () => {
  for (let i = 0; i < 200; i++) {
    const id = '1' + String(BigInt('0x' + seededBytes(`num-${i}`, 8).toString('hex'))).padStart(18, '0').slice(0, 12 + (i % 7));
    assert.deepEqual(detectSecrets({ id }), [], id);
  }
});
