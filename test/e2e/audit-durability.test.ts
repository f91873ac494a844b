// End-to-end: the audit trail survives a crash. Clients send requests while the server is killed
// with SIGKILL; after a restart, every request that had been answered has its event, and
// `kontext audit verify` passes on the result.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CreateKeyCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { REPO_ROOT, startServerProcess } from '../helpers/server-process.ts';
import { openSqliteAuditReader } from '../../src/store/sqlite/audit-reader.ts';

async function storedRequestIds(dataDir: string): Promise<Set<string>> {
  const reader = openSqliteAuditReader(join(dataDir, 'kontext.db'));
  const ids = new Set<string>();
  try {
    for (let from = 0; ; ) {
      const rows = await reader.audit.events(from, 2000);
      if (rows.length === 0) break;
      for (const r of rows) ids.add((JSON.parse(r.body) as { requestID: string }).requestID);
      from = rows[rows.length - 1]!.seq + 1;
    }
  } finally {
    reader.close();
  }
  return ids;
}

test('after SIGKILL under load, every acknowledged request has its audit event and the trail verifies', async () => {
  const first = await startServerProcess();
  const dataDir = first.dataDir;
  try {
    const kms = new KMSClient(first.clientConfig());
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const acknowledged: string[] = [];
    let stop = false;
    const client = async (n: number) => {
      const c = new KMSClient(first.clientConfig());
      for (let i = 0; !stop; i++) {
        try {
          const r = await c.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId!, Plaintext: Buffer.from(`msg ${n}/${i}`), EncryptionContext: { client: String(n), n: String(i) } }));
          if (r.$metadata.requestId) acknowledged.push(r.$metadata.requestId);
        } catch {
          return; // the server is gone: this request was never acknowledged
        }
      }
    };
    const clients = Array.from({ length: 16 }, (_, n) => client(n));
    // Kill mid-stream once enough requests were answered (however loaded the machine is).
    const deadline = Date.now() + 20_000;
    while (acknowledged.length < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await first.kill();
    stop = true;
    await Promise.all(clients);
    assert.ok(acknowledged.length > 50, `load was sent (${acknowledged.length} acknowledged)`);

    const second = await startServerProcess({ dataDir });
    try {
      const stored = await storedRequestIds(dataDir);
      const lost = acknowledged.filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged requests have no audit event`);
      const verify = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), 'audit', 'verify', '--data-dir', dataDir], { cwd: REPO_ROOT, encoding: 'utf8' });
      assert.equal(verify.status, 0, verify.stdout + verify.stderr);
      assert.match(verify.stdout, /Audit trail verified/);
      // The restarted server sealed what the crash left unsealed.
      assert.doesNotMatch(verify.stdout, /not yet signed/);
    } finally {
      await second.stop();
    }
  } finally {
    first.cleanup();
  }
});
