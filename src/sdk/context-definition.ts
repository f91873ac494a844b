// A kind of data's encryption context, declared once: its typed fields and fixed pairs. The same
// declaration builds the context on encrypt and on decrypt, so the two cannot disagree, and a
// missing, extra or malformed field is a type error and, at run time, a ContextFieldError
// raised before any call to KMS.

export type FieldSpec =
  | 'string'
  | 'number'
  | { readonly type: 'string'; readonly pattern?: RegExp; readonly oneOf?: readonly string[] }
  | { readonly type: 'number'; readonly integer?: boolean };

export type FieldSpecs = Readonly<Record<string, FieldSpec>>;

/** The TypeScript type of a field's value. */
export type FieldValue<S extends FieldSpec> = S extends 'number' | { readonly type: 'number' }
  ? number
  : S extends { readonly oneOf: readonly (infer U extends string)[] }
    ? U
    : string;

/** Exactly the declared fields, each with its type. */
export type ContextValues<F extends FieldSpecs> = { readonly [K in keyof F]: FieldValue<F[K]> };

export type EncryptionContext = Record<string, string>;

export interface ContextIssue {
  readonly code: 'missing' | 'unexpected' | 'invalid_type' | 'pattern' | 'not_allowed';
  readonly path: string;
  readonly message: string;
}

/** The values do not fit the declaration. Raised before any request, with every problem listed. */
export class ContextFieldError extends Error {
  override readonly name = 'ContextFieldError';
  constructor(readonly issues: readonly ContextIssue[]) {
    super(`Invalid encryption context: ${issues.map((i) => i.message).join('; ')}`);
  }
}

export interface ContextDefinition<F extends FieldSpecs> {
  readonly fields: F;
  /** Pairs in every context of this kind (e.g. `purpose: 'invoice'`). */
  readonly fixed: Readonly<EncryptionContext>;
  /** Every key of the context: the fields and the fixed pairs. */
  readonly keys: readonly string[];
  /** The encryption context for these values; throws ContextFieldError. */
  build(values: ContextValues<F>): EncryptionContext;
}

export interface ContextDeclaration<F extends FieldSpecs> {
  readonly fields: F;
  readonly fixed?: Readonly<EncryptionContext>;
}

/**
 * Declares a kind of data's context. `fields` are supplied per call (typed); `fixed` pairs are
 * added to every context. Example:
 * `defineContext({ fields: { tenant_id: { type: 'string', pattern: /^t_/ } }, fixed: { purpose: 'invoices' } })`.
 */
export function defineContext<const F extends FieldSpecs>(declaration: ContextDeclaration<F>): ContextDefinition<F> {
  const fields = declaration.fields;
  const fixed = Object.freeze({ ...(declaration.fixed ?? {}) });
  const fieldNames = Object.keys(fields);
  if (fieldNames.length + Object.keys(fixed).length === 0) throw new TypeError('defineContext: declare at least one field or fixed pair');
  for (const name of fieldNames) {
    if (name === '') throw new TypeError('defineContext: a field name may not be empty');
    if (Object.prototype.hasOwnProperty.call(fixed, name)) throw new TypeError(`defineContext: '${name}' is both a field and a fixed pair`);
  }
  for (const [k, v] of Object.entries(fixed)) if (typeof v !== 'string') throw new TypeError(`defineContext: fixed pair '${k}' must be a string`);
  const keys = Object.freeze([...fieldNames, ...Object.keys(fixed)]);
  return {
    fields,
    fixed,
    keys,
    build(values) {
      const context: EncryptionContext = {};
      const issues: ContextIssue[] = [];
      const given = (values ?? {}) as Record<string, unknown>;
      for (const name of fieldNames) {
        if (!Object.prototype.hasOwnProperty.call(given, name) || given[name] === undefined) {
          issues.push({ code: 'missing', path: name, message: `missing field '${name}'` });
          continue;
        }
        const text = fieldText(name, fields[name] as FieldSpec, given[name], issues);
        if (text !== undefined) context[name] = text;
      }
      for (const name of Object.keys(given)) {
        if (!Object.prototype.hasOwnProperty.call(fields, name)) issues.push({ code: 'unexpected', path: name, message: `unexpected field '${name}'` });
      }
      if (issues.length > 0) throw new ContextFieldError(issues);
      return { ...context, ...fixed };
    },
  };
}

function fieldText(name: string, spec: FieldSpec, value: unknown, issues: ContextIssue[]): string | undefined {
  const kind = typeof spec === 'string' ? spec : spec.type;
  if (kind === 'number') {
    const integer = typeof spec === 'object' && 'integer' in spec && spec.integer === true;
    if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      issues.push({ code: 'invalid_type', path: name, message: `field '${name}' must be a finite ${integer ? 'integer' : 'number'}` });
      return undefined;
    }
    return String(value);
  }
  if (typeof value !== 'string') {
    issues.push({ code: 'invalid_type', path: name, message: `field '${name}' must be a string` });
    return undefined;
  }
  if (typeof spec === 'object' && spec.type === 'string') {
    if (spec.oneOf && !spec.oneOf.includes(value)) {
      issues.push({ code: 'not_allowed', path: name, message: `field '${name}' must be one of ${spec.oneOf.map((v) => `'${v}'`).join(', ')}` });
      return undefined;
    }
    if (spec.pattern && !new RegExp(spec.pattern.source, spec.pattern.flags.replace(/[gy]/g, '')).test(value)) {
      issues.push({ code: 'pattern', path: name, message: `field '${name}' does not match ${String(spec.pattern)}` });
      return undefined;
    }
  }
  return value;
}
