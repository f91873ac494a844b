import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSchema, type CompiledSchema } from './compile-schema.ts';
import { ScopeSchemas } from './scope-schemas.ts';
import { KEY_A, KEY_B, schemaDoc } from './schema-fixtures.ts';
import type { SchemaTarget } from './schema-document.ts';
import { globMatch } from './alias-glob.ts';

function schema(name: string, appliesTo: Partial<SchemaTarget>): CompiledSchema {
  const r = compileSchema(schemaDoc({ name, appliesTo: { keyIds: [], aliasPatterns: [], tags: [], ...appliesTo } }), 1);
  assert.ok(r.ok);
  return r.schema;
}

const tag = (TagKey: string, TagValue: string) => ({ TagKey, TagValue });

test('globMatch() matches * and ? wildcards', () => {
  assert.equal(globMatch('alias/payments-*', 'alias/payments-eu'), true);
  assert.equal(globMatch('alias/payments-*', 'alias/payments'), false);
  assert.equal(globMatch('alias/*-prod', 'alias/orders-prod'), true);
  assert.equal(globMatch('alias/a?c', 'alias/abc'), true);
  assert.equal(globMatch('alias/a?c', 'alias/ac'), false);
  assert.equal(globMatch('alias/*a*a*a*b', 'alias/' + 'a'.repeat(200)), false);
});

test('select() matches a schema by key id', () => {
  const s = new ScopeSchemas([schema('by-id', { keyIds: [KEY_A] })]);
  assert.equal(s.select(KEY_A, [], [])?.schema.name, 'by-id');
  assert.equal(s.select(KEY_A, [], [])?.matchedBy, 'key-id');
  assert.equal(s.select(KEY_B, [], []), undefined);
});

test('select() matches a schema by alias pattern', () => {
  const s = new ScopeSchemas([schema('by-alias', { aliasPatterns: ['alias/payments-*'] })]);
  assert.equal(s.select(KEY_A, [], ['alias/other', 'alias/payments-eu'])?.matchedBy, 'alias');
  assert.equal(s.select(KEY_A, [], ['alias/orders']), undefined);
  assert.equal(s.hasAliasRules, true);
});

test('select() matches a schema by tag, with or without a value', () => {
  const s = new ScopeSchemas([schema('team', { tags: [{ tagKey: 'team', tagValue: 'payments' }] }), schema('pci', { tags: [{ tagKey: 'pci' }] })]);
  assert.equal(s.select(KEY_A, [tag('team', 'payments')], [])?.schema.name, 'team');
  assert.equal(s.select(KEY_A, [tag('team', 'hr')], []), undefined);
  assert.equal(s.select(KEY_A, [tag('pci', 'anything')], [])?.schema.name, 'pci');
});

test('select() prefers key id over alias over tag, the longer alias prefix, and a tag with a value', () => {
  const s = new ScopeSchemas([
    schema('tag', { tags: [{ tagKey: 'team', tagValue: 'payments' }] }),
    schema('any-tag', { tags: [{ tagKey: 'team' }] }),
    schema('broad', { aliasPatterns: ['alias/*'] }),
    schema('narrow', { aliasPatterns: ['alias/payments-*'] }),
    schema('id', { keyIds: [KEY_A] }),
  ]);
  const tags = [tag('team', 'payments')];
  assert.equal(s.select(KEY_A, tags, ['alias/payments-eu'])?.schema.name, 'id');
  assert.equal(s.select(KEY_B, tags, ['alias/payments-eu'])?.schema.name, 'narrow');
  assert.equal(s.select(KEY_B, tags, ['alias/orders'])?.schema.name, 'broad');
  assert.equal(s.select(KEY_B, tags, [])?.schema.name, 'tag');
  assert.equal(s.select(KEY_B, [tag('team', 'hr')], [])?.schema.name, 'any-tag');
});

test('select() breaks ties by schema name', () => {
  const s = new ScopeSchemas([schema('zeta', { tags: [{ tagKey: 'pci' }] }), schema('alpha', { tags: [{ tagKey: 'pci' }] })]);
  assert.equal(s.select(KEY_A, [tag('pci', 'x')], [])?.schema.name, 'alpha');
});
