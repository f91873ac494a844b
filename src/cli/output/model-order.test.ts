import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { inModelOrder, MODEL_ORDER } from './model-order.ts';

const MODEL_FILE = resolve(import.meta.dirname, '../../../../shared/reference/aws-models/kms-2014-11-01.min.json');

interface Member { shape?: string; type?: string; member?: Member; value?: Member; members?: Record<string, Member>; required?: string[] }

describe('inModelOrder', () => {
  test('puts KeyMetadata members back in model order, wherever it appears', () => {
    const out = inModelOrder({ KeyMetadata: { KeyId: 'k', AWSAccountId: 'a', Arn: 'x', Extra: 1 } }) as { KeyMetadata: object };
    assert.deepEqual(Object.keys(out.KeyMetadata), ['AWSAccountId', 'KeyId', 'Arn', 'Extra']);
  });

  test('leaves other objects in their order', () => {
    assert.deepEqual(Object.keys(inModelOrder({ b: 1, a: { d: 1, c: 2 } }) as object), ['b', 'a']);
  });

  test('only the listed output structures put a required member out of model order', { skip: !existsSync(MODEL_FILE) && `no model at ${MODEL_FILE}` }, () => {
    const model = JSON.parse(readFileSync(MODEL_FILE, 'utf8')) as { operations: Record<string, { output?: Member }>; shapes: Record<string, Member> };
    const res = (m: Member): Member => (m.shape ? res(model.shapes[m.shape] as Member) : m);
    const differing = new Map<string, string[]>();
    const walk = (m: Member, holder: string, depth: number): void => {
      const r = res(m);
      if (depth > 8) return;
      if (r.type === 'list' && r.member) return walk(r.member, holder, depth + 1);
      if (r.type === 'map' && r.value) return walk(r.value, holder, depth + 1);
      if (!r.members) return;
      const names = Object.keys(r.members);
      const required = r.required ?? [];
      const sdkOrder = [...required, ...names.filter((n) => !required.includes(n))];
      if (sdkOrder.join() !== names.join()) differing.set(holder, names);
      for (const [name, member] of Object.entries(r.members)) walk(member, name, depth + 1);
    };
    for (const op of Object.values(model.operations)) if (op.output) walk(op.output, '', 0);
    assert.deepEqual([...differing.keys()].sort(), Object.keys(MODEL_ORDER).sort());
    for (const [holder, names] of differing) assert.deepEqual(MODEL_ORDER[holder], names, holder);
  });
});
