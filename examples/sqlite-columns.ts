// Column encryption in SQLite (better-sqlite3) with a per-row encryption context: each encrypted
// cell is bound to its table, column and row id, so a cell copied into another row, or into
// another column, does not decrypt there, even though the same key encrypted both.
//
//   node --import tsx examples/sqlite-columns.ts      (against `kontext server --dev`)

import Database from 'better-sqlite3';
import { CreateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { defineContext } from 'kontext/sdk';
import { isMain, kmsFromEnv, type Log } from './kms-from-env.ts';

export const EncryptedCell = defineContext({
  fields: { table: 'string', column: 'string', row_id: { type: 'number', integer: true } },
});

export async function run(kms: KMSClient, log: Log = console.log): Promise<void> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'patients table columns' }));
  const cells = EncryptedCell.encryptor(kms, KeyMetadata!.KeyId!);
  const db = new Database(':memory:');
  try {
    db.exec('CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT NOT NULL, diagnosis BLOB NOT NULL, insurance_no BLOB NOT NULL)');
    const bind = (column: 'diagnosis' | 'insurance_no', rowId: number) => ({ table: 'patients', column, row_id: rowId });

    const insert = db.prepare('INSERT INTO patients (id, name, diagnosis, insurance_no) VALUES (?, ?, ?, ?)');
    const add = async (id: number, name: string, diagnosis: string, insuranceNo: string) =>
      insert.run(id, name, Buffer.from(await cells.encrypt(diagnosis, bind('diagnosis', id))), Buffer.from(await cells.encrypt(insuranceNo, bind('insurance_no', id))));
    await add(1, 'Ada', 'asthma', 'INS-0001');
    await add(2, 'Grace', 'none', 'INS-0002');

    const cell = (id: number, column: 'diagnosis' | 'insurance_no') =>
      (db.prepare(`SELECT ${column} AS v FROM patients WHERE id = ?`).get(id) as { v: Buffer }).v;
    const read = async (id: number, column: 'diagnosis' | 'insurance_no') => cells.decryptText(cell(id, column), bind(column, id));

    log(`row 1 diagnosis: ${await read(1, 'diagnosis')}`);

    // Someone with write access to the database copies Ada's diagnosis into Grace's row.
    db.prepare('UPDATE patients SET diagnosis = ? WHERE id = 2').run(cell(1, 'diagnosis'));
    try {
      await read(2, 'diagnosis');
      log("Ada's diagnosis was read as Grace's (binding broken!)");
    } catch (err) {
      log(`cell copied to another row: ${(err as Error).name}`);
    }

    // ...or into another column of the same row.
    db.prepare('UPDATE patients SET insurance_no = diagnosis WHERE id = 1').run();
    try {
      await read(1, 'insurance_no');
      log('a diagnosis was read as an insurance number (binding broken!)');
    } catch (err) {
      log(`cell copied to another column: ${(err as Error).name}`);
    }
  } finally {
    db.close();
  }
}

if (isMain(import.meta.url)) {
  const kms = kmsFromEnv();
  await run(kms).finally(() => kms.destroy());
}
