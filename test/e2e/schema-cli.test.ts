// End-to-end: `kontext schema put|get|list|delete` (bin/kontext.js) against a real server process.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BAD_POLICY, CLEAN_POLICY } from '../../src/schema/lint/lint-fixtures.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { runKontext, type CliResult } from '../helpers/kontext-cli.ts';

let server: ServerProcess;
let work: string;

function kontext(...args: string[]): Promise<CliResult> {
  return runKontext(server.url, work, args);
}

before(async () => {
  server = await startServerProcess();
  work = mkdtempSync(join(tmpdir(), 'kontext-schema-cli-'));
});

after(async () => {
  await server?.stop();
  server?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

test('kontext schema put, get, list and delete manage a schema and its versions', async () => {
  const file = join(work, 'payments.json');
  const doc = { SchemaName: 'payments', Mode: 'warn', AppliesTo: { AliasPatterns: ['alias/payments-*'] }, Fields: [{ Name: 'customer_id', Required: true }] };
  writeFileSync(file, JSON.stringify(doc));
  const put = await kontext('schema', 'put', file);
  assert.equal(put.code, 0, put.stderr);
  assert.equal(JSON.parse(put.stdout).Version, 1);
  writeFileSync(file, JSON.stringify({ ...doc, Mode: 'enforce' }));
  assert.equal((await kontext('schema', 'put', file)).code, 0);

  const get = await kontext('schema', 'get', 'payments', '--query', 'Schema.[Mode, Version]', '--output', 'text');
  assert.equal(get.stdout.trim().split(/\s+/).join(' '), 'enforce 2');
  const old = await kontext('schema', 'get', 'payments', '--version', '1');
  assert.equal(JSON.parse(old.stdout).Schema.Mode, 'warn');
  const list = await kontext('schema', 'list');
  assert.deepEqual(JSON.parse(list.stdout).Schemas.map((s: { SchemaName: string }) => s.SchemaName), ['payments']);
  const history = await kontext('schema', 'list', '--name', 'payments', '--query', 'Schemas[].Version', '--output', 'json');
  assert.deepEqual(JSON.parse(history.stdout), [1, 2]);

  assert.equal((await kontext('schema', 'delete', 'payments')).code, 0);
  const gone = await kontext('schema', 'get', 'payments');
  assert.equal(gone.code, 254);
  assert.match(gone.stderr, /An error occurred \(NotFoundException\) when calling the GetContextSchema operation: Context schema 'payments' does not exist/);
});

test('kontext schema put reports an invalid schema as the service error, and bad input as a usage error', async () => {
  const file = join(work, 'bad.json');
  writeFileSync(file, JSON.stringify({ SchemaName: 'bad', Mode: 'enforce', AppliesTo: { KeyIds: [] }, Fields: [{ Name: 'a', Pattern: '(a)\\1' }] }));
  const bad = await kontext('schema', 'put', file);
  assert.equal(bad.code, 254);
  assert.match(bad.stderr, /ValidationException.*backreferences/);
  writeFileSync(file, 'not json');
  assert.equal((await kontext('schema', 'put', file)).code, 252);
  assert.equal((await kontext('schema', 'get', 'x', '--version', 'zero')).code, 252);
});

test('kontext policy lint prints the findings and exits 1 when one is an error', async () => {
  const bad = join(work, 'bad-policy.json');
  const clean = join(work, 'clean-policy.json');
  writeFileSync(bad, JSON.stringify(BAD_POLICY));
  writeFileSync(clean, JSON.stringify(CLEAN_POLICY));
  const r = await kontext('policy', 'lint', bad);
  assert.equal(r.code, 1, r.stderr);
  assert.ok(JSON.parse(r.stdout).Findings.some((f: { Id: string }) => f.Id === 'decrypt-without-context-condition'));
  const none = await kontext('policy', 'lint', bad, '--fail-on', 'none', '--query', 'length(Findings)', '--output', 'text');
  assert.equal(none.code, 0);
  assert.equal(none.stdout.trim(), '8', 'without a schema, the schema rules stay silent');
  const ok = await kontext('policy', 'lint', clean);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout).Findings, []);
});

test("kontext policy lint --key-id lints the key's own policy", async () => {
  const create = await kontext('create-key', '--query', 'KeyMetadata.KeyId', '--output', 'text');
  assert.equal(create.code, 0, create.stderr);
  const r = await kontext('policy', 'lint', '--key-id', create.stdout.trim());
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).Findings, [], 'the default key policy is clean');
});
