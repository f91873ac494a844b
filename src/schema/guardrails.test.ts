import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { SCHEMA_REGISTRY_MIGRATION_SQL } from '../store/sqlite/schema-registry-migration.ts';
import { sqliteSchemaRegistryRepository } from '../store/sqlite/schema-registry-repository.ts';
import type { KeyRecord } from '../keys/key-record.ts';
import { SchemaRegistry } from './schema-registry.ts';
import { Guardrails, type GuardrailAudit, type GuardrailSettings } from './guardrails.ts';
import { KEY_A, KEY_B, schemaDoc } from './schema-fixtures.ts';
import type { SchemaMode } from './schema-document.ts';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

const key = (keyId: string, tags: KeyRecord['tags'] = []): KeyRecord => ({ keyId, region: REGION, accountId: ACCOUNT, arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`, tags }) as unknown as KeyRecord;

function setup(settings: Partial<GuardrailSettings> = {}, aliases: Record<string, string[]> = {}) {
  const db = new Database(':memory:');
  db.exec(SCHEMA_REGISTRY_MIGRATION_SQL);
  const registry = new SchemaRegistry(sqliteSchemaRegistryRepository(db));
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (l: string) => lines.push(l) });
  const g = new Guardrails(
    registry,
    { aliasesOf: async (k) => aliases[k.keyId] ?? [] },
    { secretDetection: 'enforce', keyNaming: { convention: 'snake_case', canonicalNames: [{ name: 'customer_id', aliases: ['client_id', 'org_id'] }] }, ...settings },
    log,
  );
  return { g, registry, lines };
}

const audit = (): GuardrailAudit => ({ extraRequestParameters: {} });

async function run(g: Guardrails, ctx: Record<string, string>, k = key(KEY_A), a = audit()) {
  const screen = g.screen(a, ctx, 'encryptionContext');
  let error: Error | undefined;
  try {
    await screen.check(k);
  } catch (err) {
    error = err as Error;
  }
  return { audit: a, error };
}

const putSchema = (registry: SchemaRegistry, mode: SchemaMode, over = {}) =>
  registry.put({ region: REGION, accountId: ACCOUNT }, schemaDoc({ mode, appliesTo: { keyIds: [KEY_A], aliasPatterns: [], tags: [] }, ...over }), 1);

test('enforce mode rejects a missing required key with a ValidationException naming it', async () => {
  const { g, registry } = setup();
  await putSchema(registry, 'enforce');
  const { audit: a, error } = await run(g, { department: 'finance' });
  assert.equal(error?.name, 'ValidationException');
  assert.match(error!.message, /^1 validation error detected: Value null at 'encryptionContext.customer_id' failed to satisfy constraint: Member is required by context schema 'payments' \(version 1\)$/);
  assert.deepEqual(a.guardrails?.schema, { name: 'payments', version: 1, mode: 'enforce', matchedBy: 'key-id' });
  assert.equal(a.guardrails?.result, 'reject');
  assert.equal(g.counters.rejected, 1);
});

test('warn mode allows the request, marks the audit note and counts it', async () => {
  const { g, registry, lines } = setup();
  await putSchema(registry, 'warn');
  const { audit: a, error } = await run(g, { customer_id: 'not-a-customer', extra: 'x' });
  assert.equal(error, undefined);
  assert.equal(a.guardrails?.result, 'warn');
  assert.deepEqual(a.guardrails?.findings?.map((f) => [f.source, f.code, f.key, f.action]), [
    ['schema', 'pattern-mismatch', 'customer_id', 'warn'],
    ['schema', 'unexpected-key', 'extra', 'warn'],
  ]);
  assert.equal(g.counters.warned, 1);
  assert.ok(lines.some((l) => l.includes('guardrail')));
  assert.ok(!lines.join('').includes('not-a-customer'), 'the log never holds values');
});

test('off mode records the schema but checks nothing', async () => {
  const { g, registry } = setup();
  await putSchema(registry, 'off');
  const { audit: a, error } = await run(g, {});
  assert.equal(error, undefined);
  assert.deepEqual(a.guardrails, { field: 'encryptionContext', schema: { name: 'payments', version: 1, mode: 'off', matchedBy: 'key-id' }, secretDetection: 'enforce', result: 'pass' });
});

test('a key no schema applies to passes with a shared note', async () => {
  const { g, registry } = setup();
  await putSchema(registry, 'enforce');
  const first = await run(g, { customer_id: 'x' }, key(KEY_B));
  const second = await run(g, { customer_id: 'y' }, key(KEY_B));
  assert.equal(first.error, undefined);
  assert.equal(first.audit.guardrails, second.audit.guardrails);
  assert.equal(first.audit.guardrails?.result, 'pass');
});

test('a schema matched by alias pattern applies to a key used by id', async () => {
  const { g, registry } = setup({}, { [KEY_A]: ['alias/payments-eu'] });
  await registry.put({ region: REGION, accountId: ACCOUNT }, schemaDoc(), 1);
  const { error, audit: a } = await run(g, {});
  assert.equal(error?.name, 'ValidationException');
  assert.equal(a.guardrails?.schema?.matchedBy, 'alias');
});

test('a schema matched by tag applies', async () => {
  const { g, registry } = setup();
  await registry.put({ region: REGION, accountId: ACCOUNT }, schemaDoc({ appliesTo: { keyIds: [], aliasPatterns: [], tags: [{ tagKey: 'team', tagValue: 'payments' }] } }), 1);
  assert.equal((await run(g, {}, key(KEY_A, [{ TagKey: 'team', TagValue: 'payments' }]))).error?.name, 'ValidationException');
  assert.equal((await run(g, {}, key(KEY_A, [{ TagKey: 'team', TagValue: 'hr' }]))).error, undefined);
});

test('a card number is rejected without being echoed, and the audit copy holds a marker', async () => {
  const { g } = setup();
  const { audit: a, error } = await run(g, { customer_id: 'cust_1', card: '4111 1111 1111 1111' });
  assert.equal(error?.name, 'ValidationException');
  assert.match(error!.message, /encryptionContext\.card' failed to satisfy constraint: Member looks like a secret \(card-number\)/);
  assert.ok(!error!.message.includes('4111'));
  assert.deepEqual(a.extraRequestParameters['encryptionContext'], { customer_id: 'cust_1', card: '[REDACTED:card-number]' });
});

test('secret detection in warn mode allows the request but still redacts the audit copy', async () => {
  const { g } = setup({ secretDetection: 'warn' });
  const { audit: a, error } = await run(g, { password: 'hunter2' });
  assert.equal(error, undefined);
  assert.equal(a.guardrails?.result, 'warn');
  assert.deepEqual(a.extraRequestParameters['encryptionContext'], { password: '[REDACTED:secret-key-name]' });
});

test('secret detection off neither detects nor redacts, and a schema can turn it back on for its keys', async () => {
  const { g, registry } = setup({ secretDetection: 'off' });
  const off = await run(g, { password: 'hunter2' });
  assert.equal(off.error, undefined);
  assert.deepEqual(off.audit.extraRequestParameters, {});
  await putSchema(registry, 'enforce', { fields: [], allowOtherKeys: true, secretDetection: 'enforce' });
  assert.equal((await run(g, { password: 'hunter2' })).error?.name, 'ValidationException');
});

test('naming findings are warnings only: non-canonical names and convention breaks', async () => {
  const { g } = setup();
  const { audit: a, error } = await run(g, { client_id: 'c1', OrderId: 'o1', customer_id: 'cust_1' });
  assert.equal(error, undefined);
  assert.deepEqual(a.guardrails?.findings?.map((f) => [f.code, f.key, f.suggestion]), [
    ['non-canonical-key', 'client_id', 'customer_id'],
    ['key-convention', 'OrderId', undefined],
  ]);
});

test('a schema change takes effect on the next check', async () => {
  const { g, registry } = setup();
  await putSchema(registry, 'warn');
  assert.equal((await run(g, {})).error, undefined);
  await putSchema(registry, 'enforce');
  assert.equal((await run(g, {})).error?.name, 'ValidationException');
});
