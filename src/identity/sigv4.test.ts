// SigV4 verification against @smithy/signature-v4 (the signer every AWS JS SDK uses), the published
// AWS SigV4 test-suite vectors, and real SDK clients over loopback. Refusals: sigv4-refusals.test.ts.

import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { deriveSigningKey, SigningKeyCache } from './signing-key-cache.ts';
import { verifySigV4, type SignedRequest } from './sigv4.ts';
import { ACCESS_KEY_ID, SECRET, SIGNED_AT, accept, kmsEncrypt, presigned, signed } from './sigv4-test-kit.ts';

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

