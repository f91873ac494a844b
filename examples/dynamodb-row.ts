// An encrypted attribute in a DynamoDB-style table, bound to its table and partition key (the
// pattern of the AWS Database Encryption SDK): a value copied into another row, or into another
// table, does not decrypt there. The table is an in-memory Map here; the binding is the same
// with a real one.
//
//   node --import tsx examples/dynamodb-row.ts      (against `kontext server --dev`)

import { CreateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { defineContext } from 'kontext/sdk';
import { isMain, kmsFromEnv, type Log } from './kms-from-env.ts';

export const EncryptedAttribute = defineContext({
  fields: { table: 'string', partition_key: 'string', attribute: 'string' },
});

interface CustomerRow {
  readonly pk: string;
  readonly name: string;
  /** Encrypted tax id (KMS ciphertext, bound to table + pk + attribute). */
  readonly tax_id: Uint8Array;
}

export async function run(kms: KMSClient, log: Log = console.log): Promise<void> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'customers table attributes' }));
  const attrs = EncryptedAttribute.encryptor(kms, KeyMetadata!.KeyId!);
  const table = 'customers';
  const rows = new Map<string, CustomerRow>();
  const bind = (pk: string) => ({ table, partition_key: pk, attribute: 'tax_id' });

  const put = async (pk: string, name: string, taxId: string) => rows.set(pk, { pk, name, tax_id: await attrs.encrypt(taxId, bind(pk)) });
  const taxIdOf = async (pk: string) => attrs.decryptText(rows.get(pk)!.tax_id, bind(pk));

  await put('CUST#1001', 'Ada', 'DE-123-456');
  await put('CUST#1002', 'Grace', 'US-987-654');
  log(`CUST#1001 tax id: ${await taxIdOf('CUST#1001')}`);

  // An attacker with write access to the table copies Ada's ciphertext into Grace's row.
  rows.set('CUST#1002', { ...rows.get('CUST#1002')!, tax_id: rows.get('CUST#1001')!.tax_id });
  try {
    await taxIdOf('CUST#1002');
    log("Ada's tax id was read as Grace's (binding broken!)");
  } catch (err) {
    log(`ciphertext copied to another row: ${(err as Error).name}`);
  }

  // The same value is refused in another table with the same key.
  const blob = rows.get('CUST#1001')!.tax_id;
  try {
    await attrs.decrypt(blob, { table: 'customers_archive', partition_key: 'CUST#1001', attribute: 'tax_id' });
  } catch (err) {
    log(`ciphertext read as another table's: ${(err as Error).name}`);
  }
}

if (isMain(import.meta.url)) {
  const kms = kmsFromEnv();
  await run(kms).finally(() => kms.destroy());
}
