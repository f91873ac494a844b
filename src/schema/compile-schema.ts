// Validates a schema document and compiles it once into the checker requests run: field rules in
// a Map, patterns as linear-time automata, enums as Sets. Problems come back as data.

import { squashKey } from '../detect/key-words.ts';
import { LinearPattern, PatternError } from './linear-pattern.ts';
import { KeyNamingCheck } from './key-naming.ts';
import { KEY_CONVENTIONS, SCHEMA_MODES, type ContextSchemaDocument, type SchemaMode, type SchemaProblem } from './schema-document.ts';

export const SCHEMA_LIMITS = {
  fields: 64,
  enumValues: 256,
  enumValueLength: 256,
  maxLength: 8192,
  keyIds: 100,
  aliasPatterns: 50,
  tags: 50,
  canonicalNames: 100,
  aliasesPerName: 20,
} as const;

export const SCHEMA_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;
const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const ALIAS_PATTERN = /^alias\/[a-zA-Z0-9:/_*?-]+$/;

export type SchemaIssueCode = 'missing-required-key' | 'unexpected-key' | 'pattern-mismatch' | 'enum-mismatch' | 'too-long';

/** A context that breaks a schema rule. Never carries the value. */
export interface SchemaIssue {
  readonly code: SchemaIssueCode;
  readonly key: string;
  /** What the rule says (pattern source, enum, limit, suggestion): schema text, never the value. */
  readonly rule: string;
}

interface CompiledField {
  readonly name: string;
  readonly required: boolean;
  readonly pattern: LinearPattern | undefined;
  readonly enumValues: ReadonlySet<string> | undefined;
  readonly maxLength: number | undefined;
}

export class CompiledSchema {
  readonly document: ContextSchemaDocument;
  readonly version: number;
  readonly #fields = new Map<string, CompiledField>();
  readonly #required: readonly string[];
  readonly #squashed = new Map<string, string>();
  readonly #nearMisses = new Map<string, string | null>();
  readonly naming: KeyNamingCheck | undefined;

  constructor(document: ContextSchemaDocument, version: number, patterns: ReadonlyMap<string, LinearPattern>) {
    this.document = document;
    this.version = version;
    for (const f of document.fields) {
      this.#fields.set(f.name, {
        name: f.name,
        required: f.required,
        pattern: patterns.get(f.name),
        enumValues: f.enum ? new Set(f.enum) : undefined,
        maxLength: f.maxLength,
      });
      this.#squashed.set(squashKey(f.name), f.name);
    }
    this.#required = document.fields.filter((f) => f.required).map((f) => f.name);
    this.naming = document.keyNaming ? new KeyNamingCheck(document.keyNaming) : undefined;
  }

  get name(): string {
    return this.document.name;
  }

  get mode(): SchemaMode {
    return this.document.mode;
  }

  /** The declared field a differently spelled key probably meant (`Customer_ID` → `customer_id`). */
  nearMiss(key: string): string | undefined {
    if (this.#fields.has(key)) return undefined;
    const hit = this.#nearMisses.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const f = this.#squashed.get(squashKey(key));
    if (this.#nearMisses.size >= 4096) this.#nearMisses.clear();
    this.#nearMisses.set(key, f ?? null);
    return f;
  }

  /** Pushes every rule `context` breaks onto `issues` (allocates only when there is one). */
  check(context: Readonly<Record<string, string>>, issues: SchemaIssue[]): void {
    for (const name of this.#required) {
      if (!Object.prototype.hasOwnProperty.call(context, name)) issues.push({ code: 'missing-required-key', key: name, rule: 'required' });
    }
    for (const key in context) {
      const field = this.#fields.get(key);
      if (!field) {
        if (!this.document.allowOtherKeys) {
          const near = this.nearMiss(key);
          issues.push({ code: 'unexpected-key', key, rule: near ? `did you mean '${near}'?` : 'not declared' });
        }
        continue;
      }
      const value = context[key]!;
      if (field.maxLength !== undefined && value.length > field.maxLength) issues.push({ code: 'too-long', key, rule: String(field.maxLength) });
      else if (field.enumValues && !field.enumValues.has(value)) issues.push({ code: 'enum-mismatch', key, rule: [...field.enumValues].join(', ') });
      else if (field.pattern && !field.pattern.test(value)) issues.push({ code: 'pattern-mismatch', key, rule: field.pattern.source });
    }
  }
}

export type CompileResult = { readonly ok: true; readonly schema: CompiledSchema } | { readonly ok: false; readonly problems: readonly SchemaProblem[] };

/** Normalizes key ARNs in `appliesTo.keyIds` to key ids. */
export function normalizeKeyId(ref: string): string | undefined {
  if (KEY_ID.test(ref)) return ref;
  return KEY_ARN.exec(ref)?.[1];
}

/** Validates `doc`; on success returns it compiled (with key ARNs normalized to key ids). */
export function compileSchema(doc: ContextSchemaDocument, version: number): CompileResult {
  const problems: SchemaProblem[] = [];
  const problem = (code: string, path: string, message: string) => problems.push({ code, path, message });
  if (!SCHEMA_NAME_PATTERN.test(doc.name)) problem('InvalidName', 'schemaName', 'Schema names are 1 to 128 letters, digits, dots, dashes or underscores');
  if (!SCHEMA_MODES.includes(doc.mode)) problem('InvalidMode', 'mode', `Mode must be one of: ${SCHEMA_MODES.join(', ')}`);
  if (doc.secretDetection !== undefined && !SCHEMA_MODES.includes(doc.secretDetection)) {
    problem('InvalidMode', 'secretDetection', `SecretDetection must be one of: ${SCHEMA_MODES.join(', ')}`);
  }

  const t = doc.appliesTo;
  if (t.keyIds.length + t.aliasPatterns.length + t.tags.length === 0) {
    problem('MissingTarget', 'appliesTo', 'A schema must apply to at least one key id, alias pattern or tag');
  }
  const keyIds: string[] = [];
  t.keyIds.forEach((ref, i) => {
    const id = normalizeKeyId(ref);
    if (id === undefined) problem('InvalidKeyId', `appliesTo.keyIds.${i + 1}`, 'Key ids must be key ids or key ARNs');
    else keyIds.push(id);
  });
  if (t.keyIds.length > SCHEMA_LIMITS.keyIds) problem('TooMany', 'appliesTo.keyIds', `At most ${SCHEMA_LIMITS.keyIds} key ids`);
  t.aliasPatterns.forEach((p, i) => {
    if (!ALIAS_PATTERN.test(p) || p.length > 256) problem('InvalidAliasPattern', `appliesTo.aliasPatterns.${i + 1}`, "Alias patterns start with 'alias/' and use letters, digits, ':/_-' and the wildcards '*' and '?'");
  });
  if (t.aliasPatterns.length > SCHEMA_LIMITS.aliasPatterns) problem('TooMany', 'appliesTo.aliasPatterns', `At most ${SCHEMA_LIMITS.aliasPatterns} alias patterns`);
  t.tags.forEach((tag, i) => {
    if (tag.tagKey.length < 1 || tag.tagKey.length > 128) problem('InvalidTag', `appliesTo.tags.${i + 1}.tagKey`, 'Tag keys are 1 to 128 characters');
    if (tag.tagValue !== undefined && tag.tagValue.length > 256) problem('InvalidTag', `appliesTo.tags.${i + 1}.tagValue`, 'Tag values are at most 256 characters');
  });
  if (t.tags.length > SCHEMA_LIMITS.tags) problem('TooMany', 'appliesTo.tags', `At most ${SCHEMA_LIMITS.tags} tags`);

  if (doc.fields.length > SCHEMA_LIMITS.fields) problem('TooMany', 'fields', `At most ${SCHEMA_LIMITS.fields} fields`);
  const seen = new Set<string>();
  const patterns = new Map<string, LinearPattern>();
  doc.fields.forEach((f, i) => {
    const path = `fields.${i + 1}`;
    if (f.name.length < 1 || f.name.length > 128) problem('InvalidFieldName', `${path}.name`, 'Field names are 1 to 128 characters');
    if (seen.has(f.name)) problem('DuplicateField', `${path}.name`, `Field '${f.name}' is declared twice`);
    seen.add(f.name);
    if (f.pattern !== undefined) {
      try {
        patterns.set(f.name, new LinearPattern(f.pattern));
      } catch (err) {
        const why = err instanceof PatternError ? err.message : 'invalid';
        problem('InvalidPattern', `${path}.pattern`, `Pattern of field '${f.name}' is not accepted: ${why}`);
      }
    }
    if (f.enum !== undefined) {
      if (f.enum.length < 1 || f.enum.length > SCHEMA_LIMITS.enumValues) problem('InvalidEnum', `${path}.enum`, `An enum has 1 to ${SCHEMA_LIMITS.enumValues} values`);
      if (new Set(f.enum).size !== f.enum.length) problem('InvalidEnum', `${path}.enum`, `Enum of field '${f.name}' repeats a value`);
      if (f.enum.some((v) => v.length > SCHEMA_LIMITS.enumValueLength)) problem('InvalidEnum', `${path}.enum`, `Enum values are at most ${SCHEMA_LIMITS.enumValueLength} characters`);
    }
    if (f.maxLength !== undefined && (!Number.isInteger(f.maxLength) || f.maxLength < 1 || f.maxLength > SCHEMA_LIMITS.maxLength)) {
      problem('InvalidMaxLength', `${path}.maxLength`, `MaxLength is 1 to ${SCHEMA_LIMITS.maxLength}`);
    }
  });

  const naming = doc.keyNaming;
  if (naming) {
    if (!KEY_CONVENTIONS.includes(naming.convention)) problem('InvalidConvention', 'keyNaming.convention', `Convention must be one of: ${KEY_CONVENTIONS.join(', ')}`);
    if (naming.canonicalNames.length > SCHEMA_LIMITS.canonicalNames) problem('TooMany', 'keyNaming.canonicalNames', `At most ${SCHEMA_LIMITS.canonicalNames} canonical names`);
    const aliasOwner = new Map<string, string>();
    naming.canonicalNames.forEach((c, i) => {
      const path = `keyNaming.canonicalNames.${i + 1}`;
      if (c.name.length < 1 || c.name.length > 128) problem('InvalidFieldName', `${path}.name`, 'Canonical names are 1 to 128 characters');
      if (c.aliases.length > SCHEMA_LIMITS.aliasesPerName) problem('TooMany', `${path}.aliases`, `At most ${SCHEMA_LIMITS.aliasesPerName} aliases per name`);
      for (const a of c.aliases) {
        if (a === c.name) problem('InvalidAlias', `${path}.aliases`, `'${a}' cannot be an alias of itself`);
        else if (seen.has(a)) problem('InvalidAlias', `${path}.aliases`, `'${a}' is declared as a field and cannot be an alias of '${c.name}'`);
        else if (aliasOwner.has(a) && aliasOwner.get(a) !== c.name) problem('InvalidAlias', `${path}.aliases`, `'${a}' is an alias of both '${aliasOwner.get(a)}' and '${c.name}'`);
        aliasOwner.set(a, c.name);
      }
    });
  }

  if (problems.length > 0) return { ok: false, problems };
  const normalized: ContextSchemaDocument = { ...doc, appliesTo: { ...t, keyIds: [...new Set(keyIds)] } };
  return { ok: true, schema: new CompiledSchema(normalized, version, patterns) };
}
