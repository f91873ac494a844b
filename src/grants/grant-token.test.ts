import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { KontextError } from '../errors.ts';
import { checkGrantTokens, encodeGrantToken, grantIdOfToken, isGrantId } from './grant-token.ts';

const ID = randomBytes(32).toString('hex');

test('a grant token names its grant and is base64', () => {
  const token = encodeGrantToken(ID, randomBytes(8));
  assert.match(token, /^[A-Za-z0-9+/]+={0,2}$/);
  assert.equal(grantIdOfToken(token), ID);
});

test('two tokens for the same grant differ', () => {
  assert.notEqual(encodeGrantToken(ID, randomBytes(8)), encodeGrantToken(ID, randomBytes(8)));
});

test('grantIdOfToken() rejects a flipped character, a truncated token and foreign strings', () => {
  const token = encodeGrantToken(ID, randomBytes(8));
  const flipped = (token[10] === 'A' ? 'B' : 'A');
  assert.equal(grantIdOfToken(token.slice(0, 10) + flipped + token.slice(11)), undefined);
  assert.equal(grantIdOfToken(token.slice(0, 56)), undefined);
  assert.equal(grantIdOfToken('AQpAM2RhZTk1MGMyNTk2ZmZmMzEyYWVhOWViN2I1MWM4Mzc0MWFiYjc0ZDE1ODkyNGFl'), undefined);
  assert.equal(grantIdOfToken(''), undefined);
});

test('checkGrantTokens() throws InvalidGrantTokenException for the first bad token', () => {
  checkGrantTokens(undefined);
  checkGrantTokens([encodeGrantToken(ID, randomBytes(8))]);
  assert.throws(() => checkGrantTokens([encodeGrantToken(ID, randomBytes(8)), 'garbage']), (err: unknown) => err instanceof KontextError && err.code === 'InvalidGrantTokenException');
});

test('isGrantId() accepts 64 lowercase hex characters only', () => {
  assert.ok(isGrantId(ID));
  assert.ok(!isGrantId(ID.toUpperCase()));
  assert.ok(!isGrantId(ID.slice(1)));
});
