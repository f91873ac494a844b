// End-to-end: the real `kontext` binary (bin/kontext.js) against a real server process, verb by
// verb, compared with what the AWS CLI v2 (/usr/bin/aws, Debian's awscli) prints for the same
// calls, plus its failure exits.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, startServerProcess, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type ServerProcess } from '../helpers/server-process.ts';

const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const BIN = join(REPO_ROOT, 'bin/kontext.js');

let server: ServerProcess;
let work: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: work,
    AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    KONTEXT_ENDPOINT: server.url,
    ...(process.env['TZ'] ? { TZ: process.env['TZ'] } : {}),
    ...extra,
  };
}

function exec(file: string, args: string[], extraEnv?: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env: env(extraEnv), timeout: 60_000, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const kontext = (...args: string[]) => exec(process.execPath, [BIN, ...args]);
const aws = (...args: string[]) => exec(AWS, ['kms', ...args, '--endpoint-url', server.url]);

/** Runs kontext and expects success; returns stdout. */
async function ok(...args: string[]): Promise<string> {
  const r = await kontext(...args);
  assert.equal(r.code, 0, `kontext ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}
const okJson = async (...args: string[]) => JSON.parse(await ok(...args)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function awsOut(...args: string[]): Promise<string> {
  const r = await aws(...args);
  assert.equal(r.code, 0, `aws kms ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** The key paths of a JSON document, in order, values left out. */
function shapeOf(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) return v.length ? shapeOf(v[0], `${path}[]`) : [`${path}[]`];
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [`${path}.${k}`, ...shapeOf(x, `${path}.${k}`)]);
  return [];
}

before(async () => {
  server = await startServerProcess();
  work = mkdtempSync(join(tmpdir(), 'kontext-cli-'));
});

after(async () => {
  await server?.stop();
  server?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('kontext KMS verbs', () => {
  let keyId: string;

  test('create-key prints KeyMetadata with the same JSON keys, in the same order, as aws kms create-key', async () => {
    const mine = await okJson('create-key', '--description', 'cli orders', '--tags', 'TagKey=team,TagValue=payments', 'TagKey=env,TagValue=test');
    const theirs = JSON.parse(await awsOut('create-key', '--description', 'aws orders'));
    assert.deepEqual(shapeOf(mine), shapeOf(theirs));
    keyId = mine['KeyMetadata'].KeyId;
    assert.match(keyId, /^[0-9a-f-]{36}$/);
    assert.match(mine['KeyMetadata'].CreationDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?[+-]\d\d:\d\d$/);
    assert.equal(mine['KeyMetadata'].Description, 'cli orders');
  });

  test('describe-key prints exactly what aws kms describe-key prints, as JSON and as text', async () => {
    assert.equal(await ok('describe-key', '--key-id', keyId), await awsOut('describe-key', '--key-id', keyId));
    assert.equal(await ok('describe-key', '--key-id', keyId, '--output', 'text'), await awsOut('describe-key', '--key-id', keyId, '--output', 'text'));
  });

  test('encrypt with a shorthand context, then decrypt the raw bytes with fileb:// and the context in another order', async () => {
    const blobB64 = (
      await ok('encrypt', '--key-id', keyId, '--plaintext', 'sensitive-data-here', '--encryption-context', 'department=finance,customer_id=cust_98765', '--query', 'CiphertextBlob', '--output', 'text')
    ).trim();
    const file = join(work, 'secret.bin');
    writeFileSync(file, Buffer.from(blobB64, 'base64'));
    const out = await okJson('decrypt', '--ciphertext-blob', `fileb://${file}`, '--encryption-context', '{"customer_id":"cust_98765","department":"finance"}');
    assert.equal(Buffer.from(out['Plaintext'], 'base64').toString(), 'sensitive-data-here');
    assert.equal(out['KeyId'], `arn:aws:kms:us-east-1:123456789012:key/${keyId}`);
    assert.deepEqual(Object.keys(out), ['KeyId', 'Plaintext', 'EncryptionAlgorithm']);
    // The AWS CLI decrypts what kontext encrypted.
    const viaAws = JSON.parse(await awsOut('decrypt', '--ciphertext-blob', `fileb://${file}`, '--encryption-context', 'department=finance,customer_id=cust_98765'));
    assert.equal(viaAws.Plaintext, out['Plaintext']);
  });

  test('decrypt with the wrong context prints the AWS error line and exits 254, as aws does', async () => {
    const file = join(work, 'wrong.bin');
    const blob = (await ok('encrypt', '--key-id', keyId, '--plaintext', 'x', '--encryption-context', 'department=finance', '--query', 'CiphertextBlob', '--output', 'text')).trim();
    writeFileSync(file, Buffer.from(blob, 'base64'));
    const mine = await kontext('decrypt', '--ciphertext-blob', `fileb://${file}`, '--encryption-context', 'department=hr');
    const theirs = await aws('decrypt', '--ciphertext-blob', `fileb://${file}`, '--encryption-context', 'department=hr');
    assert.equal(mine.code, 254);
    assert.equal(theirs.code, 254);
    assert.equal(mine.stdout, '');
    assert.equal(mine.stderr, '\nAn error occurred (InvalidCiphertextException) when calling the Decrypt operation: \n');
    assert.equal(mine.stderr, theirs.stderr);
  });

  test('decrypt takes the base64 ciphertext encrypt printed, and --plaintext takes base64 with --cli-binary-format base64', async () => {
    const blob = (await ok('encrypt', '--key-id', keyId, '--plaintext', 'aGVsbG8=', '--cli-binary-format', 'base64', '--query', 'CiphertextBlob', '--output', 'text')).trim();
    const pt = (await ok('decrypt', '--ciphertext-blob', blob, '--query', 'Plaintext', '--output', 'text')).trim();
    assert.equal(Buffer.from(pt, 'base64').toString(), 'hello');
  });

  test('re-encrypt moves a ciphertext to another key and context', async () => {
    const other = (await ok('create-key', '--query', 'KeyMetadata.KeyId', '--output', 'text')).trim();
    const blob = (await ok('encrypt', '--key-id', keyId, '--plaintext', 'move me', '--encryption-context', 'tenant=acme', '--query', 'CiphertextBlob', '--output', 'text')).trim();
    const moved = await okJson('re-encrypt', '--ciphertext-blob', blob, '--source-encryption-context', 'tenant=acme', '--destination-key-id', other, '--destination-encryption-context', 'tenant=acme,v=2');
    assert.equal(moved['SourceKeyId'], `arn:aws:kms:us-east-1:123456789012:key/${keyId}`);
    assert.equal(moved['KeyId'], `arn:aws:kms:us-east-1:123456789012:key/${other}`);
    const pt = (await ok('decrypt', '--ciphertext-blob', moved['CiphertextBlob'], '--encryption-context', 'tenant=acme,v=2', '--query', 'Plaintext', '--output', 'text')).trim();
    assert.equal(Buffer.from(pt, 'base64').toString(), 'move me');
  });

  test('generate-data-key, generate-data-key-without-plaintext and generate-random', async () => {
    const dk = await okJson('generate-data-key', '--key-id', keyId, '--key-spec', 'AES_256', '--encryption-context', 'tenant=acme');
    assert.equal(Buffer.from(dk['Plaintext'], 'base64').length, 32);
    assert.deepEqual(Object.keys(dk), ['CiphertextBlob', 'Plaintext', 'KeyId']);
    const back = (await ok('decrypt', '--ciphertext-blob', dk['CiphertextBlob'], '--encryption-context', 'tenant=acme', '--query', 'Plaintext', '--output', 'text')).trim();
    assert.equal(back, dk['Plaintext']);
    const wp = await okJson('generate-data-key-without-plaintext', '--key-id', keyId, '--number-of-bytes', '16');
    assert.equal(wp['Plaintext'], undefined);
    const rnd = (await ok('generate-random', '--number-of-bytes', '24', '--query', 'Plaintext', '--output', 'text')).trim();
    assert.equal(Buffer.from(rnd, 'base64').length, 24);
  });

  test('aliases: create, list (same output as aws), update, delete', async () => {
    await ok('create-alias', '--alias-name', 'alias/cli-orders', '--target-key-id', keyId);
    assert.equal(await ok('list-aliases'), await awsOut('list-aliases'));
    assert.equal(await ok('list-aliases', '--output', 'text'), await awsOut('list-aliases', '--output', 'text'));
    const target = (await ok('list-aliases', '--query', "Aliases[?AliasName=='alias/cli-orders'].TargetKeyId | [0]", '--output', 'text')).trim();
    assert.equal(target, keyId);
    const other = (await ok('create-key', '--query', 'KeyMetadata.KeyId', '--output', 'text')).trim();
    assert.equal(await ok('update-alias', '--alias-name', 'alias/cli-orders', '--target-key-id', other), '');
    assert.equal((await ok('describe-key', '--key-id', 'alias/cli-orders', '--query', 'KeyMetadata.KeyId', '--output', 'text')).trim(), other);
    assert.deepEqual((await okJson('list-aliases', '--key-id', other))['Aliases'].map((a: { AliasName: string }) => a.AliasName), ['alias/cli-orders']);
    await ok('delete-alias', '--alias-name', 'alias/cli-orders');
    const gone = await kontext('describe-key', '--key-id', 'alias/cli-orders');
    assert.equal(gone.code, 254);
    assert.match(gone.stderr, /An error occurred \(NotFoundException\) when calling the DescribeKey operation: .*alias\/cli-orders/);
  });

  test('tags: tag-resource, list-resource-tags (same as aws), untag-resource', async () => {
    await ok('tag-resource', '--key-id', keyId, '--tags', 'TagKey=owner,TagValue=ana', 'TagKey=cost,TagValue=42');
    assert.equal(await ok('list-resource-tags', '--key-id', keyId), await awsOut('list-resource-tags', '--key-id', keyId));
    assert.equal(await ok('list-resource-tags', '--key-id', keyId, '--output', 'text'), await awsOut('list-resource-tags', '--key-id', keyId, '--output', 'text'));
    await ok('untag-resource', '--key-id', keyId, '--tag-keys', 'owner', 'cost');
    const tags = await okJson('list-resource-tags', '--key-id', keyId);
    assert.deepEqual(tags['Tags'].map((t: { TagKey: string }) => t.TagKey).sort(), ['env', 'team']);
  });

  test('rotation: enable with a period, status, rotate on demand, list rotations, disable', async () => {
    await ok('enable-key-rotation', '--key-id', keyId, '--rotation-period-in-days', '90');
    const status = await okJson('get-key-rotation-status', '--key-id', keyId);
    assert.equal(status['KeyRotationEnabled'], true);
    assert.equal(status['RotationPeriodInDays'], 90);
    assert.equal(await ok('get-key-rotation-status', '--key-id', keyId, '--query', 'KeyRotationEnabled', '--output', 'text'), 'True\n');
    const rotated = await okJson('rotate-key-on-demand', '--key-id', keyId);
    assert.ok(String(rotated['KeyId']).endsWith(keyId), rotated['KeyId']);
    const rotations = await okJson('list-key-rotations', '--key-id', keyId);
    assert.equal(rotations['Rotations'].length, 1);
    assert.equal(rotations['Rotations'][0].RotationType, 'ON_DEMAND');
    assert.equal(rotations['Truncated'], undefined, 'merged pages drop Truncated');
    await ok('disable-key-rotation', '--key-id', keyId);
    assert.equal((await okJson('get-key-rotation-status', '--key-id', keyId))['KeyRotationEnabled'], false);
  });

  test('key policies: get (policy text via --query), list (same as aws), put from file://', async () => {
    const policy = JSON.parse(await ok('get-key-policy', '--key-id', keyId, '--policy-name', 'default', '--query', 'Policy', '--output', 'text'));
    assert.equal(policy.Version, '2012-10-17');
    assert.equal(await ok('list-key-policies', '--key-id', keyId), await awsOut('list-key-policies', '--key-id', keyId));
    policy.Statement[0].Sid = 'Kontext CLI test';
    const file = join(work, 'policy.json');
    writeFileSync(file, JSON.stringify(policy));
    assert.equal(await ok('put-key-policy', '--key-id', keyId, '--policy-name', 'default', '--policy', `file://${file}`), '');
    const back = JSON.parse((await okJson('get-key-policy', '--key-id', keyId))['Policy']);
    assert.equal(back.Statement[0].Sid, 'Kontext CLI test');
  });

  test('key states: disable, enable, schedule and cancel deletion, update description', async () => {
    const k = (await ok('create-key', '--query', 'KeyMetadata.KeyId', '--output', 'text')).trim();
    await ok('disable-key', '--key-id', k);
    const enc = await kontext('encrypt', '--key-id', k, '--plaintext', 'x');
    assert.equal(enc.code, 254);
    assert.match(enc.stderr, /\(DisabledException\) when calling the Encrypt operation/);
    await ok('enable-key', '--key-id', k);
    await ok('update-key-description', '--key-id', k, '--description', 'renamed');
    const sched = await okJson('schedule-key-deletion', '--key-id', k, '--pending-window-in-days', '7');
    assert.equal(sched['KeyState'], 'PendingDeletion');
    assert.equal(sched['PendingWindowInDays'], 7);
    assert.match(sched['DeletionDate'], /^\d{4}-\d\d-\d\dT/);
    await ok('cancel-key-deletion', '--key-id', k);
    const md = (await okJson('describe-key', '--key-id', k))['KeyMetadata'];
    assert.equal(md.KeyState, 'Disabled');
    assert.equal(md.Description, 'renamed');
  });

  test('list-keys merges all pages like aws; --limit returns one page with its marker', async () => {
    assert.equal(await ok('list-keys'), await awsOut('list-keys'));
    assert.equal(await ok('list-keys', '--output', 'text'), await awsOut('list-keys', '--output', 'text'));
    const page = await okJson('list-keys', '--limit', '1');
    assert.equal(page['Keys'].length, 1);
    assert.equal(page['Truncated'], true);
    const next = await okJson('list-keys', '--limit', '1', '--marker', page['NextMarker']);
    assert.notEqual(next['Keys'][0].KeyId, page['Keys'][0].KeyId);
    assert.deepEqual(await okJson('list-keys', '--limit', '1'), JSON.parse(await awsOut('list-keys', '--limit', '1')));
  });

  test('grant verbs reach the server: the answer is printed, an error as the AWS error line with exit 254', async () => {
    const r = await kontext('create-grant', '--key-id', keyId, '--grantee-principal', 'arn:aws:iam::123456789012:root', '--operations', 'Decrypt', 'Encrypt',
      '--constraints', 'EncryptionContextSubset={department=finance}');
    if (r.code === 0) {
      assert.match(JSON.parse(r.stdout).GrantId, /\S/);
    } else {
      assert.equal(r.code, 254, r.stderr);
      assert.match(r.stderr, /^\nAn error occurred \(\w+\) when calling the CreateGrant operation: /);
    }
    const list = await kontext('list-grants', '--key-id', keyId);
    if (list.code !== 0) assert.match(list.stderr, /when calling the ListGrants operation/);
  });

  test('--cli-input-json supplies parameters and flags override it', async () => {
    const file = join(work, 'input.json');
    writeFileSync(file, JSON.stringify({ KeyId: 'alias/does-not-matter', Plaintext: Buffer.from('from json').toString('base64') }));
    const blob = (await ok('encrypt', '--cli-input-json', `file://${file}`, '--key-id', keyId, '--query', 'CiphertextBlob', '--output', 'text')).trim();
    const pt = (await ok('decrypt', '--ciphertext-blob', blob, '--query', 'Plaintext', '--output', 'text')).trim();
    assert.equal(Buffer.from(pt, 'base64').toString(), 'from json');
  });
});

describe('kontext failure exits', () => {
  test('a missing required flag exits 252 naming the flag', async () => {
    const r = await kontext('encrypt', '--plaintext', 'x');
    assert.equal(r.code, 252);
    assert.match(r.stderr, /the following arguments are required: --key-id/);
  });

  test('an unknown flag, a malformed context and a bad --query exit 252 before any request', async () => {
    const unknown = await kontext('describe-key', '--key-id', 'k', '--bogus');
    assert.equal(unknown.code, 252);
    assert.match(unknown.stderr, /unknown option '--bogus'/);
    const ctx = await kontext('encrypt', '--key-id', 'k', '--plaintext', 'x', '--encryption-context', 'department');
    assert.equal(ctx.code, 252);
    assert.match(ctx.stderr, /Error parsing parameter '--encryption-context'/);
    const query = await kontext('list-keys', '--query', 'Keys[');
    assert.equal(query.code, 252);
    assert.match(query.stderr, /Bad value for --query/);
  });

  test('fileb:// naming a missing file exits 252', async () => {
    const r = await kontext('decrypt', '--ciphertext-blob', `fileb://${join(work, 'missing.bin')}`);
    assert.equal(r.code, 252);
    assert.match(r.stderr, /Unable to load paramfile/);
  });

  test('wrong credentials exit 254 with the authentication error', async () => {
    const r = await exec(process.execPath, [BIN, 'list-keys'], { AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
    assert.equal(r.code, 254);
    assert.match(r.stderr, /An error occurred \((InvalidSignatureException|UnrecognizedClientException)\) when calling the ListKeys operation/);
  });

  test('an unreachable endpoint exits 255 and says where it tried', async () => {
    const r = await kontext('list-keys', '--endpoint-url', 'http://127.0.0.1:9', '--cli-connect-timeout', '2');
    assert.equal(r.code, 255);
    assert.match(r.stderr, /Could not connect to the endpoint URL: "http:\/\/127\.0\.0\.1:9"/);
  });

  test('no credentials at all exits 253', async () => {
    const r = await exec(process.execPath, [BIN, 'list-keys'], { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' });
    assert.equal(r.code, 253);
    assert.match(r.stderr, /Unable to locate credentials/);
  });

  test('a --profile from a shared credentials file signs requests (the server\'s credentials file format)', async () => {
    const file = join(work, 'credentials');
    writeFileSync(file, `[kontext]\naws_access_key_id = ${TEST_ACCESS_KEY_ID}\naws_secret_access_key = ${TEST_SECRET_ACCESS_KEY}\nregion = us-east-1\n`);
    const r = await exec(process.execPath, [BIN, 'list-keys', '--profile', 'kontext', '--query', 'length(Keys)'], {
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SHARED_CREDENTIALS_FILE: file,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Number(r.stdout) >= 1);
  });
});

describe('kontext server --dev', () => {
  test('prints working export lines and deletes its data directory on exit', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, 'server', '--dev', '--port', '0'], { env: { PATH: process.env['PATH'] ?? '', HOME: work }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
    try {
      const deadline = Date.now() + 20_000;
      while (!/export KONTEXT_ENDPOINT=\S+/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      const exports = Object.fromEntries([...out.matchAll(/\b([A-Z_]+)=(\S+)/g)].filter((m) => /^(AWS_|KONTEXT_ENDPOINT)/.test(m[1]!)).map((m) => [m[1]!, m[2]!]));
      assert.ok(exports['AWS_ACCESS_KEY_ID'] && exports['AWS_SECRET_ACCESS_KEY'] && exports['KONTEXT_ENDPOINT'], out);
      const dataDir = /throwaway data in (\S+),/.exec(out)?.[1];
      assert.ok(dataDir && existsSync(dataDir), out);
      const r = await exec(process.execPath, [BIN, 'create-key', '--description', 'dev', '--query', 'KeyMetadata.Description', '--output', 'text'], { ...exports, KONTEXT_ENDPOINT: exports['KONTEXT_ENDPOINT']! });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'dev\n');
      const wrong = await exec(process.execPath, [BIN, 'list-keys'], { ...exports, AWS_SECRET_ACCESS_KEY: 'wrong' });
      assert.equal(wrong.code, 254, 'the dev server verifies signatures');
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.equal(existsSync(dataDir), false, 'the throwaway data directory is removed');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
