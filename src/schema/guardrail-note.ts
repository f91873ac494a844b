// What a context check leaves in the audit record (AuditNotes.guardrails): which schema version
// governed the key, the outcome, and each finding by key name and code, never by value.

import type { MatchedBy } from './scope-schemas.ts';
import type { SchemaMode } from './schema-document.ts';

export type GuardrailSource = 'schema' | 'secret' | 'naming';

export interface GuardrailFinding {
  readonly source: GuardrailSource;
  /** `missing-required-key`, `card-number`, `key-convention`, ... */
  readonly code: string;
  /** The context key (a redaction marker when the key itself looks secret). */
  readonly key: string;
  readonly action: 'reject' | 'warn';
  /** The canonical spelling, for naming findings. */
  readonly suggestion?: string;
  /** The schema rule broken (pattern source, enum values, length limit): schema text, never the value. */
  readonly rule?: string;
}

export interface GuardrailNote {
  /** Which request parameter was checked: `encryptionContext`, `destinationEncryptionContext`. */
  readonly field: string;
  readonly schema?: { readonly name: string; readonly version: number; readonly mode: SchemaMode; readonly matchedBy: MatchedBy };
  readonly secretDetection: SchemaMode;
  readonly result: 'pass' | 'warn' | 'reject';
  readonly findings?: readonly GuardrailFinding[];
}
