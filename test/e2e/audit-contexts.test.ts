// End-to-end: the context usage report (Kontext.GetContextUsage, `kontext audit contexts`) after
// Encrypts with the real @aws-sdk/client-kms lists each context key with its distinct value count.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMSClient, CreateKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { runKontext, type CliResult } from '../helpers/kontext-cli.ts';


let server: ServerProcess;
let kms: KMSClient;
let work: string;

function cli(...args: string[]): Promise<CliResult> {
  return runKontext(server.url, work, args);
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'kontext-contexts-'));
  server = await startServerProcess();
  kms = new KMSClient(server.clientConfig());
});

after(async () => {
  kms?.destroy();
  await server?.stop();
  server?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('after Encrypts with {tenant, purpose}, `kontext audit contexts` lists both keys with their distinct value counts', async () => {
  const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
  const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
  const plaintext = new TextEncoder().encode('data');
  for (const [tenant, purpose] of [['acme', 'billing'], ['globex', 'billing'], ['initech', 'reports'], ['acme', 'reports'], ['acme', 'billing']] as const) {
    await kms.send(new EncryptCommand({ KeyId: key.KeyId!, Plaintext: plaintext, EncryptionContext: { tenant, purpose } }));
  }
  // Another key's traffic is not counted.
  await kms.send(new EncryptCommand({ KeyId: other.KeyId!, Plaintext: plaintext, EncryptionContext: { tenant: 'umbrella', region: 'eu' } }));

  const r = await cli('audit', 'contexts', '--key-id', key.KeyId!, '--output', 'json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { KeyArn: string; Keys: Array<{ Key: string; DistinctValues: number; Events: number; SampleValues: string[] }>; Truncated?: boolean };
  assert.equal(out.KeyArn, key.Arn);
  assert.equal(out.Truncated, undefined);
  assert.deepEqual(out.Keys.map((k) => [k.Key, k.DistinctValues, k.Events]), [['purpose', 2, 5], ['tenant', 3, 5]]);
  assert.deepEqual([...out.Keys.find((k) => k.Key === 'tenant')!.SampleValues].sort(), ['acme', 'globex', 'initech']);

  // A time range that ends before the traffic finds nothing.
  const none = await cli('audit', 'contexts', '--key-id', key.KeyId!, '--end-time', '2000-01-01T00:00:00Z', '--output', 'json');
  assert.equal(none.code, 0, none.stderr);
  assert.deepEqual(JSON.parse(none.stdout).Keys, []);
});
