import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { SCHEMA_REGISTRY_MIGRATION_SQL } from '../store/sqlite/schema-registry-migration.ts';
import { sqliteSchemaRegistryRepository } from '../store/sqlite/schema-registry-repository.ts';
import { SchemaRegistry } from './schema-registry.ts';
import { KEY_A, schemaDoc } from './schema-fixtures.ts';

const scope = { region: 'us-east-1', accountId: '123456789012' };

function openRegistry() {
  const db = new Database(':memory:');
  db.exec(SCHEMA_REGISTRY_MIGRATION_SQL);
  const repo = sqliteSchemaRegistryRepository(db);
  return { repo, registry: new SchemaRegistry(repo) };
}

test('put() stores version 1, then each change as the next version, keeping history', async () => {
  const { registry } = openRegistry();
  assert.equal((await registry.put(scope, schemaDoc(), 1000)).version, 1);
  assert.equal((await registry.put(scope, schemaDoc({ mode: 'warn' }), 2000)).version, 2);
  assert.equal((await registry.get(scope, 'payments')).document.mode, 'warn');
  assert.equal((await registry.get(scope, 'payments', 1)).document.mode, 'enforce');
  assert.deepEqual((await registry.listVersions(scope, 'payments', undefined, 10)).map((v) => v.version), [1, 2]);
});

test('the in-memory snapshot follows every put and delete without a database read', async () => {
  const { registry } = openRegistry();
  assert.equal(registry.scope(scope.region, scope.accountId), undefined);
  await registry.put(scope, schemaDoc({ appliesTo: { keyIds: [KEY_A], aliasPatterns: [], tags: [] } }), 1);
  const before = registry.scope(scope.region, scope.accountId);
  assert.equal(before?.select(KEY_A, [], [])?.schema.version, 1);
  await registry.put(scope, schemaDoc({ mode: 'warn', appliesTo: { keyIds: [KEY_A], aliasPatterns: [], tags: [] } }), 2);
  const after = registry.scope(scope.region, scope.accountId);
  assert.equal(after?.select(KEY_A, [], [])?.schema.mode, 'warn');
  assert.equal(before?.select(KEY_A, [], [])?.schema.mode, 'enforce', 'an earlier snapshot is never changed in place');
  await registry.delete(scope, 'payments', 3);
  assert.equal(registry.scope(scope.region, scope.accountId), undefined);
});

test('delete() leaves a tombstone: the schema is gone but its versions stay readable, and a new put continues the numbering', async () => {
  const { registry } = openRegistry();
  await registry.put(scope, schemaDoc(), 1);
  assert.equal((await registry.delete(scope, 'payments', 2)).version, 2);
  await assert.rejects(registry.get(scope, 'payments'), { name: 'NotFoundException' });
  assert.equal((await registry.get(scope, 'payments', 1)).version, 1);
  assert.deepEqual(await registry.listCurrent(scope, undefined, 10), []);
  await assert.rejects(registry.delete(scope, 'payments', 3), { name: 'NotFoundException' });
  assert.equal((await registry.put(scope, schemaDoc(), 4)).version, 3);
});

test('put() refuses an invalid document with one ValidationException listing each problem', async () => {
  const { registry } = openRegistry();
  await assert.rejects(
    registry.put(scope, schemaDoc({ mode: 'loud' as never, fields: [{ name: 'a', required: true, pattern: '(a)\\1' }] }), 1),
    (err: Error) => err.name === 'ValidationException' && /^2 validation errors detected: /.test(err.message) && /backreferences/.test(err.message),
  );
  assert.deepEqual(await registry.listCurrent(scope, undefined, 10), []);
});

test('load() rebuilds every scope from the store', async () => {
  const { repo, registry } = openRegistry();
  await registry.put(scope, schemaDoc({ appliesTo: { keyIds: [KEY_A], aliasPatterns: [], tags: [] } }), 1);
  await registry.put({ region: 'eu-west-1', accountId: scope.accountId }, schemaDoc({ name: 'eu' }), 1);
  await registry.put(scope, schemaDoc({ name: 'gone' }), 1);
  await registry.delete(scope, 'gone', 2);
  const fresh = new SchemaRegistry(repo);
  await fresh.load();
  assert.deepEqual(fresh.scope(scope.region, scope.accountId)?.schemas.map((s) => s.name), ['payments']);
  assert.deepEqual(fresh.scope('eu-west-1', scope.accountId)?.schemas.map((s) => s.name), ['eu']);
});

test('listCurrent() pages by name', async () => {
  const { registry } = openRegistry();
  for (const name of ['c', 'a', 'b']) await registry.put(scope, schemaDoc({ name }), 1);
  assert.deepEqual((await registry.listCurrent(scope, undefined, 2)).map((v) => v.name), ['a', 'b']);
  assert.deepEqual((await registry.listCurrent(scope, 'b', 2)).map((v) => v.name), ['c']);
});
