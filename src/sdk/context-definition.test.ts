import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ContextFieldError, defineContext } from './context-definition.ts';

const Invoice = defineContext({
  fields: { tenant_id: { type: 'string', pattern: /^t_/ }, invoice_no: { type: 'number', integer: true }, region: { type: 'string', oneOf: ['eu', 'us'] } },
  fixed: { purpose: 'invoice' },
});

const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ContextFieldError);
    return err.issues.map((i) => `${i.code}:${i.path}`).sort();
  }
  assert.fail('expected a ContextFieldError');
};

describe('defineContext', () => {
  test('build() gives the fields as strings plus the fixed pairs', () => {
    assert.deepEqual(Invoice.build({ tenant_id: 't_1', invoice_no: 42, region: 'eu' }), { tenant_id: 't_1', invoice_no: '42', region: 'eu', purpose: 'invoice' });
    assert.deepEqual(Invoice.keys, ['tenant_id', 'invoice_no', 'region', 'purpose']);
  });

  test('build() rejects a missing and an extra field, listing both', () => {
    // @ts-expect-error invoice_no is missing and `extra` is not declared: a type error too
    const fn = () => Invoice.build({ tenant_id: 't_1', region: 'eu', extra: 'x' });
    assert.deepEqual(issuesOf(fn), ['missing:invoice_no', 'unexpected:extra']);
  });

  test('build() rejects values of the wrong type, pattern or set', () => {
    // @ts-expect-error invoice_no must be a number
    assert.deepEqual(issuesOf(() => Invoice.build({ tenant_id: 't_1', invoice_no: '42', region: 'eu' })), ['invalid_type:invoice_no']);
    assert.deepEqual(issuesOf(() => Invoice.build({ tenant_id: 'x_1', invoice_no: 1.5, region: 'eu' })), ['invalid_type:invoice_no', 'pattern:tenant_id']);
    // @ts-expect-error 'ap' is not one of the declared regions
    assert.deepEqual(issuesOf(() => Invoice.build({ tenant_id: 't_1', invoice_no: 1, region: 'ap' })), ['not_allowed:region']);
  });

  test('a fixed pair cannot be overridden as a field', () => {
    // @ts-expect-error purpose is fixed, not a field
    assert.deepEqual(issuesOf(() => Invoice.build({ tenant_id: 't_1', invoice_no: 1, region: 'eu', purpose: 'other' })), ['unexpected:purpose']);
  });

  test('a declaration with a name both a field and fixed, or with nothing, is refused', () => {
    assert.throws(() => defineContext({ fields: { purpose: 'string' }, fixed: { purpose: 'x' } }), TypeError);
    assert.throws(() => defineContext({ fields: {} }), TypeError);
  });

  test('a global regex pattern gives the same answer on every call', () => {
    const C = defineContext({ fields: { id: { type: 'string', pattern: /^a/g } } });
    assert.deepEqual(C.build({ id: 'abc' }), { id: 'abc' });
    assert.deepEqual(C.build({ id: 'abc' }), { id: 'abc' });
  });
});
