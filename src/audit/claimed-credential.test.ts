import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimedCredential } from './claimed-credential.ts';

test('claimedCredential() reads the access key and region from a SigV4 Authorization header', () => {
  const header = 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE000000001/20250101/eu-west-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';
  assert.deepEqual(claimedCredential(header, '/'), { accessKeyId: 'AKIAEXAMPLE000000001', region: 'eu-west-1' });
});

test('claimedCredential() reads a presigned query string', () => {
  const url = '/?Action=GetCallerIdentity&X-Amz-Credential=AKIAEXAMPLE000000002%2F20250101%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Signature=x';
  assert.deepEqual(claimedCredential(undefined, url), { accessKeyId: 'AKIAEXAMPLE000000002', region: 'us-east-1' });
});

test('claimedCredential() claims nothing for a request without credentials or with a mangled one', () => {
  assert.deepEqual(claimedCredential(undefined, '/'), { accessKeyId: undefined, region: undefined });
  assert.deepEqual(claimedCredential('Bearer x', '/?X-Amz-Credential=%E0%A4%A'), { accessKeyId: undefined, region: undefined });
});
