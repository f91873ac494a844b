// Context keys whose names say the value is a secret (password, token, api_key, ssn, ...). Judged
// on the last words of the name, so `SecretARN`, `secret_name`, `token_type` or `ssn_last4` (names
// *about* a secret) pass, while `db_password`, `apiKey` or `client_secret` do not.

import { keyWords } from './key-words.ts';

const SECRET_LAST_WORDS = new Set([
  'password', 'passwd', 'pwd', 'passphrase', 'passcode', 'secret', 'token', 'apikey', 'ssn', 'cvv', 'cvc', 'cvv2',
  'privatekey', 'secretkey', 'accesstoken', 'authtoken', 'refreshtoken', 'sessiontoken', 'creditcard', 'cardnumber', 'pan',
]);

const SECRET_LAST_PAIRS = new Set([
  'api key', 'private key', 'secret key', 'signing key', 'encryption key', 'card number', 'credit card', 'account password',
  'security code', 'social security', 'security number', 'auth key', 'master key',
]);

/** `<x> token` pairs that name a non-secret handle (idempotency and pagination tokens). */
const BENIGN_TOKENS = new Set(['client', 'idempotency', 'next', 'continuation', 'pagination', 'page', 'grant', 'cancellation', 'sync']);

/** Last words that make a name about a secret, not the secret: `secret_arn`, `token_type`. */
const BENIGN_LAST = new Set(['id', 'ids', 'arn', 'name', 'type', 'version', 'ref', 'hash', 'count', 'length', 'url', 'path', 'last4', 'expiry', 'expires', 'at', 'policy', 'hint', 'label', 'kind', 'scope', 'uri', 'provider', 'rotation', 'status', 'algorithm']);

const cache = new Map<string, boolean>();
const CACHE_MAX = 4096;

/** True when the key name marks its value as secret. Cached: key names repeat across requests. */
export function isSecretKeyName(key: string): boolean {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const verdict = judge(key);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, verdict);
  return verdict;
}

function judge(key: string): boolean {
  const words = keyWords(key);
  const n = words.length;
  if (n === 0) return false;
  const last = words[n - 1]!;
  if (BENIGN_LAST.has(last)) return false;
  const prev = n > 1 ? words[n - 2]! : undefined;
  if (prev !== undefined && SECRET_LAST_PAIRS.has(`${prev} ${last}`)) return true;
  if (prev !== undefined && SECRET_LAST_PAIRS.has(`${prev} ${last.replace(/s$/, '')}`)) return true;
  if (last === 'token' && prev !== undefined && BENIGN_TOKENS.has(prev)) return false;
  if (SECRET_LAST_WORDS.has(last)) return true;
  if (last === 'key' && prev === 'api') return true;
  // A run-together name (`dbpassword`, `clientsecret`, `xapikey`)
  return n === 1 && /(?:password|passwd|secret|apikey|accesstoken|authtoken|privatekey)$/.test(last);
}

const RANDOM_WORDS = new Set(['hash', 'checksum', 'digest', 'sha', 'sha1', 'sha256', 'sha512', 'md5', 'etag', 'crc32', 'fingerprint', 'signature', 'public', 'pubkey', 'nonce', 'salt', 'iv', 'cert', 'certificate']);
const RANDOM_LAST = new Set(['id', 'ids', 'version', 'ver', 'revision', 'rev']);

/**
 * The key names a hash, a digest, a public key or an id, so a random-looking value is expected
 * there (`checksum`, `aws-crypto-public-key`, `version_id`). Only the generic high-entropy detector
 * stands down for these; the shape-specific detectors (JWT, card, AWS key, ...) still run.
 */
export function expectsRandomValue(key: string): boolean {
  const hit = randomCache.get(key);
  if (hit !== undefined) return hit;
  const words = keyWords(key);
  const last = words[words.length - 1];
  const prev = words[words.length - 2];
  let verdict = last !== undefined && (RANDOM_LAST.has(last) || (last === 'token' && prev !== undefined && BENIGN_TOKENS.has(prev)));
  for (const w of words) if (RANDOM_WORDS.has(w)) verdict = true;
  if (randomCache.size >= CACHE_MAX) randomCache.clear();
  randomCache.set(key, verdict);
  return verdict;
}

const randomCache = new Map<string, boolean>();
