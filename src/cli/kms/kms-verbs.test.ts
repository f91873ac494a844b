import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ParamShape } from '../args/param-value.ts';
import { flagName, KMS_VERBS } from './kms-verbs.ts';
import { commandClass, optionKey } from './run-verb.ts';

// The AWS service model, as laid beside the repository (shared/reference/aws-models).
const MODEL_FILE = resolve(import.meta.dirname, '../../../../shared/reference/aws-models/kms-2014-11-01.min.json');

interface ModelMember { shape?: string; type?: string; member?: ModelMember; members?: Record<string, ModelMember>; value?: ModelMember }
interface Model { operations: Record<string, { input?: { required?: string[]; members: Record<string, ModelMember> }; output?: ModelMember }>; shapes: Record<string, ModelMember> }

describe('KMS verb table', () => {
  test('flag names are the kebab-case of API member names, as the AWS CLI derives them', () => {
    assert.equal(flagName('KeyId'), 'key-id');
    assert.equal(flagName('CiphertextBlob'), 'ciphertext-blob');
    assert.equal(flagName('BypassPolicyLockoutSafetyCheck'), 'bypass-policy-lockout-safety-check');
    assert.equal(flagName('NumberOfBytes'), 'number-of-bytes');
    assert.equal(optionKey('key-id'), 'keyId');
  });

  test('offers every verb the issue lists, each named after its operation with a client command', async () => {
    const verbs = KMS_VERBS.map((v) => v.verb);
    for (const v of ['create-key', 'describe-key', 'list-keys', 'encrypt', 'decrypt', 're-encrypt', 'generate-data-key', 'generate-data-key-without-plaintext',
      'generate-random', 'enable-key', 'disable-key', 'schedule-key-deletion', 'cancel-key-deletion', 'create-alias', 'update-alias', 'delete-alias', 'list-aliases',
      'tag-resource', 'untag-resource', 'list-resource-tags', 'enable-key-rotation', 'disable-key-rotation', 'get-key-rotation-status', 'rotate-key-on-demand',
      'list-key-rotations', 'get-key-policy', 'put-key-policy', 'list-key-policies', 'create-grant', 'list-grants', 'retire-grant', 'revoke-grant', 'list-retirable-grants']) {
      assert.ok(verbs.includes(v), `missing verb ${v}`);
    }
    assert.equal(new Set(verbs).size, verbs.length, 'a verb is declared twice');
    for (const spec of KMS_VERBS) {
      assert.equal(spec.verb, flagName(spec.operation));
      assert.ok(await commandClass(spec.operation), `no @aws-sdk/client-kms command for ${spec.operation}`);
    }
  });

  test('every parameter is a member of the operation input in the kms-2014-11-01 model, with its type and required-ness', { skip: !existsSync(MODEL_FILE) && `no model at ${MODEL_FILE}` }, () => {
    const model = JSON.parse(readFileSync(MODEL_FILE, 'utf8')) as Model;
    const resolveShape = (m: ModelMember): ModelMember => (m.shape ? resolveShape(model.shapes[m.shape] as ModelMember) : m);
    const kindOf = (m: ModelMember): string => resolveShape(m).type ?? 'string';
    const matches = (shape: ParamShape, m: ModelMember, path: string): void => {
      const r = resolveShape(m);
      const kind = r.type ?? 'string';
      assert.equal(shape.kind, kind === 'long' ? 'integer' : kind, `${path}: declared ${shape.kind}, model ${kind}`);
      if (shape.kind === 'list') matches(shape.member, r.member as ModelMember, `${path}[]`);
      if (shape.kind === 'map') assert.equal(kindOf(r.value as ModelMember), 'string', `${path}: map values`);
      if (shape.kind === 'structure') {
        for (const [name, s] of Object.entries(shape.members)) {
          const member = r.members?.[name];
          assert.ok(member, `${path}.${name} is not in the model`);
          matches(s, member, `${path}.${name}`);
        }
      }
    };
    for (const spec of KMS_VERBS) {
      const op = model.operations[spec.operation];
      assert.ok(op, `${spec.operation} is not a KMS operation`);
      const members = op.input?.members ?? {};
      const required = new Set(op.input?.required ?? []);
      for (const p of spec.params) {
        const m = members[p.name];
        assert.ok(m, `${spec.verb} --${flagName(p.name)}: ${p.name} is not a member of ${spec.operation}`);
        matches(p.shape, m, `${spec.operation}.${p.name}`);
        assert.equal(p.required === true, required.has(p.name), `${spec.verb} --${flagName(p.name)} required-ness differs from the model`);
      }
      for (const r of required) assert.ok(spec.params.some((p) => p.name === r), `${spec.verb} lacks required ${r}`);
      if (spec.pageResult) {
        const out = resolveShape(op.output as ModelMember);
        assert.equal(kindOf(out.members?.[spec.pageResult] as ModelMember), 'list', `${spec.operation}.${spec.pageResult} is a list`);
        assert.ok(out.members?.['NextMarker'] && out.members['Truncated'], `${spec.operation} pages by NextMarker/Truncated`);
      }
    }
  });
});
