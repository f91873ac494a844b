// The one authorization call every operation makes. PolicyAuthorizer (policy-authorizer.ts) is the
// real one; the same-account authorizer below is what runs with policy evaluation switched off
// (KONTEXT_POLICY_MODE=off, for benchmarks): a caller may use the keys of its own account only.

import { KontextError } from '../errors.ts';
import type { Caller } from '../identity/caller.ts';
import type { KeyRecord } from '../keys/key-record.ts';
import type { EncryptionContext } from '../crypto/encryption-context.ts';

export interface AuthzRequest {
  readonly caller: Caller;
  /** IAM action, e.g. `kms:Decrypt`. */
  readonly action: string;
  readonly region: string;
  /** The key acted on; absent for actions authorized by identity policies only (CreateKey, ListKeys). */
  readonly key: KeyRecord | undefined;
  /** The resource ARN when it is not a key (an alias, an IAM user). */
  readonly resourceArn?: string;
  readonly encryptionContext?: EncryptionContext | undefined;
  /** Further condition-key values for this request, lowercase keys (e.g. `kms:requestalias`). */
  readonly facts?: Readonly<Record<string, string | readonly string[]>>;
  /** The request's GrantTokens: each must be a token this service issued (InvalidGrantTokenException). */
  readonly grantTokens?: readonly string[] | undefined;
  /**
   * The caller is allowed unless an explicit Deny applies (RetireGrant by the grant's retiring
   * principal or grantee: "permission to retire a grant is determined primarily by the grant").
   */
  readonly allowUnlessDenied?: boolean;
  readonly sourceIp: string;
  readonly secureTransport: boolean;
  readonly now: number;
}

export interface KeyPolicyCheck {
  readonly caller: Caller;
  readonly region: string;
  /** The key whose policy is replaced; absent for CreateKey. */
  readonly key: KeyRecord | undefined;
  readonly bypassLockoutCheck: boolean;
  /** The current request's network facts and time, so the lockout check judges it as it is now. */
  readonly sourceIp?: string;
  readonly secureTransport?: boolean;
  readonly now?: number;
}

export interface Authorizer {
  /** Resolves when allowed; throws AccessDeniedException otherwise. */
  authorize(request: AuthzRequest): Promise<void>;
  /** Validates a key policy (MalformedPolicyDocumentException) including the lockout safety check. */
  validateKeyPolicy?(policy: string, check: KeyPolicyCheck): Promise<void>;
}

export function accessDenied(request: AuthzRequest, because: string): KontextError {
  const resource = request.key?.arn ?? request.resourceArn ?? '*';
  return new KontextError(
    'AccessDeniedException',
    `User: ${request.caller.arn} is not authorized to perform: ${request.action} on resource: ${resource} because ${because}`,
  );
}

/** Same-account authorizer: policy evaluation off. */
export const sameAccountAuthorizer: Authorizer = {
  async authorize(request) {
    if (request.key && request.key.accountId !== request.caller.accountId) {
      throw accessDenied(request, `no resource-based policy allows the ${request.action} action`);
    }
  },
};
