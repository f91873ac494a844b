// The examples in examples/ run against a real server: each through its run() function, and
// one as a script the way the README tells people to run them.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KMSClient } from '@aws-sdk/client-kms';
import { REPO_ROOT, startServerProcess, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type ServerProcess } from '../helpers/server-process.ts';
import { run as multiTenant } from '../../examples/multi-tenant-saas.ts';
import { run as fileEncryption } from '../../examples/file-encryption.ts';
import { run as dynamoRow } from '../../examples/dynamodb-row.ts';
import { run as sqliteColumns } from '../../examples/sqlite-columns.ts';
import { run as purposeTokens } from '../../examples/purpose-tokens.ts';

let server: ServerProcess;
let kms: KMSClient;

before(async () => {
  server = await startServerProcess();
  kms = new KMSClient(server.clientConfig());
});

after(async () => {
  kms?.destroy();
  await server?.stop();
  server?.cleanup();
});

async function lines(run: (kms: KMSClient, log: (l: string) => void) => Promise<void>): Promise<string[]> {
  const out: string[] = [];
  await run(kms, (l) => out.push(l));
  return out;
}

describe('examples', () => {
  test('multi-tenant SaaS: a tenant cannot read another tenant\'s data, and the key policy requires a tenant_id', async () => {
    assert.deepEqual(await lines(multiTenant), [
      'acme reads its note: Q3 pricing draft',
      "globex reading acme's note: InvalidCiphertextException",
      'encrypt without tenant_id: AccessDeniedException',
      'binding proven: 10 wrong contexts refused',
    ]);
  });

  test('file encryption: a file moved to another path does not decrypt', async () => {
    assert.deepEqual(await lines(fileEncryption), ['report decrypts at its path: true', "the report moved to the flyer's path: InvalidCiphertextException"]);
  });

  test('DynamoDB-style row: a ciphertext copied to another row or table does not decrypt', async () => {
    assert.deepEqual(await lines(dynamoRow), [
      'CUST#1001 tax id: DE-123-456',
      'ciphertext copied to another row: InvalidCiphertextException',
      "ciphertext read as another table's: InvalidCiphertextException",
    ]);
  });

  test('SQLite columns: a cell copied to another row or column does not decrypt', async () => {
    assert.deepEqual(await lines(sqliteColumns), [
      'row 1 diagnosis: asthma',
      'cell copied to another row: InvalidCiphertextException',
      'cell copied to another column: InvalidCiphertextException',
    ]);
  });

  test('purpose-bound tokens: a token used for the wrong purpose or user fails', async () => {
    assert.deepEqual(await lines(purposeTokens), [
      'session token accepted for web_session: user_42',
      'reset token accepted for password_reset: user_42',
      'token used for password_reset: InvalidCiphertextException',
      'token used for web_session: InvalidCiphertextException',
      'session token presented for another user: InvalidCiphertextException',
    ]);
  });

  test('an example runs as a script with the environment the dev server prints', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'examples/dynamodb-row.ts')], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: server.dataDir,
        AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
        AWS_REGION: 'us-east-1',
        KONTEXT_ENDPOINT: server.url,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      timeout: 60_000,
    });
    assert.match(stdout, /ciphertext copied to another row: InvalidCiphertextException/);
  });
});
