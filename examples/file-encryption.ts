// Files encrypted at rest, each bound to its path: an encrypted file copied or moved to another
// path does not decrypt there, so a swapped file is detected instead of silently served. Files
// may be large, so this uses envelope encryption (one data key per file, AES-256-GCM locally).
//
//   node --import tsx examples/file-encryption.ts      (against `kontext server --dev`)

import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CreateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { defineContext } from 'kontext/sdk';
import { isMain, kmsFromEnv, type Log } from './kms-from-env.ts';

export const StoredFile = defineContext({
  fields: { path: 'string' },
  fixed: { purpose: 'file-at-rest' },
});

export async function run(kms: KMSClient, log: Log = console.log): Promise<void> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'file store' }));
  const files = StoredFile.envelopeEncryptor(kms, KeyMetadata!.KeyId!);
  const root = mkdtempSync(join(tmpdir(), 'kontext-files-'));
  try {
    // Paths are stored relative to the store root, so the store can move as a whole.
    const write = async (file: string, data: Uint8Array) => writeFileSync(file, await files.encrypt(data, { path: relative(root, file) }));
    const read = async (file: string) => files.decrypt(readFileSync(file), { path: relative(root, file) });

    const report = Buffer.alloc(2 * 1024 * 1024, 'quarterly report ');
    await write(join(root, 'finance-report.pdf'), report);
    await write(join(root, 'public-flyer.pdf'), Buffer.from('come to our open day'));
    log(`report decrypts at its path: ${Buffer.from(await read(join(root, 'finance-report.pdf'))).equals(report)}`);

    // Someone swaps the files on disk: each is now at the other's path.
    renameSync(join(root, 'finance-report.pdf'), join(root, 'tmp'));
    renameSync(join(root, 'public-flyer.pdf'), join(root, 'finance-report.pdf'));
    renameSync(join(root, 'tmp'), join(root, 'public-flyer.pdf'));
    try {
      await read(join(root, 'public-flyer.pdf'));
      log('the swapped report was served as the flyer (binding broken!)');
    } catch (err) {
      log(`the report moved to the flyer's path: ${(err as Error).name}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const kms = kmsFromEnv();
  await run(kms).finally(() => kms.destroy());
}
