// End-to-end: `--max-items`, `--starting-token` and `--page-size` on the list verbs, the real
// `kontext` binary and the AWS CLI v2 (/usr/bin/aws) against the same server: the same output for
// the same flags, and tokens that pass between the two.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { runKontext, type CliResult } from '../helpers/kontext-cli.ts';
import { startServerProcess, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type ServerProcess } from '../helpers/server-process.ts';

// Debian's CLI v2, not whatever `aws` comes first on PATH (a pyenv shim may be CLI v1).
const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const KEYS = 7;

let server: ServerProcess;
let work: string;
let keyIds: string[];

const kontext = (...args: string[]): Promise<CliResult> => runKontext(server.url, work, args);

function aws(...args: string[]): Promise<CliResult> {
  const env = {
    PATH: '/usr/bin:/bin',
    HOME: work,
    AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return new Promise((resolve) => {
    execFile(AWS, ['kms', ...args, '--endpoint-url', server.url], { env, timeout: 60_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Both CLIs succeed with the same output; returns kontext's. */
async function same(...args: string[]): Promise<string> {
  const [k, a] = await Promise.all([kontext(...args), aws(...args)]);
  assert.equal(a.code, 0, `aws kms ${args.join(' ')}: ${a.stderr}`);
  assert.equal(k.code, 0, `kontext ${args.join(' ')}: ${k.stderr}`);
  assert.equal(k.stdout, a.stdout, `kontext ${args.join(' ')} differs from aws kms`);
  return k.stdout;
}

const decode = (token: string) => JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
const listed = (stdout: string) => (JSON.parse(stdout).Keys as Array<{ KeyId: string }>).map((k) => k.KeyId);

before(async () => {
  server = await startServerProcess();
  work = mkdtempSync(join(tmpdir(), 'kontext-cli-pages-'));
  const kms = new KMSClient(server.clientConfig());
  keyIds = [];
  for (let i = 0; i < KEYS; i++) {
    const id = (await kms.send(new CreateKeyCommand({ Description: `page ${i}` }))).KeyMetadata!.KeyId!;
    keyIds.push(id);
    await kms.send(new CreateAliasCommand({ AliasName: `alias/page-${i}`, TargetKeyId: id }));
  }
  kms.destroy();
});

after(async () => {
  await server?.stop();
  server?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('--page-size sets the page size but every page is still fetched and merged, as aws kms does', async () => {
  const all = await same('list-keys', '--page-size', '2');
  assert.deepEqual(listed(all).sort(), [...keyIds].sort());
  assert.equal(JSON.parse(all).NextToken, undefined);
  assert.equal(await same('list-keys'), all);
});

test('--max-items stops after n items and prints the NextToken aws kms prints (inside a page and on a page boundary)', async () => {
  const inside = JSON.parse(await same('list-keys', '--max-items', '3'));
  assert.equal(inside.Keys.length, 3);
  assert.deepEqual(decode(inside.NextToken), { Marker: null, boto_truncate_amount: 3 });

  const boundary = JSON.parse(await same('list-keys', '--max-items', '2', '--page-size', '2'));
  assert.equal(boundary.Keys.length, 2);
  assert.deepEqual(Object.keys(decode(boundary.NextToken)), ['Marker']);

  const across = JSON.parse(await same('list-keys', '--max-items', '3', '--page-size', '2'));
  assert.deepEqual(Object.keys(decode(across.NextToken)), ['Marker', 'boto_truncate_amount']);

  const everything = JSON.parse(await same('list-keys', '--max-items', String(KEYS)));
  assert.equal(everything.Keys.length, KEYS);
  assert.equal(everything.NextToken, undefined, 'no token when nothing remains');

  await same('list-aliases', '--max-items', '3', '--page-size', '2');
  await same('list-keys', '--max-items', '3', '--page-size', '2', '--output', 'text');
  await same('list-keys', '--max-items', '5', '--page-size', '2', '--query', 'Keys[].KeyId', '--output', 'text');
  await same('list-keys', '--max-items', '3', '--query', 'Keys[].KeyId');
});

test('--starting-token resumes where --max-items stopped; tokens pass between kontext and aws kms', async () => {
  const first = JSON.parse((await kontext('list-keys', '--max-items', '3', '--page-size', '2')).stdout);
  // kontext's token in aws, aws's token in kontext: the same next items.
  const [k, a] = await Promise.all([
    kontext('list-keys', '--starting-token', first.NextToken, '--max-items', '2', '--page-size', '2'),
    aws('list-keys', '--starting-token', first.NextToken, '--max-items', '2', '--page-size', '2'),
  ]);
  assert.equal(k.code, 0, k.stderr);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(k.stdout, a.stdout);
  const awsFirst = JSON.parse((await aws('list-keys', '--max-items', '3', '--page-size', '2')).stdout);
  assert.equal(awsFirst.NextToken, first.NextToken);

  // Walking the whole list two at a time with kontext's tokens lists each key once.
  const seen: string[] = [];
  let token: string | undefined;
  for (let i = 0; i < KEYS; i++) {
    const r = await kontext('list-keys', '--max-items', '2', '--page-size', '3', ...(token ? ['--starting-token', token] : []));
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    seen.push(...listed(r.stdout));
    token = out.NextToken;
    if (!token) break;
  }
  assert.deepEqual(seen.sort(), [...keyIds].sort());
});

test('pagination flags fail as aws kms fails: with --no-paginate or --limit, bad numbers, a bad token', async () => {
  for (const args of [['--no-paginate', '--max-items', '3'], ['--limit', '2', '--max-items', '3'], ['--marker', 'x', '--page-size', '2', '--starting-token', 't']]) {
    const [k, a] = await Promise.all([kontext('list-keys', ...args), aws('list-keys', ...args)]);
    assert.equal(k.code, 252, k.stderr);
    assert.equal(a.code, 252, a.stderr);
    const message = /Cannot specify --no-paginate along with pagination arguments: .*/.exec(a.stderr)?.[0];
    assert.ok(message, a.stderr);
    assert.equal(k.stderr.trim(), message);
  }
  for (const args of [['--max-items', 'x'], ['--page-size', '0'], ['--page-size', '-1']]) {
    const r = await kontext('list-keys', ...args);
    assert.equal(r.code, 252, r.stderr);
    assert.match(r.stderr, new RegExp(args[0]!));
    assert.equal(r.stdout, '');
  }
  const [k, a] = await Promise.all([kontext('list-keys', '--starting-token', 'garbage!'), aws('list-keys', '--starting-token', 'garbage!')]);
  assert.equal(a.code, 254);
  assert.equal(k.code, 254, k.stderr);
  assert.match(k.stderr, /An error occurred \(InvalidMarkerException\) when calling the ListKeys operation/);
});
