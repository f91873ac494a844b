// Whether a grant allows an operation for a caller (KMS Developer Guide, "Grant constraints"):
// EncryptionContextEquals needs the request's context to be exactly the constraint's pairs,
// EncryptionContextSubset needs every constraint pair in it; keys compare case-insensitively and
// values case-sensitively. Constraints apply only to operations that take a context.

import type { GrantConstraintType, PrincipalFacts } from './request-facts.ts';

export interface GrantConstraints {
  readonly encryptionContextEquals?: Readonly<Record<string, string>>;
  readonly encryptionContextSubset?: Readonly<Record<string, string>>;
}

export interface Grant {
  readonly grantId: string;
  readonly granteePrincipal: string;
  /** Grant operation names: `Decrypt`, `GenerateDataKey`, `DescribeKey`, ... */
  readonly operations: readonly string[];
  readonly constraints?: GrantConstraints;
}

export interface GrantRequest {
  readonly principal: PrincipalFacts;
  /** `Decrypt` or `kms:Decrypt`. */
  readonly operation: string;
  /** The request's context; for CreateGrant, the pairs of the new grant's constraint. */
  readonly encryptionContext?: Readonly<Record<string, string>>;
  /** For CreateGrant: the new grant's constraint type. */
  readonly grantConstraintType?: GrantConstraintType;
}

export interface GrantCheck {
  readonly allowed: boolean;
  readonly reason: string;
}

/** Operations that take an encryption context, where constraints are enforced. */
export const CONTEXT_OPERATIONS: ReadonlySet<string> = new Set([
  'Encrypt',
  'Decrypt',
  'ReEncryptFrom',
  'ReEncryptTo',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'CreateGrant',
]);

/**
 * The grantee matches the caller's ARN; for an assumed-role session it may also be the role's ARN,
 * as for a role principal in a key policy. An account grantee matches only the account's root user.
 */
export function granteeMatches(grantee: string, principal: PrincipalFacts): boolean {
  return grantee === principal.arn || (principal.roleArn !== undefined && grantee === principal.roleArn);
}

export function grantAllows(grant: Grant, request: GrantRequest): GrantCheck {
  const operation = request.operation.startsWith('kms:') ? request.operation.slice(4) : request.operation;
  const id = grant.grantId;
  if (!granteeMatches(grant.granteePrincipal, request.principal)) {
    return { allowed: false, reason: `Grant ${id} is for another grantee` };
  }
  if (!grant.operations.includes(operation)) {
    return { allowed: false, reason: `Grant ${id} does not allow ${operation}` };
  }
  const { encryptionContextEquals: equals, encryptionContextSubset: subset } = grant.constraints ?? {};
  if (!CONTEXT_OPERATIONS.has(operation) || (!equals && !subset)) {
    return { allowed: true, reason: `Grant ${id} allows ${operation}` };
  }
  const context = request.encryptionContext;
  if (!context) return { allowed: false, reason: `Grant ${id} requires an encryption context` };
  if (equals) {
    // A child grant may not loosen EncryptionContextEquals into a Subset.
    if (operation === 'CreateGrant' && request.grantConstraintType !== 'EncryptionContextEquals') {
      return { allowed: false, reason: `Grant ${id} allows CreateGrant only with an EncryptionContextEquals constraint` };
    }
    if (!contextEquals(equals, context)) {
      return { allowed: false, reason: `Grant ${id}: the encryption context does not equal the EncryptionContextEquals constraint` };
    }
  }
  if (subset && !contextIncludes(context, subset)) {
    return { allowed: false, reason: `Grant ${id}: the encryption context lacks a pair of the EncryptionContextSubset constraint` };
  }
  return { allowed: true, reason: `Grant ${id} allows ${operation} with this encryption context` };
}

function lowerKeyed(pairs: Readonly<Record<string, string>>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [k, v] of Object.entries(pairs)) {
    const key = k.toLowerCase();
    map.set(key, [...(map.get(key) ?? []), v]);
  }
  return map;
}

function contextIncludes(context: Readonly<Record<string, string>>, required: Readonly<Record<string, string>>): boolean {
  const have = lowerKeyed(context);
  return Object.entries(required).every(([k, v]) => {
    const values = have.get(k.toLowerCase());
    // Keys that differ only in case are ambiguous; require every such value to match.
    return values !== undefined && values.every((x) => x === v);
  });
}

function contextEquals(constraint: Readonly<Record<string, string>>, context: Readonly<Record<string, string>>): boolean {
  return Object.keys(constraint).length === Object.keys(context).length && contextIncludes(context, constraint);
}
