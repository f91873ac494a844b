// AWS Signature Version 4 request authentication, server side: parse the Authorization header or
// presigned query (no secret needed), then recompute and compare the signature. Pure: clock passed in.
//
// Checks run in the order AWS's coral services report them, as captured from DynamoDB by
// dynalite/kinesalite and written down by scratchstack-aws-signature: auth present → key=value
// pairs → required parameters and date → date format → clock skew → host signed → algorithm →
// credential shape → credential scope. The caller then looks up the access key
// (UnrecognizedClientException) before verifySigV4() compares the signature.

import { createHash, createHmac, hash, timingSafeEqual } from 'node:crypto';
import { KontextError } from '../errors.ts';
import { deriveSigningKey, type SigningKeyCache } from './signing-key-cache.ts';
import { formatIsoBasic, parseHttpDate, parseIsoBasic } from './sigv4-dates.ts';
import { escapeUriComponent, normalizeEncoding, queryParam } from './sigv4-uri.ts';

/**
 * A request as node's http server delivers it. Node decodes the URL and header values one character
 * per byte (latin1), and the canonical request is rebuilt from those bytes, as AWS does.
 */
export interface SignedRequest {
  method: string;
  /** Path and optional `?query` exactly as received (node's `req.url`). */
  rawUrl: string;
  /**
   * Lowercase header names. Node's `req.headers` joins repeated headers with ", ", so a header sent
   * several times canonicalizes as AWS expects (values joined with ",") only from `req.headersDistinct`.
   */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SigV4Credential {
  accessKeyId: string;
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
}

export interface ParsedSigV4 {
  credential: SigV4Credential;
  /** Lowercase and sorted, as they enter the canonical request. */
  signedHeaders: string[];
  signature: string;
  /** The request time as YYYYMMDDTHHMMSSZ, whichever header or parameter carried it. */
  amzDate: string;
  securityToken: string | undefined;
  presigned: boolean;
  /** Presigned only: the client declared UNSIGNED-PAYLOAD, so the body is not authenticated. */
  unsignedPayload: boolean;
  /** The payload hash the client declared (x-amz-content-sha256, or X-Amz-Content-Sha256 when presigned). */
  contentSha256: string | undefined;
}

export interface ParseSigV4Options {
  now: Date;
  /** Allowed clock difference either way; AWS's JSON services allow 5 minutes. */
  skewSeconds?: number;
  /** When given, a credential scoped to another region is refused as AWS refuses it. */
  region?: string;
}

export interface VerifySigV4Options {
  cache: SigningKeyCache;
}

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export const MISSING_AUTHENTICATION_TOKEN_MESSAGE = 'Request is missing Authentication Token';
export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const DATE_HELP = 'See http://en.wikipedia.org/wiki/ISO_8601';

/** Reads the authentication fields and checks everything that needs no secret; throws KontextError. */
export function parseSigV4(req: SignedRequest, opts: ParseSigV4Options): ParsedSigV4 {
  const authorization = firstValue(req.headers['authorization']);
  const q = req.rawUrl.indexOf('?');
  const query = q === -1 ? '' : req.rawUrl.slice(q + 1);
  const queryAlgorithm = query === '' ? undefined : queryParam(query, 'X-Amz-Algorithm');

  if (authorization !== undefined && queryAlgorithm !== undefined) {
    throw invalidSignature(
      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    );
  }
  if (authorization !== undefined) return parseAuthorizationHeader(req, authorization, opts);
  if (queryAlgorithm !== undefined) return parsePresignedQuery(req, query, queryAlgorithm, opts);
  throw missingAuthenticationToken('no Authorization header and no X-Amz-Algorithm query parameter');
}

/** Recomputes the signature with the caller's secret and compares in constant time; throws KontextError. */
export function verifySigV4(
  req: SignedRequest,
  parsed: ParsedSigV4,
  secretAccessKey: string,
  opts: VerifySigV4Options,
): void {
  const q = req.rawUrl.indexOf('?');
  const path = q === -1 ? req.rawUrl : req.rawUrl.slice(0, q);
  const query = q === -1 ? '' : req.rawUrl.slice(q + 1);
  const { accessKeyId, date, region, service } = parsed.credential;

  const canonicalRequest =
    req.method + '\n' +
    canonicalUri(path) + '\n' +
    canonicalQuery(query, parsed.presigned) + '\n' +
    canonicalHeaders(req.headers, parsed.signedHeaders) + '\n' +
    parsed.signedHeaders.join(';') + '\n' +
    payloadHash(req.body, parsed);
  const stringToSign =
    SIGV4_ALGORITHM + '\n' +
    parsed.amzDate + '\n' +
    date + '/' + region + '/' + service + '/aws4_request\n' +
    canonicalRequestHash(canonicalRequest);

  const entryId = opts.cache.entryId(accessKeyId, secretAccessKey, date, region, service);
  const cachedKey = opts.cache.get(entryId);
  const signingKey = cachedKey ?? deriveSigningKey(secretAccessKey, date, region, service);
  const expected = createHmac('sha256', signingKey).update(stringToSign).digest();
  if (!signatureMatches(parsed.signature, expected)) {
    // The string to sign (no secret, no expected signature) lets an investigator compare it with
    // what the client logged; the canonical request stays out because it may carry a session token.
    throw invalidSignature(SIGNATURE_MISMATCH_MESSAGE, `string to sign: ${JSON.stringify(stringToSign)}`);
  }
  if (cachedKey === undefined) opts.cache.set(entryId, signingKey);
}

// --- Authorization header form -------------------------------------------------------------

function parseAuthorizationHeader(
  req: SignedRequest,
  authorization: string,
  opts: ParseSigV4Options,
): ParsedSigV4 {
  let start = skipSpaces(authorization, 0);
  const end = trimEnd(authorization, authorization.length);
  // Coral services answer anything that is not an AWS4 scheme (Basic, Bearer, ...) as unauthenticated.
  if (!authorization.startsWith('AWS4-', start)) {
    throw missingAuthenticationToken('Authorization header is not an AWS4 signature');
  }
  let space = authorization.indexOf(' ', start);
  if (space === -1 || space > end) space = end;
  const algorithm = authorization.slice(start, space);

  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  start = space + 1;
  while (start < end) {
    let comma = authorization.indexOf(',', start);
    if (comma === -1 || comma > end) comma = end;
    const partStart = skipSpaces(authorization, start);
    const partEnd = trimEnd(authorization, comma);
    start = comma + 1;
    if (partStart >= partEnd) continue;
    const eq = authorization.indexOf('=', partStart);
    if (eq === -1 || eq >= partEnd) {
      const part = authorization.slice(partStart, partEnd);
      throw incompleteSignature(
        `'${part}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization.trim()}'.`,
      );
    }
    // Later duplicates win, as AWS's parser does; unknown keys are ignored.
    const value = authorization.slice(eq + 1, partEnd);
    if (eq - partStart === 10 && authorization.startsWith('Credential', partStart)) credential = value;
    else if (eq - partStart === 13 && authorization.startsWith('SignedHeaders', partStart)) signedHeaders = value;
    else if (eq - partStart === 9 && authorization.startsWith('Signature', partStart)) signature = value;
  }

  const amzDateHeader = firstValue(req.headers['x-amz-date']);
  const httpDateHeader = amzDateHeader === undefined ? firstValue(req.headers['date']) : undefined;
  if (
    credential === undefined || signature === undefined || signedHeaders === undefined ||
    (amzDateHeader === undefined && httpDateHeader === undefined)
  ) {
    let message = '';
    if (credential === undefined) message += "Authorization header requires 'Credential' parameter. ";
    if (signature === undefined) message += "Authorization header requires 'Signature' parameter. ";
    if (signedHeaders === undefined) message += "Authorization header requires 'SignedHeaders' parameter. ";
    if (amzDateHeader === undefined && httpDateHeader === undefined) {
      message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    }
    throw incompleteSignature(message + 'Authorization=' + authorization.trim());
  }

  const rawDate = amzDateHeader ?? (httpDateHeader as string);
  const seconds = amzDateHeader !== undefined ? parseIsoBasic(rawDate) : parseHttpDate(rawDate);
  if (Number.isNaN(seconds)) {
    throw incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${rawDate}'. ${DATE_HELP}`);
  }
  const amzDate = amzDateHeader !== undefined ? rawDate : formatIsoBasic(seconds);
  checkClock(amzDate, seconds, undefined, opts);

  const headerNames = splitSignedHeaders(signedHeaders);
  requireHostSigned(headerNames);
  // AWS's own test suite and SDKs always sign it; unsigned, the date would still be covered by the
  // string to sign, but a client that omits it is not signing the way AWS documents.
  if (amzDateHeader !== undefined && !headerNames.includes('x-amz-date')) {
    throw invalidSignature("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
  }
  requireAlgorithm(algorithm);
  const scope = parseCredential(credential, amzDate, opts);
  const contentSha256 = firstValue(req.headers['x-amz-content-sha256']);
  return {
    credential: scope,
    signedHeaders: headerNames,
    signature,
    amzDate,
    securityToken: firstValue(req.headers['x-amz-security-token']),
    presigned: false,
    unsignedPayload: false,
    contentSha256,
  };
}

// --- Presigned query form ------------------------------------------------------------------

function parsePresignedQuery(
  req: SignedRequest,
  query: string,
  algorithm: string,
  opts: ParseSigV4Options,
): ParsedSigV4 {
  if (algorithm !== SIGV4_ALGORITHM) {
    throw missingAuthenticationToken(`unsupported X-Amz-Algorithm '${algorithm}'`);
  }
  const credential = queryParam(query, 'X-Amz-Credential');
  const signature = queryParam(query, 'X-Amz-Signature');
  const signedHeaders = queryParam(query, 'X-Amz-SignedHeaders');
  const amzDate = queryParam(query, 'X-Amz-Date');
  if (credential === undefined || signature === undefined || signedHeaders === undefined || amzDate === undefined) {
    let message = '';
    if (credential === undefined) message += "AWS query-string parameters must include 'X-Amz-Credential'. ";
    if (signature === undefined) message += "AWS query-string parameters must include 'X-Amz-Signature'. ";
    if (signedHeaders === undefined) message += "AWS query-string parameters must include 'X-Amz-SignedHeaders'. ";
    if (amzDate === undefined) message += "AWS query-string parameters must include 'X-Amz-Date'. ";
    throw incompleteSignature(message + 'Re-examine the query-string parameters.');
  }

  // AWS's JSON services publish no wording for a bad X-Amz-Expires; these follow S3's.
  const rawExpires = queryParam(query, 'X-Amz-Expires');
  let expires: number | undefined;
  if (rawExpires !== undefined) {
    if (!/^-?\d{1,10}$/.test(rawExpires)) throw incompleteSignature('X-Amz-Expires should be a number');
    expires = Number(rawExpires);
    if (expires < 0) throw incompleteSignature('X-Amz-Expires must be non-negative');
    if (expires > MAX_PRESIGNED_EXPIRES_SECONDS) {
      throw incompleteSignature(
        `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_EXPIRES_SECONDS}`,
      );
    }
  }

  const seconds = parseIsoBasic(amzDate);
  if (Number.isNaN(seconds)) {
    throw incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'. ${DATE_HELP}`);
  }
  checkClock(amzDate, seconds, expires, opts);

  const headerNames = splitSignedHeaders(signedHeaders);
  requireHostSigned(headerNames);
  const scope = parseCredential(credential, amzDate, opts);
  // Presigners hoist the header into the query under whatever case the caller gave it.
  const contentSha256 =
    firstValue(req.headers['x-amz-content-sha256']) ??
    queryParam(query, 'X-Amz-Content-Sha256') ??
    queryParam(query, 'x-amz-content-sha256');
  return {
    credential: scope,
    signedHeaders: headerNames,
    signature,
    amzDate,
    securityToken: queryParam(query, 'X-Amz-Security-Token'),
    presigned: true,
    unsignedPayload: contentSha256 === UNSIGNED_PAYLOAD,
    contentSha256,
  };
}

// --- Checks shared by both forms -----------------------------------------------------------

function checkClock(
  amzDate: string,
  seconds: number,
  expires: number | undefined,
  opts: ParseSigV4Options,
): void {
  const skew = opts.skewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  // Whole seconds on both sides, so a request exactly at the limit is not refused for milliseconds
  // the message could not even show.
  const now = Math.floor(opts.now.getTime() / 1000);
  const minutes = skew / 60;
  if (seconds > now + skew) {
    throw invalidSignature(
      `Signature not yet current: ${amzDate} is still later than ${formatIsoBasic(now + skew)} ` +
        `(${formatIsoBasic(now)} + ${minutes} min.)`,
    );
  }
  if (expires === undefined) {
    if (seconds < now - skew) {
      throw invalidSignature(
        `Signature expired: ${amzDate} is now earlier than ${formatIsoBasic(now - skew)} ` +
          `(${formatIsoBasic(now)} - ${minutes} min.)`,
      );
    }
  } else if (now > seconds + expires) {
    // S3's wording: AWS documents none for presigned requests to its JSON services.
    throw invalidSignature(
      'Request has expired',
      `X-Amz-Date ${amzDate} + X-Amz-Expires ${expires}s is before ${formatIsoBasic(now)}`,
    );
  }
}

/** Splits X-Amz-SignedHeaders / SignedHeaders, lowercasing and sorting only when a client did not. */
function splitSignedHeaders(value: string): string[] {
  const names = value.split(';');
  let normalized = true;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (hasUpperCase(name)) {
      names[i] = name.toLowerCase();
      normalized = false;
    } else if (i > 0 && (names[i - 1] as string) > name) {
      normalized = false;
    }
  }
  return normalized ? names : names.sort();
}

function requireHostSigned(names: string[]): void {
  if (!names.includes('host') && !names.includes(':authority')) {
    throw invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
}

function requireAlgorithm(algorithm: string): void {
  if (algorithm !== SIGV4_ALGORITHM) {
    // The trailing space is in AWS's own message.
    throw incompleteSignature(
      `Unsupported AWS 'algorithm': '${algorithm}' (only ${SIGV4_ALGORITHM} for now). `,
    );
  }
}

/** accessKeyId/YYYYMMDD/region/service/aws4_request, checked against the request date. */
function parseCredential(credential: string, amzDate: string, opts: ParseSigV4Options): SigV4Credential {
  let end = credential.length;
  while (end > 0 && credential.charCodeAt(end - 1) === 47 /* / */) end--; // AWS ignores trailing slashes
  const s1 = credential.indexOf('/');
  const s2 = s1 === -1 ? -1 : credential.indexOf('/', s1 + 1);
  const s3 = s2 === -1 ? -1 : credential.indexOf('/', s2 + 1);
  const s4 = s3 === -1 ? -1 : credential.indexOf('/', s3 + 1);
  const s5 = s4 === -1 ? -1 : credential.indexOf('/', s4 + 1);
  if (s4 === -1 || s4 >= end || (s5 !== -1 && s5 < end)) {
    throw incompleteSignature(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const scope: SigV4Credential = {
    accessKeyId: credential.slice(0, s1),
    date: credential.slice(s1 + 1, s2),
    region: credential.slice(s2 + 1, s3),
    service: credential.slice(s3 + 1, s4),
  };
  const terminator = credential.slice(s4 + 1, end);

  // AWS reports every scope problem at once, in this order.
  let message = '';
  if (opts.region !== undefined && scope.region !== opts.region) {
    message += `Credential should be scoped to a valid region, not '${scope.region}'. `;
  }
  if (terminator !== 'aws4_request') {
    message += `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `;
  }
  const requestDay = amzDate.slice(0, 8);
  if (scope.date !== requestDay) {
    message +=
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
      `'${scope.date}' != '${requestDay}', from '${amzDate}'. `;
  }
  if (message !== '') throw invalidSignature(message.trimEnd());
  return scope;
}

// --- Canonical request ---------------------------------------------------------------------

function payloadHash(body: Buffer, parsed: ParsedSigV4): string {
  if (parsed.unsignedPayload) return UNSIGNED_PAYLOAD;
  const actual = hash('sha256', body, 'hex');
  // AWS's JSON services sign the body itself; a declared hash that differs (UNSIGNED-PAYLOAD
  // included, outside presigned requests) means the signature covers something else.
  if (parsed.contentSha256 !== undefined && parsed.contentSha256 !== actual) {
    throw invalidSignature(
      SIGNATURE_MISMATCH_MESSAGE,
      `x-amz-content-sha256 '${parsed.contentSha256}' is not the SHA-256 of the body`,
    );
  }
  return actual;
}

/**
 * The path as AWS canonicalizes it for every service but S3: dot segments and empty segments
 * removed, then each segment URI-encoded again. SDKs send the path already encoded once, so the
 * canonical form is encoded twice relative to the resource name, as the SDKs sign it.
 */
function canonicalUri(path: string): string {
  if (path === '/' || path === '') return '/';
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(escapeUriComponent(segment));
  }
  const leading = path.charCodeAt(0) === 47 ? '/' : '';
  const trailing = segments.length > 0 && path.charCodeAt(path.length - 1) === 47 ? '/' : '';
  return leading + segments.join('/') + trailing;
}

/** Name=value pairs RFC 3986-encoded, sorted by name then value; X-Amz-Signature left out when presigned. */
function canonicalQuery(query: string, presigned: boolean): string {
  if (query === '') return '';
  const pairs: [string, string][] = [];
  let start = 0;
  while (start <= query.length) {
    let amp = query.indexOf('&', start);
    if (amp === -1) amp = query.length;
    if (amp > start) {
      const eq = query.indexOf('=', start);
      const hasValue = eq !== -1 && eq < amp;
      const name = normalizeEncoding(query.slice(start, hasValue ? eq : amp));
      const value = hasValue ? normalizeEncoding(query.slice(eq + 1, amp)) : '';
      if (!(presigned && name === 'X-Amz-Signature')) pairs.push([name, value]);
    }
    start = amp + 1;
  }
  if (pairs.length > 1) {
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  }
  let out = '';
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as [string, string];
    out += (i === 0 ? '' : '&') + pair[0] + '=' + pair[1];
  }
  return out;
}

/**
 * SHA-256 of the canonical request over the bytes the client sent. Header values with bytes above
 * 0x7F reach us as latin1 characters, so they hash as latin1; characters above 0xFF cannot come
 * from node, so such a string was built as text and hashes as UTF-8.
 */
function canonicalRequestHash(canonicalRequest: string): string {
  if (!NON_ASCII.test(canonicalRequest) || WIDER_THAN_BYTE.test(canonicalRequest)) {
    return hash('sha256', canonicalRequest, 'hex');
  }
  return createHash('sha256').update(canonicalRequest, 'latin1').digest('hex');
}

const NON_ASCII = /[^\x00-\x7f]/;
const WIDER_THAN_BYTE = /[^\x00-\xff]/;

function canonicalHeaders(headers: SignedRequest['headers'], names: string[]): string {
  let out = '';
  for (const name of names) {
    const value = headers[name];
    let canonical: string;
    if (value === undefined) canonical = '';
    else if (typeof value === 'string') canonical = trimAll(value);
    else canonical = value.map(trimAll).join(',');
    out += name + ':' + canonical + '\n';
  }
  return out;
}

/** Trims spaces and tabs and collapses inner runs to one space, allocating only when needed. */
function trimAll(value: string): string {
  const n = value.length;
  let clean = n === 0 || (!isBlank(value.charCodeAt(0)) && !isBlank(value.charCodeAt(n - 1)));
  for (let i = 1; clean && i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 9 || (c === 32 && value.charCodeAt(i - 1) === 32)) clean = false;
  }
  if (clean) return value;
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (isBlank(c)) {
      pendingSpace = out !== '';
      continue;
    }
    if (pendingSpace) {
      out += ' ';
      pendingSpace = false;
    }
    out += value[i];
  }
  return out;
}

function signatureMatches(provided: string, expected: Buffer): boolean {
  if (provided.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = provided.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false; // SigV4 signatures are lowercase hex
  }
  return timingSafeEqual(Buffer.from(provided, 'hex'), expected);
}

// --- Small helpers -------------------------------------------------------------------------

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const isBlank = (c: number): boolean => c === 32 || c === 9;

function skipSpaces(value: string, start: number): number {
  while (start < value.length && isBlank(value.charCodeAt(start))) start++;
  return start;
}

function trimEnd(value: string, end: number): number {
  while (end > 0 && isBlank(value.charCodeAt(end - 1))) end--;
  return end;
}

function hasUpperCase(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}

function invalidSignature(message: string, reason?: string): KontextError {
  return new KontextError('InvalidSignatureException', message, reason);
}

function incompleteSignature(message: string): KontextError {
  return new KontextError('IncompleteSignatureException', message);
}

function missingAuthenticationToken(reason: string): KontextError {
  return new KontextError('MissingAuthenticationTokenException', MISSING_AUTHENTICATION_TOKEN_MESSAGE, reason);
}
