// The authenticated caller as the policy engine sees it: aws:PrincipalType, aws:userid,
// aws:username, the role of a session, and the principal's tags.

import type { Caller } from './caller.ts';
import type { PrincipalFacts } from '../policy/index.ts';

export function callerPrincipalFacts(caller: Caller, tags?: Readonly<Record<string, string>>): PrincipalFacts {
  const type = caller.type === 'Root' ? 'Account' : caller.type === 'IAMUser' ? 'User' : 'AssumedRole';
  return {
    arn: caller.arn,
    accountId: caller.accountId,
    type,
    userId: caller.principalId,
    ...(caller.type === 'IAMUser' && caller.userName !== undefined ? { username: caller.userName } : {}),
    ...(caller.type === 'AssumedRole' && caller.sessionIssuer ? { roleArn: caller.sessionIssuer.arn } : {}),
    ...(tags && Object.keys(tags).length > 0 ? { tags } : {}),
  };
}

/** Whose inline policies apply to a caller: the user's, the session's role's, none for the root. */
export function policyOwnerOf(caller: Caller): { accountId: string; ownerType: 'user' | 'role'; ownerName: string } | undefined {
  if (caller.type === 'IAMUser' && caller.userName !== undefined) return { accountId: caller.accountId, ownerType: 'user', ownerName: caller.userName };
  if (caller.type === 'AssumedRole' && caller.sessionIssuer) {
    return { accountId: caller.sessionIssuer.accountId, ownerType: 'role', ownerName: caller.sessionIssuer.userName };
  }
  return undefined;
}

export const tagRecord = (tags: ReadonlyArray<{ readonly Key: string; readonly Value: string }>): Readonly<Record<string, string>> | undefined => {
  if (tags.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const t of tags) out[t.Key] = t.Value;
  return out;
};
