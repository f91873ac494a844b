// End-to-end: examples/seed-scenario.sh, the seed scenario with the AWS CLI v2 (/usr/bin/aws)
// against a real server: a role limited to department=finance by the key policy, its decrypts
// allowed, denied and failed, and CloudTrail's lookup-events naming who decrypted what.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, startServerProcess, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type ServerProcess } from '../helpers/server-process.ts';

const SCRIPT = join(REPO_ROOT, 'examples/seed-scenario.sh');
// Debian's CLI v2, not whatever `aws` comes first on PATH (a pyenv shim may be CLI v1).
const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';

let server: ServerProcess;

function runScript(endpoint: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: server.dataDir,
    AWS,
    KONTEXT_ENDPOINT: endpoint,
    SEED_SUFFIX: 'e2e',
    AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
  };
  return new Promise((resolve) => {
    execFile('bash', [SCRIPT], { env, timeout: 120_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

before(async () => {
  server = await startServerProcess();
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

const SESSION_ARN = 'arn:aws:sts::123456789012:assumed-role/FinanceApp-e2e/quarterly-report';

test('seed-scenario.sh: every step succeeds or fails as the key policy and the context say, and CloudTrail tells who decrypted what', async () => {
  const r = await runScript(server.url);
  assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  const line = (re: RegExp) => {
    const found = lines.find((l) => re.test(l));
    assert.ok(found, `no line matching ${re} in:\n${r.stdout}`);
    return found;
  };

  const keyArn = /created key (arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f-]{36})$/.exec(line(/^created key /))?.[1];
  assert.ok(keyArn);
  line(/^created user arn:aws:iam::123456789012:user\/finance-analyst-e2e and role arn:aws:iam::123456789012:role\/FinanceApp-e2e \(trusting the user\)$/);
  line(/^key policy set /);
  assert.equal(line(/^now acting as /), `now acting as ${SESSION_ARN}`);
  line(/^encrypt: OK \(\d+ bytes of ciphertext\)$/);

  // Step 6: allowed, denied by the key policy's condition, and refused by the ciphertext's context.
  assert.equal(line(/^decrypt with the right context/), 'decrypt with the right context (department=finance,customer_id=cust_98765): OK "sensitive-data-here"');
  assert.equal(line(/^decrypt as another department/), 'decrypt as another department (department=engineering,customer_id=cust_98765): FAILED AccessDeniedException');
  assert.equal(line(/^decrypt with a changed customer_id/), 'decrypt with a changed customer_id (department=finance,customer_id=cust_00000): FAILED InvalidCiphertextException');

  // Step 7: the lookup, oldest first: the session ARN, the context, and the error code of each failure.
  const trail = lines.slice(lines.indexOf('== 7. CloudTrail: who decrypted what, when') + 1);
  assert.equal(trail.length, 4, trail.join('\n'));
  const rows = trail.slice(0, 3).map((l) => l.split('  '));
  for (const row of rows) {
    assert.match(row[0]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(row[1], SESSION_ARN);
  }
  assert.deepEqual(rows.map((row) => row.slice(2)), [
    ['Decrypt {customer_id=cust_98765,department=finance}', '-> OK'],
    ['Decrypt {customer_id=cust_98765,department=engineering}', '-> AccessDenied'],
    ['Decrypt {customer_id=cust_00000,department=finance}', '-> InvalidCiphertextException'],
  ]);
  assert.equal(trail[3], '3 Decrypt events for this key');
  assert.equal(r.stdout.split('sensitive-data-here').length - 1, 1, 'the plaintext is printed once, by the allowed decrypt');
});

test('seed-scenario.sh stops with a non-zero exit when the endpoint does not answer', async () => {
  const r = await runScript('http://127.0.0.1:9');
  assert.notEqual(r.code, 0, r.stdout);
  assert.doesNotMatch(r.stdout, /created key/);
  assert.match(r.stderr, /Could not connect to the endpoint URL/);
});
