// End-to-end: `kontext policy simulate` and `kontext policy validate`, the real binary
// (bin/kontext.js) against a real server process, including their failure exits.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { runKontext } from '../helpers/kontext-cli.ts';

let server: ServerProcess;
let work: string;

const kontext = (...args: string[]) => runKontext(server.url, work, args);

async function okJson(...args: string[]): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await kontext(...args);
  assert.equal(r.code, 0, `kontext ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

before(async () => {
  server = await startServerProcess();
  work = mkdtempSync(join(tmpdir(), 'kontext-cli-policy-'));
});

after(async () => {
  await server?.stop();
  server?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('kontext policy simulate', () => {
  let keyId: string;
  let account: string;

  before(async () => {
    const created = await okJson('create-key', '--description', 'policy simulate e2e');
    keyId = created['KeyMetadata']['KeyId'];
    account = created['KeyMetadata']['AWSAccountId'];
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
        {
          Sid: 'FinanceOnly',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringNotEquals: { 'kms:EncryptionContext:department': 'finance' } },
        },
      ],
    };
    const file = join(work, 'key-policy.json');
    writeFileSync(file, JSON.stringify(policy));
    const put = await kontext('put-key-policy', '--key-id', keyId, '--policy-name', 'default', '--policy', `file://${file}`);
    assert.equal(put.code, 0, put.stderr);
  });

  test('an allowed request: exit 0, the decision and each statement explained (JSON)', async () => {
    const out = await okJson('policy', 'simulate', '--key-id', keyId, '--action', 'kms:Decrypt', '--encryption-context', 'department=finance,customer_id=cust_98765');
    assert.equal(out['Decision'], 'allowed');
    assert.equal(out['Action'], 'kms:Decrypt');
    assert.match(out['Resource'], new RegExp(`${keyId}$`));
    const sids = (out['Explanation'] as Array<{ Sid?: string; Applies: boolean }>).map((e) => [e.Sid, e.Applies]);
    assert.deepEqual(sids, [['Admin', true], ['FinanceOnly', false]]);
  });

  test('a denied request: exit 1, the deny statement named; --output text is readable', async () => {
    const json = await kontext('policy', 'simulate', '--key-id', keyId, '--action', 'Decrypt', '--encryption-context', '{"department":"hr"}');
    assert.equal(json.code, 1, json.stderr);
    const out = JSON.parse(json.stdout);
    assert.equal(out['Decision'], 'explicitDeny');
    assert.ok(out['MatchedStatements'].some((m: { Sid?: string }) => m.Sid === 'FinanceOnly'));

    const text = await kontext('policy', 'simulate', '--key-id', keyId, '--action', 'kms:Decrypt', '--encryption-context', 'department=hr', '--source-ip', '10.0.0.1', '--output', 'text');
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /^explicitDeny: /);
    assert.match(text.stdout, /Statements:\n/);
    assert.match(text.stdout, /\(FinanceOnly\) Deny: applies/);
  });

  test('failure exits: unknown key (service error, 254), missing --action (usage)', async () => {
    const unknown = await kontext('policy', 'simulate', '--key-id', '11111111-2222-3333-4444-555555555555', '--action', 'kms:Decrypt');
    assert.equal(unknown.code, 254, unknown.stderr);
    assert.match(unknown.stderr, /NotFoundException/);
    const missing = await kontext('policy', 'simulate', '--key-id', keyId);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /--action/);
    const badContext = await kontext('policy', 'simulate', '--key-id', keyId, '--action', 'kms:Decrypt', '--encryption-context', '{"a":');
    assert.equal(badContext.code, 252, badContext.stderr);
  });
});

describe('kontext policy validate', () => {
  test('a valid key policy: exit 0', async () => {
    const file = join(work, 'good.json');
    writeFileSync(file, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'kms:*', Resource: '*' }] }));
    const out = await okJson('policy', 'validate', file);
    assert.deepEqual(out, { Valid: true, Kind: 'key', Problems: [] });
  });

  test('problems printed with code, path and message; exit 1; --kind changes the rules', async () => {
    const file = join(work, 'bad.json');
    writeFileSync(file, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] }));
    const asKey = await kontext('policy', 'validate', file);
    assert.equal(asKey.code, 1);
    const out = JSON.parse(asKey.stdout);
    assert.equal(out.Valid, false);
    assert.deepEqual(out.Problems.map((p: { Code: string; Path: string }) => [p.Code, p.Path]), [['MissingElement', 'Statement[0].Principal']]);
    assert.ok(out.Problems[0].Message.length > 0);

    const asIdentity = await kontext('policy', 'validate', file, '--kind', 'identity');
    assert.equal(asIdentity.code, 0, asIdentity.stdout);

    const text = await kontext('policy', 'validate', file, '--kind', 'trust', '--output', 'text');
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^MissingElement\tStatement\[0\]\.Principal\t/m);
  });

  test('invalid JSON, and an unreadable file', async () => {
    const file = join(work, 'broken.json');
    writeFileSync(file, '{"Version": ');
    const broken = await kontext('policy', 'validate', file);
    assert.equal(broken.code, 1);
    assert.equal(JSON.parse(broken.stdout).Problems[0].Code, 'InvalidJson');
    const missing = await kontext('policy', 'validate', join(work, 'nope.json'));
    assert.equal(missing.code, 252);
    assert.match(missing.stderr, /cannot read/);
  });
});
