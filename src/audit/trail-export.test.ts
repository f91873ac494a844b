import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ACCOUNT, openSink, record, testSigner, trustedKeys } from './audit-test-kit.ts';
import { exportTrail, exportTrailSource, readExportPublicKey } from './trail-export.ts';
import { verifyTrail } from './verify-trail.ts';

async function exported(): Promise<string> {
  const { store, sink } = await openSink({ digestEveryEvents: 4 });
  for (let i = 1; i <= 9; i++) {
    await sink.record(record({ context: { customer_id: `cust_${i}` } }));
    await new Promise((r) => setImmediate(r));
  }
  await sink.close();
  const dir = mkdtempSync(join(tmpdir(), 'kontext-export-'));
  await exportTrail(store.audit, (await testSigner()).publicKey, dir, { accountId: ACCOUNT, eventsPerFile: 5 });
  return dir;
}

const logFiles = (dir: string) => readdirSync(join(dir, 'CloudTrail')).sort().map((f) => join(dir, 'CloudTrail', f));
const readLog = (file: string) => JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { Records: Array<Record<string, unknown>>; kontextChain: { firstSequence: number; hashes: string[] } };
const writeLog = (file: string, content: unknown) => writeFileSync(file, gzipSync(JSON.stringify(content)));

test('exportTrail() writes CloudTrail-style gzip log files that verify offline with the exported key', async () => {
  const dir = await exported();
  try {
    const files = logFiles(dir);
    assert.equal(files.length, 2);
    assert.match(files[0] as string, new RegExp(`${ACCOUNT}_CloudTrail_kontext_\\d{8}T\\d{4}Z_000000000001-5\\.json\\.gz$`));
    const log = readLog(files[0] as string);
    assert.equal(log.Records.length, 5);
    assert.equal(log.Records[0]?.['eventName'], 'Decrypt');
    const key = readExportPublicKey(dir);
    assert.equal(key.fingerprint, (await testSigner()).fingerprint);
    const report = await verifyTrail(exportTrailSource(dir), new Map([[key.fingerprint, key.key]]));
    assert.deepEqual(report.problems, []);
    assert.equal(report.eventsChecked, 9);
    assert.equal(report.digestsChecked, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('verifying an export names an edited, a removed and a reordered record', async () => {
  const dir = await exported();
  try {
    const file = logFiles(dir)[1] as string;
    const original = readLog(file);
    const verify = async () => (await verifyTrail(exportTrailSource(dir), await trustedKeys())).problems[0];

    writeLog(file, { ...original, Records: original.Records.map((r, i) => (i === 1 ? { ...r, sourceIPAddress: '203.0.113.9' } : r)) });
    assert.deepEqual([(await verify())?.kind, (await verify())?.seq], ['edited', 7]);

    writeLog(file, { ...original, Records: original.Records.filter((_, i) => i !== 1) });
    assert.deepEqual([(await verify())?.kind, (await verify())?.seq], ['missing', 7]);

    const swapped = [...original.Records];
    [swapped[1], swapped[2]] = [swapped[2] as Record<string, unknown>, swapped[1] as Record<string, unknown>];
    writeLog(file, { ...original, Records: swapped });
    assert.deepEqual([(await verify())?.kind, (await verify())?.seq], ['reordered', 7]);

    rmSync(file);
    assert.deepEqual([(await verify())?.kind, (await verify())?.seq], ['truncated', 6]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('verifying an export catches a forged digest signature', async () => {
  const dir = await exported();
  try {
    const sig = readdirSync(join(dir, 'CloudTrail-Digest')).find((f) => f.endsWith('.sig')) as string;
    const path = join(dir, 'CloudTrail-Digest', sig);
    const hex = readFileSync(path, 'utf8').trim();
    writeFileSync(path, (hex.startsWith('0') ? '1' : '0') + hex.slice(1));
    const report = await verifyTrail(exportTrailSource(dir), await trustedKeys());
    assert.equal(report.problems[0]?.kind, 'digest-signature');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
