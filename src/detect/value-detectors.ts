// Detectors for secrets in encryption-context values, cheapest and most certain first. Each is
// tuned against false positives before recall: a detector that rejects UUIDs, ARNs, hex ids,
// numeric ids, dates or e-mail-like names gets switched off. The corpus in
// detector-corpus.test.ts pins both sides.

import { containsCardNumber } from './luhn.ts';
import { shannonEntropy, tokenShape, wordCoverage } from './entropy.ts';

export type SecretKind =
  | 'private-key'
  | 'jwt'
  | 'aws-access-key-id'
  | 'aws-secret-access-key'
  | 'api-token'
  | 'bearer-token'
  | 'url-credentials'
  | 'card-number'
  | 'high-entropy'
  | 'secret-key-name';

/** What the key name tells the value detectors. */
export interface KeyHint {
  /** The key names a hash, digest, public key or id: a random-looking value is expected there. */
  readonly randomExpected: boolean;
}

interface ValueDetector {
  readonly kind: SecretKind;
  /** Values shorter than this cannot match. */
  readonly minLength: number;
  test(value: string, hint: KeyHint): boolean;
}

const PEM_PRIVATE = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
const AWS_ACCESS_KEY_ID = /(?:^|[^A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/;
const AWS_SECRET_CANDIDATE = /(?:^|[^A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g;
const API_TOKEN = new RegExp(
  '(?<![A-Za-z0-9])(?:' +
  [
    'gh[pousr]_[A-Za-z0-9]{36}', // GitHub
    'github_pat_[A-Za-z0-9_]{60,}',
    'glpat-[A-Za-z0-9_-]{20}', // GitLab
    'xox[abposr]-[A-Za-z0-9-]{10,}', // Slack
    '(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}', // Stripe secret and restricted keys
    'AIza[A-Za-z0-9_-]{35}', // Google API key
    'npm_[A-Za-z0-9]{36}',
    'hooks\\.slack\\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]{16,}',
    'SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}', // SendGrid
  ].join('|') +
  ')',
);
const BEARER = /(?:^|[^A-Za-z])(?:[Bb]earer|BEARER)\s+([A-Za-z0-9._~+/=-]{16,})/;
const BASIC = /(?:^|[^A-Za-z])(?:[Bb]asic|BASIC)\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/;

/**
 * Strongly random, not a name: upper case, lower case and digits, frequent switches between them
 * (paths and names of words switch at under 0.36 per character, random base62 at about 0.6),
 * high entropy, and few word-like runs (CamelCase names with short words switch often too).
 */
function looksRandom(s: string, start: number, end: number, minEntropy: number, minSwitchRate: number): boolean {
  const t = tokenShape(s, start, end);
  if (t.upper < 2 || t.lower < 2 || t.digit < 1) return false;
  if (t.switchRate < minSwitchRate) return false;
  return shannonEntropy(s, start, end) >= minEntropy && wordCoverage(s, start, end) < 0.6;
}

/** base64 (or base64url) whose decoding is mostly printable text: an encoded name, not a key. */
function decodesToText(token: string): boolean {
  const bytes = Buffer.from(token, token.includes('-') || token.includes('_') ? 'base64url' : 'base64');
  if (bytes.length < 4) return false;
  let printable = 0;
  for (const b of bytes) if ((b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13) printable++;
  return printable / bytes.length >= 0.95;
}

const isB64Url = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95;

/** Index just past a run of base64url characters starting at `i`. */
function b64UrlRun(v: string, i: number): number {
  while (i < v.length && isB64Url(v.charCodeAt(i))) i++;
  return i;
}

/** header.payload.signature, the header base64url JSON with `alg` or `typ`. Linear: each run is scanned once. */
function containsJwt(v: string): boolean {
  let from = 0;
  for (;;) {
    const start = v.indexOf('eyJ', from);
    if (start < 0) return false;
    const headerEnd = b64UrlRun(v, start);
    from = headerEnd;
    if (start > 0 && isB64Url(v.charCodeAt(start - 1))) continue;
    if (headerEnd - start < 11 || v.charCodeAt(headerEnd) !== 46) continue;
    const payloadEnd = b64UrlRun(v, headerEnd + 1);
    if (payloadEnd - headerEnd - 1 < 2 || v.charCodeAt(payloadEnd) !== 46) continue;
    if (jwtHeaderIsJson(v.slice(start, headerEnd))) return true;
  }
}

/** scheme://user:password@host — credentials embedded in a URL. */
function containsUrlCredentials(v: string): boolean {
  let idx = v.indexOf('://');
  while (idx > 0) {
    let colon = -1;
    let i = idx + 3;
    for (; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c === 58 && colon < 0) colon = i;
      else if (c === 64 || c === 47 || c <= 32) break;
    }
    if (i < v.length && v.charCodeAt(i) === 64 && colon > idx + 3 && colon < i - 1) return true;
    idx = v.indexOf('://', i);
  }
  return false;
}

function jwtHeaderIsJson(segment: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
    return typeof header === 'object' && header !== null && ('alg' in header || 'typ' in header);
  } catch {
    return false;
  }
}

function awsSecretKey(value: string): boolean {
  AWS_SECRET_CANDIDATE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = AWS_SECRET_CANDIDATE.exec(value)) !== null) {
    const token = m[1]!;
    if (/^[0-9a-fA-F]+$/.test(token)) continue; // SHA-1 / 40-hex ids
    if (looksRandom(token, 0, 40, 4.2, 0.3) && !decodesToText(token)) return true;
  }
  return false;
}

/** Prefixed ids (`cus_`, `pi_`, `cust_`): random-looking by design and not secret. */
const PREFIXED_ID = /^[a-z]{2,12}_/;
const TOKEN = /[A-Za-z0-9+/_-]{32,}/g;
const HEX_OR_UUID = /^[0-9a-fA-F-]+$/;
export const HIGH_ENTROPY_MIN_LENGTH = 32;
/** Bits per character a 32+ character token must reach; random base62/base64 exceeds 4.4. */
export const HIGH_ENTROPY_THRESHOLD = 4.2;

function highEntropy(value: string, hint: KeyHint): boolean {
  if (hint.randomExpected) return false;
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(value)) !== null) {
    const token = m[0];
    if (token.length < HIGH_ENTROPY_MIN_LENGTH || HEX_OR_UUID.test(token) || PREFIXED_ID.test(token)) continue;
    if (looksRandom(token, 0, token.length, HIGH_ENTROPY_THRESHOLD, 0.4) && !decodesToText(token)) return true;
  }
  return false;
}

const DETECTORS: readonly ValueDetector[] = [
  { kind: 'private-key', minLength: 30, test: (v) => v.includes('PRIVATE KEY') && PEM_PRIVATE.test(v) },
  {
    kind: 'jwt',
    minLength: 20,
    test: containsJwt,
  },
  { kind: 'aws-access-key-id', minLength: 20, test: (v) => AWS_ACCESS_KEY_ID.test(v) },
  { kind: 'aws-secret-access-key', minLength: 40, test: awsSecretKey },
  { kind: 'api-token', minLength: 16, test: (v) => API_TOKEN.test(v) },
  {
    kind: 'bearer-token',
    minLength: 20,
    test: (v) => {
      const b = BEARER.exec(v);
      if (b) {
        const t = tokenShape(b[1]!);
        if (t.digit + t.upper > 0) return true;
      }
      const basic = BASIC.exec(v);
      return basic !== null && Buffer.from(basic[1]!, 'base64').toString('latin1').includes(':');
    },
  },
  { kind: 'url-credentials', minLength: 10, test: (v) => v.includes('@') && containsUrlCredentials(v) },
  { kind: 'card-number', minLength: 13, test: (v) => containsCardNumber(v) },
  { kind: 'high-entropy', minLength: HIGH_ENTROPY_MIN_LENGTH, test: highEntropy },
];

export const MIN_DETECTABLE_LENGTH = Math.min(...DETECTORS.map((d) => d.minLength));

/** The first kind of secret `value` looks like, or undefined. */
export function detectSecretValue(value: string, hint: KeyHint): SecretKind | undefined {
  const n = value.length;
  if (n < MIN_DETECTABLE_LENGTH) return undefined;
  for (const d of DETECTORS) {
    if (n >= d.minLength && d.test(value, hint)) return d.kind;
  }
  return undefined;
}
