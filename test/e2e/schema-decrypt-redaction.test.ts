// End-to-end: with secret detection in warn mode a secret-looking context value is let in, but
// neither its Encrypt nor any later Decrypt writes the value into the audit trail.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { KMSClient, CreateKeyCommand, DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { startServerProcess } from '../helpers/server-process.ts';

const CARD = '4111 1111 1111 1111';

test('Decrypt redacts a secret-looking context value in its audit event (warn mode)', async () => {
  const server = await startServerProcess({ env: { KONTEXT_SECRET_DETECTION: 'warn' } });
  const kms = new KMSClient(server.clientConfig());
  try {
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const ctx = { tenant: 'acme', card: CARD };
    const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: new TextEncoder().encode('p'), EncryptionContext: ctx }));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ctx }));
    assert.equal(new TextDecoder().decode(dec.Plaintext), 'p');
    const db = new Database(join(server.dataDir, 'kontext.db'), { readonly: true, fileMustExist: true });
    let bodies: string[];
    try {
      bodies = db.prepare("SELECT body FROM audit_events ORDER BY seq").pluck().all() as string[];
    } finally {
      db.close();
    }
    const decrypts = bodies.map((b) => JSON.parse(b) as { eventName: string; requestParameters?: { encryptionContext?: Record<string, string> } }).filter((e) => e.eventName === 'Decrypt');
    assert.equal(decrypts.length, 1);
    assert.equal(decrypts[0]!.requestParameters?.encryptionContext?.['tenant'], 'acme');
    assert.match(decrypts[0]!.requestParameters?.encryptionContext?.['card'] ?? '', /^\[REDACTED/);
    assert.ok(!bodies.some((b) => b.includes('4111')), 'no audit event holds the card number');
  } finally {
    kms.destroy();
    await server.stop();
    server.cleanup();
  }
});
