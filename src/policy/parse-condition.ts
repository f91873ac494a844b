// Validates a Condition block: known operators only (AWS rejects unknown ones), vendor-prefixed keys,
// values each operator can read, and the KMS key-policy rules (OverlyPermissiveCondition, keys that
// a key policy may not use). Unknown condition keys are accepted, as AWS does; they are simply
// absent from every request.

import { parseOperatorName } from './condition-operators.ts';
import { parseTemplate, staticParts } from './policy-template.ts';
import type { ConditionClause, PolicyKind, PolicyProblem, PolicyVersion } from './policy-document.ts';

export interface ConditionContext {
  readonly kind: PolicyKind;
  readonly version: PolicyVersion | undefined;
}

export const VENDOR_MESSAGE = 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';

/** KMS answers PutKeyPolicy with these in a key policy (reported in awsdocs/aws-kms-developer-guide#47). */
const NOT_IN_KEY_POLICY = [/^aws:resourcetag\//, /^kms:resourcealiases$/];

const OVERLY_PERMISSIVE: ReadonlyArray<{ readonly prefix: string; readonly message: string }> = [
  {
    prefix: 'kms:encryptioncontext:',
    message:
      'OverlyPermissiveCondition:EncryptionContext: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified encryption context or with an unspecified encryption context. To fix, remove ForAllValues.',
  },
  {
    prefix: 'aws:requesttag/',
    message:
      'OverlyPermissiveCondition:RequestTag: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified tag or with an unspecified tag. To fix, remove ForAllValues.',
  },
];

export function parseConditionBlock(
  value: unknown,
  path: string,
  ctx: ConditionContext,
  problems: PolicyProblem[],
): ConditionClause[] {
  if (!isObject(value)) {
    problems.push({ code: 'InvalidType', path, message: 'Syntax errors in policy: Condition must be an object' });
    return [];
  }
  const clauses: ConditionClause[] = [];
  const forbidden: string[] = [];
  for (const [operatorName, block] of Object.entries(value)) {
    const opPath = `${path}.${operatorName}`;
    const parsed = parseOperatorName(operatorName);
    if (!parsed) {
      problems.push({
        code: 'InvalidConditionOperator',
        path: opPath,
        message: `Syntax errors in policy: unknown condition operator "${operatorName}"`,
      });
      continue;
    }
    if (!isObject(block)) {
      problems.push({ code: 'InvalidType', path: opPath, message: `Syntax errors in policy: the "${operatorName}" condition must be an object` });
      continue;
    }
    for (const [key, raw] of Object.entries(block)) {
      const keyPath = `${opPath}.${key}`;
      const lower = key.toLowerCase();
      if (!/^[^:\s]+:\S/.test(key)) {
        problems.push({ code: 'InvalidConditionKey', path: keyPath, message: `${VENDOR_MESSAGE}: condition key "${key}"` });
        continue;
      }
      const values = conditionValues(raw);
      if (!values) {
        problems.push({
          code: 'InvalidConditionValue',
          path: keyPath,
          message: `Syntax errors in policy: condition values must be strings, numbers or booleans: "${key}"`,
        });
        continue;
      }
      const variables = ctx.version === '2012-10-17' && parsed.operator.acceptsVariables;
      const bad = values.find((v) => {
        const template = parseTemplate(v, variables);
        return !template.hasVariables && parsed.operator.prepare(staticParts(template)) === undefined;
      });
      if (bad !== undefined) {
        problems.push({
          code: 'InvalidConditionValue',
          path: keyPath,
          message: `Invalid value for condition operator ${parsed.canonical}: "${bad}"`,
        });
        continue;
      }
      if (ctx.kind === 'key') {
        const overly = parsed.qualifier === 'ForAllValues' ? OVERLY_PERMISSIVE.find((o) => lower.startsWith(o.prefix)) : undefined;
        if (overly) problems.push({ code: 'OverlyPermissiveCondition', path: keyPath, message: overly.message });
        if (NOT_IN_KEY_POLICY.some((re) => re.test(lower))) forbidden.push(key);
      }
      clauses.push({ operatorName, key, values });
    }
  }
  if (forbidden.length > 0) {
    problems.push({
      code: 'ConditionKeyNotPermitted',
      path,
      message: `These condition keys are not permitted in a key policy: ${forbidden.join(', ')}`,
    });
  }
  return clauses;
}

function conditionValues(raw: unknown): string[] | undefined {
  const list = Array.isArray(raw) ? raw : [raw];
  const out: string[] = [];
  for (const v of list) {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) out.push(String(v));
    else return undefined;
  }
  return out;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
