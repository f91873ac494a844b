// End-to-end: `kontext admin root-key|backup|verify-backup|restore`, the real binary against the
// data directory of a real, running server: an online backup that verifies and, restored under
// another server, decrypts what was encrypted before it; root-key information that never shows
// the key; and the refusals and bad inputs.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { runKontext, type CliResult } from '../helpers/kontext-cli.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

let server: ServerProcess;
let work: string;
let kms: KMSClient;
let ciphertext: Uint8Array;
let rootKeyB64: string;
const CONTEXT = { department: 'finance', customer_id: 'cust_98765' };

const kontext = (args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> => runKontext(server.url, work, args, env);

async function okJson(args: string[], env: Record<string, string | undefined> = {}): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await kontext(args, env);
  assert.equal(r.code, 0, `kontext ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

before(async () => {
  server = await startServerProcess();
  work = mkdtempSync(join(tmpdir(), 'kontext-cli-admin-'));
  kms = new KMSClient(server.clientConfig());
  const keyId = (await kms.send(new CreateKeyCommand({ Description: 'before the backup' }))).KeyMetadata!.KeyId!;
  ciphertext = (await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('sensitive-data-here'), EncryptionContext: CONTEXT }))).CiphertextBlob!;
  // The test server runs in dev mode: its root key is the file it generated in its data directory.
  rootKeyB64 = readFileSync(join(server.dataDir, 'root.key'), 'utf8').trim();
});

after(async () => {
  kms?.destroy();
  await server?.stop();
  server?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('admin backup copies a running server\'s database; the copy verifies, and a server started on it decrypts a ciphertext made before the backup', async () => {
  const out = join(work, 'backup.db');
  const backup = await okJson(['admin', 'backup', '--data-dir', server.dataDir, '--out', out, '--verify']);
  assert.equal(backup['Backup'], out);
  assert.equal(backup['From'], join(server.dataDir, 'kontext.db'));
  assert.equal(backup['IntegrityCheck'], 'ok');
  assert.equal(backup['Keys'], 1);
  assert.ok(backup['AuditEvents'] >= 2, `AuditEvents ${backup['AuditEvents']}`);
  assert.ok(backup['Bytes'] > 0);
  assert.match(backup['RootKeyFingerprint'], /^[0-9a-f]{32}$/);
  assert.ok(existsSync(out));
  assert.ok(!existsSync(`${out}-wal`), 'the copy is one self-contained file');

  // The server kept running through the backup.
  const again = await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext, EncryptionContext: CONTEXT }));
  assert.equal(Buffer.from(again.Plaintext!).toString(), 'sensitive-data-here');

  const verified = await okJson(['admin', 'verify-backup', out]);
  assert.equal(verified['IntegrityCheck'], 'ok');
  assert.equal(verified['Keys'], 1);
  assert.equal(verified['AuditEvents'], backup['AuditEvents']);

  const restoredDir = join(work, 'restored');
  const restored = await okJson(['admin', 'restore', '--from', out, '--data-dir', restoredDir], { KONTEXT_ROOT_KEY: rootKeyB64 });
  assert.equal(restored['Restored'], join(restoredDir, 'kontext.db'));
  assert.equal(restored['Replaced'], null);
  assert.equal(restored['RootKeyMatches'], true);

  const second = await startServerProcess({ dataDir: restoredDir, env: { KONTEXT_ROOT_KEY: rootKeyB64 } });
  const kms2 = new KMSClient(second.clientConfig());
  try {
    const { Plaintext } = await kms2.send(new DecryptCommand({ CiphertextBlob: ciphertext, EncryptionContext: CONTEXT }));
    assert.equal(Buffer.from(Plaintext!).toString(), 'sensitive-data-here');
    await assert.rejects(kms2.send(new DecryptCommand({ CiphertextBlob: ciphertext, EncryptionContext: { department: 'hr' } })), { name: 'InvalidCiphertextException' });

    // While that server runs, restore refuses its data directory, --force or not.
    const busy = await kontext(['admin', 'restore', '--from', out, '--data-dir', restoredDir, '--force']);
    assert.equal(busy.code, 252, busy.stderr);
    assert.match(busy.stderr, /a server has .*kontext\.db open: stop it, then restore/);
  } finally {
    kms2.destroy();
    await second.stop();
  }

  // Stopped: a database is there, so only --force replaces it, keeping the old one beside it.
  const refused = await kontext(['admin', 'restore', '--from', out, '--data-dir', restoredDir]);
  assert.equal(refused.code, 252, refused.stderr);
  assert.match(refused.stderr, /already holds a database: --force replaces it/);
  const forcedRun = await kontext(['admin', 'restore', '--from', out, '--data-dir', restoredDir, '--force']);
  assert.equal(forcedRun.code, 0, forcedRun.stderr);
  const forced = JSON.parse(forcedRun.stdout);
  assert.match(forced['Replaced'], /kontext\.db\.replaced-/);
  assert.ok(existsSync(forced['Replaced']));
  assert.equal(forced['RootKeyMatches'], null, 'no root key in this environment for that directory');
  assert.match(forcedRun.stderr, /warning: no root key for this data directory in this environment: start the server with KONTEXT_ROOT_KEY/);
});

test('admin backup taken while the server is answering requests is a consistent snapshot: the copy verifies and its audit chain is intact', async () => {
  const keyId = (await kms.send(new CreateKeyCommand({ Description: 'busy' }))).KeyMetadata!.KeyId!;
  let stop = false;
  let written = 0;
  const load = (async () => {
    while (!stop) {
      await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(`n${written}`), EncryptionContext: { n: String(written) } }));
      written++;
    }
  })();
  try {
    // Let the writes get going, then copy while they continue.
    while (written < 20) await new Promise((r) => setTimeout(r, 10));
    const out = join(work, 'busy.db');
    const before = written;
    const backup = await okJson(['admin', 'backup', '--data-dir', server.dataDir, '--out', out, '--verify']);
    assert.ok(written > before, 'requests were answered while the backup ran');
    assert.equal(backup['IntegrityCheck'], 'ok');

    const dir = join(work, 'busy-restored');
    await okJson(['admin', 'restore', '--from', out, '--data-dir', dir]);
    const verify = await kontext(['audit', 'verify', '--data-dir', dir]);
    assert.equal(verify.code, 0, `audit verify of the copy: ${verify.stdout}${verify.stderr}`);
  } finally {
    stop = true;
    await load;
  }
});

test('admin root-key names the source and a fingerprint, counts what is wrapped, and never prints the key', async () => {
  const keyBytes = Buffer.from(rootKeyB64, 'base64');
  const forms = [rootKeyB64, rootKeyB64.replace(/=+$/, ''), keyBytes.toString('hex'), keyBytes.toString('hex').toUpperCase(), keyBytes.toString('base64url')];
  const noKeyIn = (r: CliResult) => {
    for (const form of forms) {
      assert.ok(!r.stdout.includes(form), 'stdout holds the root key');
      assert.ok(!r.stderr.includes(form), 'stderr holds the root key');
    }
  };

  const dev = await kontext(['admin', 'root-key', '--data-dir', server.dataDir]);
  assert.equal(dev.code, 0, dev.stderr);
  noKeyIn(dev);
  const info = JSON.parse(dev.stdout);
  assert.equal(info.Source, 'dev key file');
  assert.equal(info.File, join(server.dataDir, 'root.key'));
  assert.equal(info.FileMode, '0600');
  assert.match(info.Fingerprint, /^[0-9a-f]{32}$/);
  assert.equal(info.MatchesData, true);
  const keys = (await kms.send(new ListKeysCommand({}))).Keys!.length;
  assert.equal(info.WrappedUnderIt.Keys, keys);
  assert.ok(info.WrappedUnderIt.KeyVersions >= 1);
  assert.ok(info.WrappedUnderIt.AccessKeys >= 1, 'the admin\'s access key');
  assert.equal(info.WrappedUnderIt.AuditSigningKey, true);
  assert.match(dev.stderr, /warning: dev mode: the root key sits in the data directory/);

  // The same key from the environment or from a key file: same fingerprint, other source.
  const fromEnv = await kontext(['admin', 'root-key', '--data-dir', server.dataDir, '--query', '[Source,Fingerprint]', '--output', 'text'], { KONTEXT_ROOT_KEY: rootKeyB64 });
  assert.equal(fromEnv.code, 0, fromEnv.stderr);
  noKeyIn(fromEnv);
  assert.equal(fromEnv.stdout, `KONTEXT_ROOT_KEY\t${info.Fingerprint}\n`);
  const keyFile = join(work, 'root-key.b64');
  writeFileSync(keyFile, `${rootKeyB64}\n`, { mode: 0o600 });
  const fromFile = JSON.parse((await kontext(['admin', 'root-key', '--data-dir', server.dataDir], { KONTEXT_ROOT_KEY_FILE: keyFile })).stdout);
  assert.deepEqual([fromFile.Source, fromFile.File, fromFile.Fingerprint, fromFile.MatchesData], ['KONTEXT_ROOT_KEY_FILE', keyFile, info.Fingerprint, true]);

  // Another key: a different fingerprint, MatchesData false, exit 253; still no key printed.
  const other = randomBytes(32).toString('base64');
  const wrong = await kontext(['admin', 'root-key', '--data-dir', server.dataDir], { KONTEXT_ROOT_KEY: other });
  assert.equal(wrong.code, 253, wrong.stderr);
  assert.ok(!wrong.stdout.includes(other) && !wrong.stderr.includes(other));
  const wrongInfo = JSON.parse(wrong.stdout);
  assert.equal(wrongInfo.MatchesData, false);
  assert.notEqual(wrongInfo.Fingerprint, info.Fingerprint);
  assert.match(wrong.stderr, /the root key does not open this data directory/);
});

test('admin commands refuse bad inputs with a non-zero exit and a message naming the problem', async () => {
  const missingDir = join(work, 'no-such-dir');
  const noDir = await kontext(['admin', 'backup', '--data-dir', missingDir, '--out', join(work, 'x.db')]);
  assert.equal(noDir.code, 252, noDir.stderr);
  assert.match(noDir.stderr, /data directory .*no-such-dir does not exist/);
  assert.equal(noDir.stdout, '');

  const emptyDir = join(work, 'empty');
  mkdirSync(emptyDir);
  const noDb = await kontext(['admin', 'backup', '--data-dir', emptyDir, '--out', join(work, 'x.db')]);
  assert.equal(noDb.code, 252, noDb.stderr);
  assert.match(noDb.stderr, /no Kontext database in .*empty/);
  const noKey = await kontext(['admin', 'root-key', '--data-dir', emptyDir]);
  assert.equal(noKey.code, 253, noKey.stderr);
  assert.match(noKey.stderr, /no root key for .*empty/);

  const unwritable = await kontext(['admin', 'backup', '--data-dir', server.dataDir, '--out', join(work, 'no-such-dir', 'b.db')]);
  assert.equal(unwritable.code, 252, unwritable.stderr);
  assert.match(unwritable.stderr, /cannot write the backup to .*b\.db: it does not exist/);
  const underFile = await kontext(['admin', 'backup', '--data-dir', server.dataDir, '--out', join(server.dataDir, 'root.key', 'b.db')]);
  assert.equal(underFile.code, 252, underFile.stderr);
  assert.match(underFile.stderr, /cannot write the backup to .*b\.db: it is not a directory/);
  const ontoItself = await kontext(['admin', 'backup', '--data-dir', server.dataDir, '--out', join(server.dataDir, 'kontext.db'), '--force']);
  assert.equal(ontoItself.code, 252, ontoItself.stderr);
  assert.match(ontoItself.stderr, /is the database being backed up: write the backup somewhere else/);
  const outIsDir = await kontext(['admin', 'backup', '--data-dir', server.dataDir, '--out', work, '--force']);
  assert.equal(outIsDir.code, 252, outIsDir.stderr);
  assert.match(outIsDir.stderr, /is a directory: --out takes a file name/);

  const existing = join(work, 'existing.db');
  writeFileSync(existing, 'keep me');
  const exists = await kontext(['admin', 'backup', '--data-dir', server.dataDir, '--out', existing]);
  assert.equal(exists.code, 252, exists.stderr);
  assert.match(exists.stderr, /exists: give another --out, or --force to replace it/);
  assert.equal(readFileSync(existing, 'utf8'), 'keep me');

  const notDb = await kontext(['admin', 'verify-backup', existing]);
  assert.notEqual(notDb.code, 0);
  assert.match(notDb.stderr, /is not a Kontext database/);
  const notThere = await kontext(['admin', 'verify-backup', join(work, 'nothing.db')]);
  assert.equal(notThere.code, 252, notThere.stderr);
  assert.match(notThere.stderr, /nothing\.db does not exist/);
  const restoreJunk = await kontext(['admin', 'restore', '--from', existing, '--data-dir', join(work, 'fresh')]);
  assert.notEqual(restoreJunk.code, 0);
  assert.ok(!existsSync(join(work, 'fresh', 'kontext.db')));

  const fromItself = await kontext(['admin', 'restore', '--from', join(server.dataDir, 'kontext.db'), '--data-dir', server.dataDir, '--force']);
  assert.equal(fromItself.code, 252, fromItself.stderr);
  assert.match(fromItself.stderr, /is the database of .* itself: nothing to restore/);
  assert.ok(existsSync(join(server.dataDir, 'kontext.db')));

  const noOut = await kontext(['admin', 'backup', '--data-dir', server.dataDir]);
  assert.equal(noOut.code, 252);
  assert.match(noOut.stderr, /--out/);
});

test('admin verify-backup exits 1 when the copy is corrupted', async () => {
  const out = join(work, 'to-corrupt.db');
  await okJson(['admin', 'backup', '--data-dir', server.dataDir, '--out', out]);
  const bytes = readFileSync(out);
  const pageSize = bytes.readUInt16BE(16) === 1 ? 65536 : bytes.readUInt16BE(16);
  // Garbage over every page after the first (the schema page stays readable).
  for (let i = pageSize; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
  writeFileSync(out, bytes);
  const r = await kontext(['admin', 'verify-backup', out]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.notEqual(JSON.parse(r.stdout).IntegrityCheck, 'ok');
  assert.match(r.stderr, /fails its integrity check/);
});
