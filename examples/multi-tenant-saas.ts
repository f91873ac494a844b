// Multi-tenant SaaS: one key for every tenant, each tenant's data bound to its tenant_id. A
// process serving one tenant cannot read another tenant's data, and the key policy refuses any
// use of the key without a tenant_id in the context, so a code path that forgets it fails loudly.
//
//   node --import tsx examples/multi-tenant-saas.ts      (against `kontext server --dev`)

import { CreateKeyCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { assertContextBound, defineContext } from 'kontext/sdk';
import { isMain, kmsFromEnv, type Log } from './kms-from-env.ts';

export const TenantNote = defineContext({
  fields: { tenant_id: { type: 'string', pattern: /^tenant_[a-z0-9]+$/ } },
  fixed: { app: 'notes-saas' },
});

/** The default key policy plus: no Encrypt/Decrypt/GenerateDataKey without a tenant_id in the context. */
export function tenantKeyPolicy(accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'Every use names a tenant',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
        Resource: '*',
        Condition: { Null: { 'kms:EncryptionContext:tenant_id': 'true' } },
      },
    ],
  });
}

export async function run(kms: KMSClient, log: Log = console.log, accountId = '123456789012'): Promise<void> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'notes-saas tenant data', Policy: tenantKeyPolicy(accountId) }));
  const notes = TenantNote.encryptor(kms, KeyMetadata!.KeyId!);

  const acme = await notes.encrypt('Q3 pricing draft', { tenant_id: 'tenant_acme' });
  log(`acme reads its note: ${await notes.decryptText(acme, { tenant_id: 'tenant_acme' })}`);

  try {
    await notes.decrypt(acme, { tenant_id: 'tenant_globex' });
    log('globex read acme data (binding broken!)');
  } catch (err) {
    log(`globex reading acme's note: ${(err as Error).name}`);
  }

  try {
    await kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId!, Plaintext: new TextEncoder().encode('no tenant') }));
    log('encrypt without tenant_id succeeded (policy not enforced!)');
  } catch (err) {
    log(`encrypt without tenant_id: ${(err as Error).name}`);
  }

  const report = await assertContextBound(notes, { tenant_id: 'tenant_acme' }, { refusedWith: ['InvalidCiphertextException', 'AccessDeniedException'] });
  log(`binding proven: ${report.checks.length} wrong contexts refused`);
}

if (isMain(import.meta.url)) {
  const kms = kmsFromEnv();
  await run(kms).finally(() => kms.destroy());
}
