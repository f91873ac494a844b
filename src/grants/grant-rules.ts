// What a grant may say, as KMS checks it in CreateGrant: operations that apply to the key, the
// encryption-context constraint limits (8 pairs, values up to 384 characters), and constraints only
// where the operations take an encryption context. Problems are returned as data.

import type { GrantConstraints } from '../policy/grants.ts';
import { GRANT_OPERATIONS, type GrantOperation } from './grant-record.ts';

/** Operations that need an asymmetric or HMAC key; a symmetric encryption key cannot grant them. */
const NOT_FOR_SYMMETRIC_KEYS: ReadonlySet<string> = new Set(['Sign', 'Verify', 'GetPublicKey', 'GenerateMac', 'VerifyMac']);

export const MAX_CONSTRAINT_PAIRS = 8;
export const MAX_CONSTRAINT_VALUE_CHARS = 384;

export function isGrantOperation(op: string): op is GrantOperation {
  return (GRANT_OPERATIONS as readonly string[]).includes(op);
}

/** Problems with a grant's operations and constraints for a SYMMETRIC_DEFAULT encryption key. */
export function grantProblems(operations: readonly string[], constraints: GrantConstraints | undefined): string[] {
  const problems: string[] = [];
  if (operations.length === 0) problems.push('Operations must list at least one grant operation');
  const unsupported = operations.filter((op) => NOT_FOR_SYMMETRIC_KEYS.has(op));
  if (unsupported.length > 0) {
    problems.push(`Grant operations ${unsupported.join(', ')} are not valid for a KMS key with KeySpec SYMMETRIC_DEFAULT and KeyUsage ENCRYPT_DECRYPT`);
  }
  for (const [name, pairs] of [
    ['EncryptionContextEquals', constraints?.encryptionContextEquals],
    ['EncryptionContextSubset', constraints?.encryptionContextSubset],
  ] as const) {
    if (!pairs) continue;
    const entries = Object.entries(pairs);
    if (entries.length > MAX_CONSTRAINT_PAIRS) problems.push(`${name} can include up to ${MAX_CONSTRAINT_PAIRS} encryption context pairs: it has ${entries.length}`);
    const long = entries.find(([, v]) => v.length > MAX_CONSTRAINT_VALUE_CHARS);
    if (long) problems.push(`An encryption context value in ${name} cannot exceed ${MAX_CONSTRAINT_VALUE_CHARS} characters: the value of '${long[0]}' has ${long[1].length}`);
  }
  return problems;
}

/** Drops empty constraint maps: `{}` constrains nothing. */
export function normalizeConstraints(c: { EncryptionContextEquals?: Record<string, string>; EncryptionContextSubset?: Record<string, string> } | undefined): GrantConstraints | undefined {
  const equals = c?.EncryptionContextEquals && Object.keys(c.EncryptionContextEquals).length > 0 ? { ...c.EncryptionContextEquals } : undefined;
  const subset = c?.EncryptionContextSubset && Object.keys(c.EncryptionContextSubset).length > 0 ? { ...c.EncryptionContextSubset } : undefined;
  if (!equals && !subset) return undefined;
  return { ...(equals ? { encryptionContextEquals: equals } : {}), ...(subset ? { encryptionContextSubset: subset } : {}) };
}

/** The constraint type kms:GrantConstraintType reports, and the pairs its kms:EncryptionContext: keys see. */
export function constraintFacts(c: GrantConstraints | undefined): { type: 'EncryptionContextEquals' | 'EncryptionContextSubset'; pairs: Readonly<Record<string, string>> } | undefined {
  if (c?.encryptionContextEquals) return { type: 'EncryptionContextEquals', pairs: c.encryptionContextEquals };
  if (c?.encryptionContextSubset) return { type: 'EncryptionContextSubset', pairs: c.encryptionContextSubset };
  return undefined;
}
