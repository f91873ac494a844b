// AWS's AccessDenied message shapes. They name the caller, the action, the resource and which kind of
// policy failed to allow (or denied); they never reveal a condition or a request value.

import { KontextError } from '../errors.ts';

/** Which policy type is to blame, as the AWS message says it. */
export type DenialKind = 'noResourcePolicy' | 'noIdentityPolicy' | 'explicitDenyResource' | 'explicitDenyIdentity';

export interface AccessDeniedInput {
  readonly principalArn: string;
  readonly action: string;
  /** Omitted for actions without a resource (`*`). */
  readonly resource?: string;
  readonly denial: DenialKind;
}

export function accessDeniedMessage({ principalArn, action, resource, denial }: AccessDeniedInput): string {
  const head = `User: ${principalArn} is not authorized to perform: ${action}${resource && resource !== '*' ? ` on resource: ${resource}` : ''}`;
  switch (denial) {
    case 'noResourcePolicy':
      return `${head} because no resource-based policy allows the ${action} action`;
    case 'noIdentityPolicy':
      return `${head} because no identity-based policy allows the ${action} action`;
    case 'explicitDenyResource':
      return `${head} with an explicit deny in a resource-based policy`;
    case 'explicitDenyIdentity':
      return `${head} with an explicit deny in an identity-based policy`;
  }
}

/** The wire error for a denied request; `reason` (audit only) carries the evaluator's explanation. */
export function accessDeniedError(input: AccessDeniedInput, reason: string): KontextError {
  return new KontextError('AccessDeniedException', accessDeniedMessage(input), reason);
}
