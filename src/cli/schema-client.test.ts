import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../test/helpers/identity-fixture.ts';
import { signRequest } from './schema-client.ts';

test('signRequest() produces the signature @smithy/signature-v4 produces for the same request', async () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token' };
  const now = new Date('2024-01-15T10:30:00Z');
  const url = new URL('http://127.0.0.1:4599/');
  const body = JSON.stringify({ SchemaName: 'payments' });
  const base = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kontext.GetContextSchema' };
  const mine = signRequest({ url, region: 'eu-west-1', service: 'kontext', headers: base, body, credentials, now });
  const smithy = await new SignatureV4({ service: 'kontext', region: 'eu-west-1', credentials, sha256: Sha256 }).sign(
    { method: 'POST', protocol: 'http:', hostname: url.hostname, port: 4599, path: '/', headers: { ...base, host: url.host }, body },
    { signingDate: now },
  );
  const sig = (auth: string | undefined) => /Signature=([0-9a-f]+)/.exec(auth ?? '')?.[1];
  assert.ok(sig(mine['authorization']));
  assert.equal(sig(mine['authorization']), sig(smithy.headers['authorization']));
});
