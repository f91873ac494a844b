// SigV4 refusals, one test per case: tampering, clock skew, malformed authentication.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { KontextError } from '../errors.ts';
import { SigningKeyCache } from './signing-key-cache.ts';
import { parseSigV4, SIGNATURE_MISMATCH_MESSAGE, verifySigV4, type SignedRequest } from './sigv4.ts';
import { ACCESS_KEY_ID, OTHER_SECRET, SECRET, SIGNED_AT, accept, authorizationOf, kmsEncrypt, presigned, refuses, signed, withHeader } from './sigv4-test-kit.ts';

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
