// Lint rules about encryption-context conditions: keys spelled differently from the context schema,
// keys the schema does not have, and conditions no request can satisfy (the schema excludes every
// value, or two conditions on one key contradict each other).

import { compileWildcard, parseOperatorName, type ConditionClause, type PolicyStatement } from '../../policy/index.ts';
import { squashKey } from '../../detect/key-words.ts';
import { LinearPattern } from '../linear-pattern.ts';
import type { ContextSchemaDocument, SchemaField } from '../schema-document.ts';
import type { Report } from './lint-report.ts';

const CONTEXT_PREFIX = 'kms:encryptioncontext:';
const CONTEXT_KEYS = 'kms:encryptioncontextkeys';

export const conditionPath = (s: PolicyStatement, c: ConditionClause): string => `Statement[${s.index}].Condition.${c.operatorName}.${c.key}`;
const hasVariable = (v: string): boolean => v.includes('${');

/** A schema's fields, indexed for the lookups AWS makes (context keys in condition keys are case-insensitive). */
export class SchemaFields {
  readonly schema: ContextSchemaDocument;
  readonly #exact = new Map<string, SchemaField>();
  readonly #lower = new Map<string, SchemaField>();
  readonly #squashed = new Map<string, SchemaField>();
  readonly #patterns = new Map<string, LinearPattern | null>();

  constructor(schema: ContextSchemaDocument) {
    this.schema = schema;
    for (const f of schema.fields) {
      this.#exact.set(f.name, f);
      this.#lower.set(f.name.toLowerCase(), f);
      this.#squashed.set(squashKey(f.name), f);
    }
  }

  exact(key: string): SchemaField | undefined {
    return this.#exact.get(key);
  }

  /** The field a condition key reaches (AWS compares the context key case-insensitively). */
  reached(key: string): SchemaField | undefined {
    return this.#lower.get(key.toLowerCase());
  }

  similar(key: string): SchemaField | undefined {
    return this.#squashed.get(squashKey(key));
  }

  /** Whether a context value could pass the field's rules. */
  admits(f: SchemaField, value: string, ignoreCase: boolean): boolean {
    if (f.maxLength !== undefined && value.length > f.maxLength) return false;
    if (f.enum && !f.enum.some((e) => (ignoreCase ? e.toLowerCase() === value.toLowerCase() : e === value))) return false;
    if (f.pattern !== undefined && !ignoreCase) {
      let p = this.#patterns.get(f.name);
      if (p === undefined) {
        try {
          p = new LinearPattern(f.pattern);
        } catch {
          p = null;
        }
        this.#patterns.set(f.name, p);
      }
      if (p && !p.test(value)) return false;
    }
    return true;
  }
}

/** Checks one context key named in a condition against the schema. */
function checkKeyName(report: Report, s: PolicyStatement, c: ConditionClause, key: string, fields: SchemaFields): void {
  const path = conditionPath(s, c);
  if (fields.exact(key)) return;
  const reached = fields.reached(key);
  const name = fields.schema.name;
  if (reached) {
    report(
      'context-key-case-mismatch',
      s,
      path,
      `The condition names context key '${key}'; context schema '${name}' spells it '${reached.name}' (conditions compare context keys case-insensitively, so this works but misleads readers and case-sensitive tools)`,
      `Write '${reached.name}'`,
    );
    return;
  }
  const similar = fields.similar(key);
  const strict = fields.schema.allowOtherKeys === false && fields.schema.mode === 'enforce';
  report(
    'context-key-not-in-schema',
    s,
    path,
    `Context schema '${name}' has no key '${key}'${strict ? ', and it refuses contexts with undeclared keys, so only data encrypted before the schema can match' : ''}`,
    similar ? `Did you mean '${similar.name}'?` : `Add '${key}' to context schema '${name}', or fix the key name`,
  );
}

/** Keys named by the condition: the key part of kms:EncryptionContext:<key>, or the values of kms:EncryptionContextKeys. */
export function lintContextConditions(report: Report, s: PolicyStatement, fields: SchemaFields | undefined): void {
  for (const c of s.conditions) {
    const lower = c.key.toLowerCase();
    const op = parseOperatorName(c.operatorName);
    if (!op) continue;
    if (lower.startsWith(CONTEXT_PREFIX) && fields) {
      const key = c.key.slice(CONTEXT_PREFIX.length);
      checkKeyName(report, s, c, key, fields);
      const field = fields.reached(key);
      if (!field || op.operator.negated || op.operator.testsPresence || op.qualifier) continue;
      const values = c.values.filter((v) => !hasVariable(v));
      if (values.length === 0 || values.length !== c.values.length) continue;
      const name = op.operator.name;
      let admitted: boolean | undefined;
      if (name === 'StringEquals' || name === 'StringEqualsIgnoreCase') {
        admitted = values.some((v) => fields.admits(field, v, name === 'StringEqualsIgnoreCase'));
      } else if (name === 'StringLike' && field.enum) {
        admitted = values.some((v) => {
          const m = compileWildcard(v);
          return field.enum!.some((e) => m.test(e) && fields.admits(field, e, false));
        });
      }
      if (admitted === false) {
        report(
          'condition-never-matches',
          s,
          conditionPath(s, c),
          `Context schema '${fields.schema.name}' does not allow any of these values for '${field.name}' (its enum, pattern or maximum length excludes them), so the condition matches no context the schema accepts`,
          `Use a value the schema allows for '${field.name}', or change the schema`,
        );
      }
    } else if (lower === CONTEXT_KEYS && fields) {
      for (const v of c.values) if (!hasVariable(v) && !/[*?]/.test(v)) checkKeyName(report, s, c, v, fields);
    }
  }
  lintContradictions(report, s);
}

/**
 * Conditions on one single-valued key that cannot hold together: Null "true" with a value test,
 * or equality tests whose allowed values do not intersect.
 */
function lintContradictions(report: Report, s: PolicyStatement): void {
  const byKey = new Map<string, ConditionClause[]>();
  for (const c of s.conditions) {
    const k = c.key.toLowerCase();
    if (k === CONTEXT_KEYS || k === 'aws:tagkeys' || k === 'kms:grantoperations') continue; // multi-valued
    let list = byKey.get(k);
    if (!list) byKey.set(k, (list = []));
    list.push(c);
  }
  for (const clauses of byKey.values()) {
    if (clauses.length < 2) continue;
    const parsed = clauses.map((c) => ({ c, op: parseOperatorName(c.operatorName)! })).filter((p) => p.op && !p.op.qualifier);
    const mustBeAbsent = parsed.find((p) => p.op.operator.testsPresence && p.c.values.length === 1 && p.c.values[0]!.toLowerCase() === 'true');
    const valueTest = parsed.find((p) => !p.op.operator.testsPresence && !p.op.operator.negated && !p.op.ifExists);
    if (mustBeAbsent && valueTest) {
      report(
        'condition-never-matches',
        s,
        conditionPath(s, valueTest.c),
        `'${valueTest.c.key}' must be absent (Null: true) and must have a value (${valueTest.c.operatorName}) at the same time`,
        'Remove one of the two conditions',
      );
      continue;
    }
    const equalities = parsed.filter((p) => (p.op.operator.name === 'StringEquals' || p.op.operator.name === 'StringEqualsIgnoreCase') && !p.op.ifExists);
    if (equalities.length < 2 || equalities.some((p) => p.c.values.some(hasVariable))) continue;
    const [first, ...rest] = equalities;
    const survivors = first!.c.values.filter((v) =>
      rest.every((p) => p.c.values.some((w) => (p.op.operator.name === 'StringEqualsIgnoreCase' || first!.op.operator.name === 'StringEqualsIgnoreCase' ? w.toLowerCase() === v.toLowerCase() : w === v))),
    );
    if (survivors.length === 0) {
      report('condition-never-matches', s, conditionPath(s, rest[0]!.c), `The equality conditions on '${first!.c.key}' allow no common value`, 'Merge them into one condition listing the allowed values');
    }
  }
}
