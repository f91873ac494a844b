import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { RequestSigner, amzDateOf, payloadHash } from './request-signer.ts';

// A node:crypto hash constructor in the shape smithy's SignatureV4 expects.
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: SourceData): string | Uint8Array =>
  typeof d === 'string' ? d : d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

class Sha256 {
  readonly #secret: SourceData | undefined;
  #h;
  constructor(secret?: SourceData) {
    this.#secret = secret;
    this.#h = this.#fresh();
  }
  #fresh() {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.#secret));
  }
  update(data: SourceData): void {
    this.#h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.#h.digest();
  }
  reset(): void {
    this.#h = this.#fresh();
  }
}

const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const when = Date.UTC(2024, 5, 1, 12, 34, 56);
const body = JSON.stringify({ KeyId: 'alias/bench', Plaintext: 'aGVsbG8=', EncryptionContext: { a: '1' } });

async function smithyAuthorization(sessionToken?: string): Promise<string> {
  const signer = new SignatureV4({ service: 'kms', region: 'us-east-1', sha256: Sha256, applyChecksum: false, credentials: sessionToken ? { ...creds, sessionToken } : creds });
  const headers: Record<string, string> = {
    host: '127.0.0.1:4599',
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'TrentService.Encrypt',
  };
  const signed = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 4599, path: '/', headers, body },
    { signingDate: new Date(when) },
  );
  return signed.headers['authorization'] as string;
}

test('amzDateOf() formats the SigV4 request time', () => {
  assert.equal(amzDateOf(when), '20240601T123456Z');
});

test('RequestSigner.signJson() produces the signature smithy SignatureV4 produces', async () => {
  const ours = new RequestSigner(creds, 'us-east-1', 'kms').signJson('127.0.0.1:4599', 'TrentService.Encrypt', payloadHash(body), when);
  assert.equal(ours.authorization, await smithyAuthorization());
  assert.equal(ours.amzDate, '20240601T123456Z');
});

test('RequestSigner.signJson() signs the session token of temporary credentials', async () => {
  const token = 'FwoGZXIvYXdzEXAMPLETOKEN';
  const ours = new RequestSigner({ ...creds, sessionToken: token }, 'us-east-1', 'kms').signJson('127.0.0.1:4599', 'TrentService.Encrypt', payloadHash(body), when);
  assert.equal(ours.authorization, await smithyAuthorization(token));
  assert.match(ours.headerLines, /X-Amz-Security-Token: FwoGZXIvYXdzEXAMPLETOKEN\r\n/);
});

test('RequestSigner.signJson() re-signs when the second changes', () => {
  const signer = new RequestSigner(creds, 'us-east-1', 'kms');
  const a = signer.signJson('h', 'TrentService.Encrypt', payloadHash(body), when);
  const b = signer.signJson('h', 'TrentService.Encrypt', payloadHash(body), when + 1000);
  assert.notEqual(a.authorization, b.authorization);
  assert.equal(b.amzDate, '20240601T123457Z');
});
