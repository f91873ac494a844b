import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSchema, type CompiledSchema, type SchemaIssue } from './compile-schema.ts';
import { KEY_A, schemaDoc } from './schema-fixtures.ts';
import type { ContextSchemaDocument } from './schema-document.ts';

function compiled(over: Partial<ContextSchemaDocument> = {}): CompiledSchema {
  const r = compileSchema(schemaDoc(over), 1);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  return r.schema;
}

const issuesOf = (s: CompiledSchema, ctx: Record<string, string>): Array<[string, string]> => {
  const issues: SchemaIssue[] = [];
  s.check(ctx, issues);
  return issues.map((i) => [i.code, i.key]);
};

const problemsOf = (over: Partial<ContextSchemaDocument>): string[] => {
  const r = compileSchema(schemaDoc(over), 1);
  return r.ok ? [] : r.problems.map((p) => `${p.code}@${p.path}`);
};

test('check() passes a context that meets every rule', () => {
  assert.deepEqual(issuesOf(compiled(), { customer_id: 'cust_98765', department: 'finance', note: 'short' }), []);
});

test('check() reports a missing required key', () => {
  assert.deepEqual(issuesOf(compiled(), { department: 'finance' }), [['missing-required-key', 'customer_id']]);
});

test('check() reports a value that does not match the pattern', () => {
  assert.deepEqual(issuesOf(compiled(), { customer_id: 'client_1' }), [['pattern-mismatch', 'customer_id']]);
});

test('check() reports a value outside the enum', () => {
  assert.deepEqual(issuesOf(compiled(), { customer_id: 'cust_1', department: 'Finance' }), [['enum-mismatch', 'department']]);
});

test('check() reports a value over the max length', () => {
  assert.deepEqual(issuesOf(compiled(), { customer_id: 'cust_1', note: 'x'.repeat(11) }), [['too-long', 'note']]);
});

test('check() reports an undeclared key unless other keys are allowed', () => {
  assert.deepEqual(issuesOf(compiled(), { customer_id: 'cust_1', extra: 'x' }), [['unexpected-key', 'extra']]);
  assert.deepEqual(issuesOf(compiled({ allowOtherKeys: true }), { customer_id: 'cust_1', extra: 'x' }), []);
});

test('an undeclared key that differs from a field only in case suggests the field', () => {
  const issues: SchemaIssue[] = [];
  compiled().check({ customer_id: 'cust_1', Department: 'hr' }, issues);
  assert.equal(issues[0]?.rule, "did you mean 'department'?");
});

test('compileSchema() refuses invalid patterns, modes and empty targets with a problem each', () => {
  assert.deepEqual(problemsOf({ mode: 'strict' as never }), ['InvalidMode@mode']);
  assert.deepEqual(problemsOf({ appliesTo: { keyIds: [], aliasPatterns: [], tags: [] } }), ['MissingTarget@appliesTo']);
  assert.deepEqual(problemsOf({ fields: [{ name: 'a', required: true, pattern: '(x)\\1' }] }), ['InvalidPattern@fields.1.pattern']);
  assert.deepEqual(problemsOf({ fields: [{ name: 'a', required: true, pattern: '(?=a)' }] }), ['InvalidPattern@fields.1.pattern']);
  assert.deepEqual(problemsOf({ fields: [{ name: 'a', required: true, pattern: '[' }] }), ['InvalidPattern@fields.1.pattern']);
  assert.deepEqual(problemsOf({ fields: [{ name: 'a', required: true }, { name: 'a', required: false }] }), ['DuplicateField@fields.2.name']);
  assert.deepEqual(problemsOf({ fields: [{ name: 'a', required: true, enum: [] }] }), ['InvalidEnum@fields.1.enum']);
  assert.deepEqual(problemsOf({ fields: [{ name: 'a', required: true, maxLength: 0 }] }), ['InvalidMaxLength@fields.1.maxLength']);
  assert.deepEqual(problemsOf({ appliesTo: { keyIds: ['not-a-key'], aliasPatterns: ['payments-*'], tags: [] } }), ['InvalidKeyId@appliesTo.keyIds.1', 'InvalidAliasPattern@appliesTo.aliasPatterns.1']);
  assert.deepEqual(problemsOf({ secretDetection: 'loud' as never }), ['InvalidMode@secretDetection']);
  assert.deepEqual(problemsOf({ keyNaming: { convention: 'snake_case', canonicalNames: [{ name: 'customer_id', aliases: ['department'] }] } }), ['InvalidAlias@keyNaming.canonicalNames.1.aliases']);
});

test('compileSchema() accepts catastrophic-looking patterns because they run in linear time', { timeout: 60_000 }, () => {
  const s = compiled({ fields: [{ name: 'a', required: true, pattern: '^(a+)+$' }] });
  // A backtracking engine would not finish this within the test timeout.
  assert.deepEqual(issuesOf(s, { a: 'a'.repeat(5000) + '!' }), [['pattern-mismatch', 'a']]);
});

test('compileSchema() normalizes key ARNs to key ids', () => {
  const s = compiled({ appliesTo: { keyIds: [`arn:aws:kms:us-east-1:123456789012:key/${KEY_A}`], aliasPatterns: [], tags: [] } });
  assert.deepEqual(s.document.appliesTo.keyIds, [KEY_A]);
});
