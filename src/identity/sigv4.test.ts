// SigV4 verification against @smithy/signature-v4 (the signer every AWS JS SDK uses), the published
// AWS SigV4 test-suite vectors, and real SDK clients over loopback; then one test per refusal.

import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, describe, test } from 'node:test';
import { escapeUri } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest, SourceData } from '@smithy/types';
import { KontextError, type ErrorCode } from '../errors.ts';
import { deriveSigningKey, SigningKeyCache } from './signing-key-cache.ts';
import {
  parseSigV4,
  SIGNATURE_MISMATCH_MESSAGE,
  verifySigV4,
  type ParsedSigV4,
  type SignedRequest,
} from './sigv4.ts';

const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const OTHER_SECRET = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY';
const SIGNED_AT = new Date('2022-08-30T12:00:00Z');
const HOST = 'kms.us-east-1.amazonaws.com';

/** node:crypto behind smithy's hash interface, so the oracle needs no extra dependency. */
class NodeSha256 {
  readonly #hash;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: Uint8Array): void {
    this.#hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

function toBytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

interface Unsigned {
  method: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
}

interface SignOptions {
  service?: string;
  region?: string;
  secret?: string;
  sessionToken?: string;
  date?: Date;
  applyChecksum?: boolean;
}

function signer(opts: SignOptions): SignatureV4 {
  return new SignatureV4({
    credentials: {
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: opts.secret ?? SECRET,
      ...(opts.sessionToken === undefined ? {} : { sessionToken: opts.sessionToken }),
    },
    region: opts.region ?? 'us-east-1',
    service: opts.service ?? 'kms',
    sha256: NodeSha256,
    applyChecksum: opts.applyChecksum ?? false,
  });
}

function httpRequest(u: Unsigned): HttpRequest {
  return {
    method: u.method,
    protocol: 'https:',
    hostname: HOST,
    path: u.path ?? '/',
    query: u.query ?? {},
    headers: { host: HOST, ...u.headers },
    body: u.body,
  };
}

/** The request as node would hand it over: raw URL, lowercase header names, body bytes. */
function received(req: HttpRequest): SignedRequest {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(req.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      parts.push(v === null ? escapeUri(name) : `${escapeUri(name)}=${escapeUri(v)}`);
    }
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
  return {
    method: req.method,
    rawUrl: req.path + (parts.length > 0 ? '?' + parts.join('&') : ''),
    headers,
    body: Buffer.from(typeof req.body === 'string' ? req.body : ''),
  };
}

async function signed(u: Unsigned, opts: SignOptions = {}): Promise<SignedRequest> {
  const req = await signer(opts).sign(httpRequest(u), { signingDate: opts.date ?? SIGNED_AT });
  return received(req);
}

async function presigned(u: Unsigned, expiresIn: number, opts: SignOptions = {}): Promise<SignedRequest> {
  const req = await signer(opts).presign(httpRequest(u), { signingDate: opts.date ?? SIGNED_AT, expiresIn });
  return received(req);
}

function accept(req: SignedRequest, now = SIGNED_AT, secret = SECRET, cache = new SigningKeyCache()): ParsedSigV4 {
  const parsed = parseSigV4(req, { now });
  verifySigV4(req, parsed, secret, { cache });
  return parsed;
}

function refuses(fn: () => unknown, code: ErrorCode, message: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof KontextError, `expected KontextError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.message, message);
    return true;
  });
}

const kmsEncrypt = (): Unsigned => ({
  method: 'POST',
  headers: {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'TrentService.Encrypt',
  },
  body: JSON.stringify({
    KeyId: 'alias/finance',
    Plaintext: Buffer.from('account 4711').toString('base64'),
    EncryptionContext: { department: 'finance', customer_id: 'cust_98765' },
  }),
});

const withHeader = (req: SignedRequest, name: string, value: string | undefined): SignedRequest => ({
  ...req,
  headers: { ...req.headers, [name]: value },
});

const authorizationOf = (req: SignedRequest): string => req.headers['authorization'] as string;

describe('SigV4 requests signed by @smithy/signature-v4', () => {
  test('verifySigV4 accepts a KMS JSON request and parse exposes its credential scope', async () => {
    const parsed = accept(await signed(kmsEncrypt()));
    assert.deepEqual(parsed.credential, {
      accessKeyId: ACCESS_KEY_ID,
      date: '20220830',
      region: 'us-east-1',
      service: 'kms',
    });
    assert.deepEqual(parsed.signedHeaders, ['content-type', 'host', 'x-amz-date', 'x-amz-target']);
    assert.equal(parsed.amzDate, '20220830T120000Z');
    assert.equal(parsed.presigned, false);
    assert.equal(parsed.securityToken, undefined);
  });

  test('verifySigV4 accepts a request that carries x-amz-content-sha256', async () => {
    const req = await signed(kmsEncrypt(), { applyChecksum: true });
    assert.ok(req.headers['x-amz-content-sha256'] !== undefined);
    accept(req);
  });

  test('verifySigV4 accepts an IAM form-encoded POST', async () => {
    accept(
      await signed(
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body: 'Action=CreateUser&UserName=alice%2Bbob&Version=2010-05-08',
        },
        { service: 'iam' },
      ),
    );
  });

  test('verifySigV4 accepts a query string with reserved characters and repeated parameters', async () => {
    accept(
      await signed(
        {
          method: 'GET',
          query: {
            Action: 'ListUsers',
            PathPrefix: "/div/team a+b/*!'()~",
            'Filter.1': ['zeta', 'alpha', 'ünïcødé', 'a=b&c'],
            Empty: '',
            Version: '2010-05-08',
          },
        },
        { service: 'iam' },
      ),
    );
  });

  test('verifySigV4 accepts header values with runs of spaces and tabs', async () => {
    accept(
      await signed({
        method: 'POST',
        headers: { 'x-kontext-note': '  several   spaces\tand \t tabs  ', 'x-amz-target': 'TrentService.ListKeys' },
        body: '{}',
      }),
    );
  });

  test('verifySigV4 accepts a path whose segments need encoding, encoded twice as SDKs sign it', async () => {
    // SDKs put the already-encoded path on the wire and encode it again when signing.
    accept(await signed({ method: 'GET', path: '/keys/a%20b/caf%C3%A9/./x/../y' }));
  });

  test('verifySigV4 accepts a session-token request and parse returns the token', async () => {
    const parsed = accept(await signed(kmsEncrypt(), { sessionToken: 'FwoGZXIvYXdzEXAMPLE//token+with/specials=' }));
    assert.equal(parsed.securityToken, 'FwoGZXIvYXdzEXAMPLE//token+with/specials=');
    assert.ok(parsed.signedHeaders.includes('x-amz-security-token'));
  });

  test('verifySigV4 accepts an empty body', async () => {
    accept(await signed({ method: 'POST', headers: { 'x-amz-target': 'TrentService.ListKeys' } }));
  });

  test('verifySigV4 accepts many signed requests through one shared cache', async () => {
    const cache = new SigningKeyCache();
    for (let i = 0; i < 50; i++) {
      const date = new Date(SIGNED_AT.getTime() + i * 1000);
      const req = await signed({ ...kmsEncrypt(), body: JSON.stringify({ KeyId: `key-${i}`, n: 'x'.repeat(i) }) }, { date });
      accept(req, date, SECRET, cache);
    }
    assert.equal(cache.size, 1);
  });

  test('verifySigV4 accepts a presigned GET', async () => {
    const req = await presigned(
      { method: 'GET', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } },
      900,
      { service: 'sts' },
    );
    assert.equal(req.headers['authorization'], undefined);
    const parsed = accept(req, new Date(SIGNED_AT.getTime() + 899_000));
    assert.equal(parsed.presigned, true);
    assert.equal(parsed.unsignedPayload, false);
    assert.equal(parsed.credential.service, 'sts');
  });

  test('verifySigV4 accepts a presigned request with a session token', async () => {
    const req = await presigned({ method: 'GET', query: { Action: 'GetCallerIdentity' } }, 60, {
      service: 'sts',
      sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE/+=',
    });
    assert.equal(accept(req).securityToken, 'IQoJb3JpZ2luX2VjEXAMPLE/+=');
  });

  test('verifySigV4 accepts a presigned UNSIGNED-PAYLOAD request whatever its body', async () => {
    const req = await presigned(
      { method: 'PUT', path: '/upload', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body: 'original' },
      300,
    );
    const parsed = accept({ ...req, body: Buffer.from('replaced') });
    assert.equal(parsed.unsignedPayload, true);
  });
});

describe('SigV4 requests from real AWS SDK clients over loopback', () => {
  async function capture(respond: (body: string) => { type: string; body: string }, send: (endpoint: string) => Promise<unknown>) {
    let captured: SignedRequest | undefined;
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        captured = { method: req.method ?? '', rawUrl: req.url ?? '', headers: req.headersDistinct, body };
        const reply = respond(body.toString());
        res.writeHead(200, { 'content-type': reply.type });
        res.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
      server.close();
    }
    assert.ok(captured !== undefined);
    return captured;
  }

  const credentials = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET };

  test('verifySigV4 accepts what @aws-sdk/client-kms sends for Encrypt', async () => {
    const { KMSClient, EncryptCommand } = await import('@aws-sdk/client-kms');
    const req = await capture(
      () => ({ type: 'application/x-amz-json-1.1', body: '{"KeyId":"k","CiphertextBlob":"AAAA"}' }),
      async (endpoint) => {
        const client = new KMSClient({ endpoint, region: 'eu-central-1', credentials, maxAttempts: 1 });
        await client.send(
          new EncryptCommand({
            KeyId: 'alias/finance',
            Plaintext: Buffer.from('hello'),
            EncryptionContext: { department: 'finance' },
          }),
        );
        client.destroy();
      },
    );
    const parsed = accept(req, new Date());
    assert.equal(parsed.credential.region, 'eu-central-1');
    assert.equal(parsed.credential.service, 'kms');
  });

  test('verifySigV4 accepts what @aws-sdk/client-iam sends for a form-encoded call', async () => {
    const { IAMClient, GetUserCommand } = await import('@aws-sdk/client-iam');
    const req = await capture(
      () => ({
        type: 'text/xml',
        body:
          '<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetUserResult><User>' +
          '<Path>/</Path><UserName>a b</UserName><UserId>AIDAEXAMPLE</UserId><Arn>arn:aws:iam::123456789012:user/a</Arn>' +
          '<CreateDate>2022-08-30T12:00:00Z</CreateDate></User></GetUserResult></GetUserResponse>',
      }),
      async (endpoint) => {
        const client = new IAMClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
        await client.send(new GetUserCommand({ UserName: 'a b+c/d' }));
        client.destroy();
      },
    );
    assert.equal(accept(req, new Date()).credential.service, 'iam');
  });
});

describe('AWS SigV4 test-suite vectors', () => {
  // AKIDEXAMPLE at 20150830T123600Z in us-east-1 for service "service", as published in the suite
  // (aws-c-auth tests/aws-signing-test-suite/v4). Each passes only if canonicalization is byte-exact.
  const now = new Date('2015-08-30T12:36:00Z');
  const vector = (
    method: string,
    rawUrl: string,
    signedHeaders: string,
    signature: string,
    headers: Record<string, string | string[]> = {},
    body = '',
  ): SignedRequest => ({
    method,
    rawUrl,
    headers: {
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      ...headers,
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        `SignedHeaders=${signedHeaders}, Signature=${signature}`,
    },
    body: Buffer.from(body),
  });
  const verifyVector = (req: SignedRequest) => accept(req, now, 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
  const unreserved = '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

  test('get-vanilla verifies', () => {
    verifyVector(vector('GET', '/', 'host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'));
  });

  test('post-vanilla verifies', () => {
    verifyVector(vector('POST', '/', 'host;x-amz-date', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'));
  });

  test('get-vanilla-query-order-key-case verifies', () => {
    verifyVector(
      vector('GET', '/?Param2=value2&Param1=value1', 'host;x-amz-date', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'),
    );
  });

  test('get-vanilla-query-order-encoded verifies', () => {
    verifyVector(
      vector(
        'GET',
        '/?Param-3=Value3&Param=Value2&%E1%88%B4=Value1',
        'host;x-amz-date',
        '371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac',
      ),
    );
  });

  test('get-vanilla-query-unreserved verifies', () => {
    verifyVector(
      vector('GET', `/?${unreserved}=${unreserved}`, 'host;x-amz-date', '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197'),
    );
  });

  test('get-vanilla-utf8-query verifies', () => {
    verifyVector(
      vector('GET', '/?%E1%88%B4=bar', 'host;x-amz-date', '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04'),
    );
  });

  test('post-vanilla-query verifies', () => {
    verifyVector(
      vector('POST', '/?Param1=value1', 'host;x-amz-date', '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11'),
    );
  });

  test('get-vanilla-with-session-token verifies', () => {
    verifyVector(
      vector(
        'GET',
        '/',
        'host;x-amz-date;x-amz-security-token',
        '07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8',
        { 'x-amz-security-token': '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267' },
      ),
    );
  });

  test('get-header-key-duplicate verifies with repeated values given as an array', () => {
    verifyVector(
      vector('GET', '/', 'host;my-header1;x-amz-date', 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea', {
        'my-header1': ['value2', 'value2', 'value1'],
      }),
    );
  });

  test('get-header-value-order verifies', () => {
    verifyVector(
      vector('GET', '/', 'host;my-header1;x-amz-date', '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01', {
        'my-header1': ['value4', 'value1', 'value3', 'value2'],
      }),
    );
  });

  test('get-header-value-trim verifies', () => {
    verifyVector(
      vector(
        'GET',
        '/',
        'host;my-header1;my-header2;x-amz-date',
        'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
        { 'my-header1': ' value1', 'my-header2': ' "a   b   c"' },
      ),
    );
  });

  test('post-header-value-case verifies', () => {
    verifyVector(
      vector('POST', '/', 'host;my-header1;x-amz-date', 'cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d', {
        'my-header1': 'VALUE1',
      }),
    );
  });

  test('post-x-www-form-urlencoded verifies', () => {
    verifyVector(
      vector(
        'POST',
        '/',
        'content-type;host;x-amz-date',
        'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
        { 'content-type': 'application/x-www-form-urlencoded' },
        'Param1=value1',
      ),
    );
  });

  test('get-unreserved verifies', () => {
    verifyVector(vector('GET', `/${unreserved}`, 'host;x-amz-date', '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f'));
  });

  test('get-slash, get-relative and get-relative-relative normalize to get-vanilla', () => {
    for (const path of ['//', '/example/..', '/example1/example2/../..', '/./']) {
      verifyVector(vector('GET', path, 'host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'));
    }
  });

  test('get-slashes verifies', () => {
    verifyVector(vector('GET', '//example//', 'host;x-amz-date', '9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84'));
  });

  test('a header value with UTF-8 bytes verifies over the bytes the client sent', () => {
    // Clients other than node hash the raw bytes; node hands them over one latin1 character per byte.
    const utf8 = Buffer.from('Zürich café', 'utf8');
    const canonical = Buffer.concat([
      Buffer.from('GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-city:'),
      utf8,
      Buffer.from('\n\nhost;x-amz-date;x-city\n' + createHash('sha256').update('').digest('hex')),
    ]);
    const stringToSign =
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n' +
      createHash('sha256').update(canonical).digest('hex');
    const key = deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'service');
    const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
    verifyVector(vector('GET', '/', 'host;x-amz-date;x-city', signature, { 'x-city': utf8.toString('latin1') }));
  });

  test('a request dated by the HTTP Date header verifies with its ISO-8601 form in the string to sign', () => {
    // Built by hand because smithy always adds X-Amz-Date; only the key derivation is shared.
    const canonical =
      'GET\n/\n\ndate:Sun, 30 Aug 2015 12:36:00 GMT\nhost:example.amazonaws.com\n\ndate;host\n' +
      createHash('sha256').update('').digest('hex');
    const stringToSign =
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n' +
      createHash('sha256').update(canonical).digest('hex');
    const key = deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'service');
    const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
    const req = vector('GET', '/', 'date;host', signature, { date: 'Sun, 30 Aug 2015 12:36:00 GMT' });
    delete req.headers['x-amz-date'];
    assert.equal(verifyVector(req).amzDate, '20150830T123600Z');
  });
});

describe('SigV4 tampering', () => {
  test('verifySigV4 rejects a request whose body changed by one byte', async () => {
    const req = await signed(kmsEncrypt());
    const body = Buffer.from(req.body);
    body[10] = (body[10] as number) ^ 1;
    refuses(() => accept({ ...req, body }), 'InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE);
  });

  test('verifySigV4 rejects a request whose signed header changed', async () => {
    const req = withHeader(await signed(kmsEncrypt()), 'x-amz-target', 'TrentService.Decrypt');
    refuses(() => accept(req), 'InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE);
  });

  test('verifySigV4 rejects a changed signature', async () => {
    const req = await signed(kmsEncrypt());
    const auth = authorizationOf(req);
    const flipped = auth.slice(0, -1) + (auth.endsWith('0') ? '1' : '0');
    refuses(() => accept(withHeader(req, 'authorization', flipped)), 'InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE);
  });

  test('verifySigV4 rejects a signature of the wrong length or alphabet', async () => {
    const req = await signed(kmsEncrypt());
    const auth = authorizationOf(req);
    for (const bad of [auth.slice(0, -2), auth + '00', auth.slice(0, -1) + 'G', auth.slice(0, -64) + auth.slice(-64).toUpperCase()]) {
      refuses(() => accept(withHeader(req, 'authorization', bad)), 'InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE);
    }
  });

  test('verifySigV4 rejects a changed X-Amz-Date within the allowed skew', async () => {
    const req = withHeader(await signed(kmsEncrypt()), 'x-amz-date', '20220830T120001Z');
    refuses(() => accept(req), 'InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE);
  });

  test('verifySigV4 rejects a credential scope moved to another region', async () => {
    const req = await signed(kmsEncrypt());
    const moved = withHeader(req, 'authorization', authorizationOf(req).replace('/us-east-1/', '/us-west-2/'));
    refuses(() => accept(moved), 'InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE);
  });

  test('verifySigV4 rejects a request signed with another secret', async () => {
    const req = await signed(kmsEncrypt(), { secret: OTHER_SECRET });
    refuses(() => accept(req), 'InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE);
  });

  test('verifySigV4 rejects a changed query parameter', async () => {
    const req = await signed({ method: 'GET', query: { Action: 'ListUsers', MaxItems: '10' } }, { service: 'iam' });
    refuses(() => accept({ ...req, rawUrl: req.rawUrl.replace('MaxItems=10', 'MaxItems=11') }), 'InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE);
  });

  test('verifySigV4 rejects x-amz-content-sha256 that is not the hash of the body', async () => {
    const req = await signed({ ...kmsEncrypt(), headers: { ...kmsEncrypt().headers, 'x-amz-content-sha256': 'ab'.repeat(32) } });
    refuses(() => accept(req), 'InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE);
  });

  test('verifySigV4 rejects UNSIGNED-PAYLOAD outside presigned requests', async () => {
    const req = await signed({ ...kmsEncrypt(), headers: { ...kmsEncrypt().headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    refuses(() => accept(req), 'InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE);
  });

  test('verifySigV4 rejects a presigned request whose query changed', async () => {
    const req = await presigned({ method: 'GET', query: { Action: 'GetCallerIdentity' } }, 900, { service: 'sts' });
    const changed = { ...req, rawUrl: req.rawUrl.replace('GetCallerIdentity', 'AssumeRole') };
    refuses(() => accept(changed), 'InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE);
  });

  test('a signature mismatch names neither the secret nor the signature the server computed', async () => {
    const req = await signed(kmsEncrypt());
    const computedWithOther = await signed(kmsEncrypt(), { secret: OTHER_SECRET });
    const serverSignature = authorizationOf(computedWithOther).slice(-64);
    try {
      accept(req, SIGNED_AT, OTHER_SECRET);
      assert.fail('expected a mismatch');
    } catch (err) {
      assert.ok(err instanceof KontextError);
      for (const text of [err.message, err.reason ?? '']) {
        assert.ok(!text.includes(OTHER_SECRET) && !text.includes(SECRET));
        assert.ok(!text.includes(serverSignature));
      }
    }
  });

  test('verifySigV4 caches a signing key only after a signature matched', async () => {
    const cache = new SigningKeyCache();
    const req = await signed(kmsEncrypt());
    assert.throws(() => accept(req, SIGNED_AT, OTHER_SECRET, cache));
    assert.equal(cache.size, 0);
    accept(req, SIGNED_AT, SECRET, cache);
    assert.equal(cache.size, 1);
  });
});

describe('SigV4 clock skew', () => {
  const at = (offsetSeconds: number) => new Date(SIGNED_AT.getTime() + offsetSeconds * 1000);

  test('parseSigV4 accepts a request signed 4 min 59 s ago or ahead', async () => {
    const req = await signed(kmsEncrypt());
    accept(req, at(299));
    accept(req, at(-299));
  });

  test('parseSigV4 rejects a request signed 5 min 1 s ago as expired', async () => {
    const req = await signed(kmsEncrypt());
    refuses(
      () => accept(req, at(301)),
      'InvalidSignatureException',
      'Signature expired: 20220830T120000Z is now earlier than 20220830T120001Z (20220830T120501Z - 5 min.)',
    );
  });

  test('parseSigV4 rejects a request signed 5 min 1 s in the future as not yet current', async () => {
    const req = await signed(kmsEncrypt());
    refuses(
      () => accept(req, at(-301)),
      'InvalidSignatureException',
      'Signature not yet current: 20220830T120000Z is still later than 20220830T115959Z (20220830T115459Z + 5 min.)',
    );
  });

  test('parseSigV4 applies a configured skew', async () => {
    const req = await signed(kmsEncrypt());
    assert.doesNotThrow(() => parseSigV4(req, { now: at(899), skewSeconds: 900 }));
    refuses(
      () => parseSigV4(req, { now: at(901), skewSeconds: 900 }),
      'InvalidSignatureException',
      'Signature expired: 20220830T120000Z is now earlier than 20220830T120001Z (20220830T121501Z - 15 min.)',
    );
  });

  test('parseSigV4 rejects a presigned request past X-Amz-Expires', async () => {
    const req = await presigned({ method: 'GET', query: { Action: 'GetCallerIdentity' } }, 3600, { service: 'sts' });
    accept(req, at(3600));
    refuses(() => accept(req, at(3601)), 'InvalidSignatureException', 'Request has expired');
  });
});

describe('SigV4 malformed authentication', () => {
  let signedEncrypt: SignedRequest;
  before(async () => {
    signedEncrypt = await signed(kmsEncrypt());
  });
  const base = (): SignedRequest => signedEncrypt;
  const header = (req: SignedRequest, authorization: string) => withHeader(req, 'authorization', authorization);
  const parse = (req: SignedRequest, region?: string) =>
    parseSigV4(req, region === undefined ? { now: SIGNED_AT } : { now: SIGNED_AT, region });
  const SIG = 'f'.repeat(64);
  const CRED = `${ACCESS_KEY_ID}/20220830/us-east-1/kms/aws4_request`;

  test('parseSigV4 rejects a request with no authentication as MissingAuthenticationToken', async () => {
    refuses(
      () => parse(withHeader(base(), 'authorization', undefined)),
      'MissingAuthenticationTokenException',
      'Request is missing Authentication Token',
    );
  });

  test('parseSigV4 rejects a non-AWS4 Authorization scheme as MissingAuthenticationToken', async () => {
    refuses(
      () => parse(header(base(), 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x')),
      'MissingAuthenticationTokenException',
      'Request is missing Authentication Token',
    );
  });

  test('parseSigV4 rejects both an Authorization header and X-Amz-Algorithm', async () => {
    const req = base();
    refuses(
      () => parse({ ...req, rawUrl: '/?X-Amz-Algorithm=AWS4-HMAC-SHA256' }),
      'InvalidSignatureException',
      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    );
  });

  test('parseSigV4 rejects a parameter without an equal sign', async () => {
    const auth = `AWS4-HMAC-SHA256 Credential=${CRED}, SignedHeaders, Signature=${SIG}`;
    refuses(
      () => parse(header(base(), auth)),
      'IncompleteSignatureException',
      `'SignedHeaders' not a valid key=value pair (missing equal-sign) in Authorization header: '${auth}'.`,
    );
  });

  test('parseSigV4 rejects a header missing Credential', async () => {
    const auth = `AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=${SIG}`;
    refuses(
      () => parse(header(base(), auth)),
      'IncompleteSignatureException',
      `Authorization header requires 'Credential' parameter. Authorization=${auth}`,
    );
  });

  test('parseSigV4 lists every missing parameter and the missing date at once', async () => {
    const req = withHeader(header(base(), 'AWS4-HMAC-SHA256'), 'x-amz-date', undefined);
    refuses(
      () => parse(req),
      'IncompleteSignatureException',
      "Authorization header requires 'Credential' parameter. " +
        "Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        'Authorization=AWS4-HMAC-SHA256',
    );
  });

  test('parseSigV4 rejects a request without X-Amz-Date or Date', async () => {
    const req = base();
    refuses(
      () => parse(withHeader(req, 'x-amz-date', undefined)),
      'IncompleteSignatureException',
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authorizationOf(req)}`,
    );
  });

  test('parseSigV4 rejects an X-Amz-Date not in ISO-8601 basic format', async () => {
    for (const date of ['2022-08-30T12:00:00Z', '20220830T250000Z', '20220230T120000Z', '20220830']) {
      const req = withHeader(base(), 'x-amz-date', date);
      refuses(
        () => parse(req),
        'IncompleteSignatureException',
        `Date must be in ISO-8601 'basic format'. Got '${date}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      );
    }
  });

  test('parseSigV4 rejects a request whose signed headers leave out host', async () => {
    const auth = `AWS4-HMAC-SHA256 Credential=${CRED}, SignedHeaders=x-amz-date;x-amz-target, Signature=${SIG}`;
    refuses(
      () => parse(header(base(), auth)),
      'InvalidSignatureException',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  });

  test('parseSigV4 rejects a request whose signed headers leave out x-amz-date', async () => {
    const auth = `AWS4-HMAC-SHA256 Credential=${CRED}, SignedHeaders=host;x-amz-target, Signature=${SIG}`;
    refuses(
      () => parse(header(base(), auth)),
      'InvalidSignatureException',
      "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
    );
  });

  test('parseSigV4 rejects an unsupported algorithm', async () => {
    const auth = `AWS4-HMAC-SHA512 Credential=${CRED}, SignedHeaders=host;x-amz-date, Signature=${SIG}`;
    refuses(
      () => parse(header(base(), auth)),
      'IncompleteSignatureException',
      "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
    );
  });

  test('parseSigV4 rejects a credential without five parts', async () => {
    const auth = `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/20220830/us-east-1/kms, SignedHeaders=host;x-amz-date, Signature=${SIG}`;
    refuses(
      () => parse(header(base(), auth)),
      'IncompleteSignatureException',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${ACCESS_KEY_ID}/20220830/us-east-1/kms'`,
    );
  });

  test('parseSigV4 rejects a credential scope with the wrong terminator', async () => {
    const auth = `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/20220830/us-east-1/kms/aws5_request, SignedHeaders=host;x-amz-date, Signature=${SIG}`;
    refuses(
      () => parse(header(base(), auth)),
      'InvalidSignatureException',
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'.",
    );
  });

  test('parseSigV4 rejects a credential scope dated another day', async () => {
    const auth = `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/20220829/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=${SIG}`;
    refuses(
      () => parse(header(base(), auth)),
      'InvalidSignatureException',
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20220829' != '20220830', from '20220830T120000Z'.",
    );
  });

  test('parseSigV4 rejects a credential scoped to a region other than the configured one', async () => {
    const req = await signed(kmsEncrypt(), { region: 'us-west-2' });
    refuses(
      () => parse(req, 'us-east-1'),
      'InvalidSignatureException',
      "Credential should be scoped to a valid region, not 'us-west-2'.",
    );
  });

  test('parseSigV4 reports every credential scope problem in one message', async () => {
    const auth = `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/2022/eu-west-1/kms/aws4, SignedHeaders=host;x-amz-date, Signature=${SIG}`;
    refuses(
      () => parse(header(base(), auth), 'us-east-1'),
      'InvalidSignatureException',
      "Credential should be scoped to a valid region, not 'eu-west-1'. " +
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4'. " +
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '2022' != '20220830', from '20220830T120000Z'.",
    );
  });

  test('parseSigV4 rejects a presigned request missing its signature', async () => {
    const req = await presigned({ method: 'GET', query: { Action: 'GetCallerIdentity' } }, 900, { service: 'sts' });
    const rawUrl = req.rawUrl.replace(/&?X-Amz-Signature=[0-9a-f]+/, '');
    refuses(
      () => parse({ ...req, rawUrl }),
      'IncompleteSignatureException',
      "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters.",
    );
  });

  test('parseSigV4 rejects a presigned request with another algorithm as MissingAuthenticationToken', async () => {
    const req = await presigned({ method: 'GET', query: { Action: 'GetCallerIdentity' } }, 900, { service: 'sts' });
    refuses(
      () => parse({ ...req, rawUrl: req.rawUrl.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512') }),
      'MissingAuthenticationTokenException',
      'Request is missing Authentication Token',
    );
  });

  test('parseSigV4 rejects X-Amz-Expires beyond a week', async () => {
    const req = await presigned({ method: 'GET', query: { Action: 'GetCallerIdentity' } }, 900, { service: 'sts' });
    refuses(
      () => parse({ ...req, rawUrl: req.rawUrl.replace('X-Amz-Expires=900', 'X-Amz-Expires=604801') }),
      'IncompleteSignatureException',
      'X-Amz-Expires must be less than a week (in seconds) that is 604800',
    );
  });
});
