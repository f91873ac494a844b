// A context schema as data: what it applies to (key ids, alias patterns, tags), the context keys it
// requires or allows and their rules, and its mode. Stored as JSON, one row per version.

export const SCHEMA_MODES = ['enforce', 'warn', 'off'] as const;
export type SchemaMode = (typeof SCHEMA_MODES)[number];

export const KEY_CONVENTIONS = ['snake_case', 'camelCase', 'PascalCase', 'kebab-case', 'any'] as const;
export type KeyConvention = (typeof KEY_CONVENTIONS)[number];

export interface SchemaField {
  readonly name: string;
  readonly required: boolean;
  readonly description?: string;
  /** A regular expression in the linear-time subset (see linear-pattern.ts). */
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly maxLength?: number;
}

export interface TagSelector {
  readonly tagKey: string;
  /** Undefined: any value. */
  readonly tagValue?: string;
}

export interface SchemaTarget {
  /** Key ids (UUIDs). */
  readonly keyIds: readonly string[];
  /** `alias/payments-*`: `*` any run of characters, `?` one character. */
  readonly aliasPatterns: readonly string[];
  readonly tags: readonly TagSelector[];
}

export interface CanonicalName {
  readonly name: string;
  /** Spellings to flag in favour of `name` (`client_id`, `org_id` → `customer_id`). */
  readonly aliases: readonly string[];
}

export interface KeyNamingRules {
  readonly convention: KeyConvention;
  readonly canonicalNames: readonly CanonicalName[];
}

export interface ContextSchemaDocument {
  readonly name: string;
  readonly description: string;
  readonly mode: SchemaMode;
  readonly appliesTo: SchemaTarget;
  readonly fields: readonly SchemaField[];
  /** Whether keys the schema does not declare are allowed. */
  readonly allowOtherKeys: boolean;
  /** Overrides the server-wide secret-detection mode for the keys this schema applies to. */
  readonly secretDetection?: SchemaMode;
  /** Overrides the server-wide key-naming rules for the keys this schema applies to. */
  readonly keyNaming?: KeyNamingRules;
}

/** One stored version. A deletion is a version too (a tombstone), so history is never lost. */
export interface ContextSchemaVersion {
  readonly region: string;
  readonly accountId: string;
  readonly name: string;
  readonly version: number;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly deleted: boolean;
  readonly document: ContextSchemaDocument;
}

/** A problem with a schema document, as data (turned into one ValidationException at the edge). */
export interface SchemaProblem {
  readonly code: string;
  readonly path: string;
  readonly message: string;
}
