// Authorization and target resolution shared by the IAM operations. The account root may call IAM
// in its own account. Anyone else needs an identity policy allowing the action, which
// Services.authorizer evaluates; with the same-account authorizer (policy mode off), which
// evaluates no policies, IAM calls by users and roles are denied rather than allowed.

import { KontextError } from '../../errors.ts';
import { sameAccountAuthorizer } from '../../authz/authorizer.ts';
import type { OperationContext } from '../operation.ts';

export async function authorizeIam(ctx: OperationContext, action: string, resourceArn: string): Promise<void> {
  const { caller, services } = ctx;
  if (caller.type === 'Root') return;
  if (services.authorizer === sameAccountAuthorizer) {
    throw new KontextError(
      'AccessDeniedException',
      `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resourceArn} because no identity-based policy allows the ${action} action`,
      'IAM actions are reserved to the account root until identity policies are evaluated',
    );
  }
  await services.authorizer.authorize({
    caller,
    action,
    region: ctx.region,
    key: undefined,
    resourceArn,
    sourceIp: ctx.meta.sourceIp,
    secureTransport: ctx.meta.secureTransport,
    now: services.now(),
  });
}

/**
 * The user an access-key or GetUser call is about: the named one, else the caller itself (the root
 * user's own keys when the caller is the root). Session credentials must name a user, as in AWS.
 */
export function targetUserName(ctx: OperationContext, userName: string | undefined): string | undefined {
  if (userName !== undefined) return userName;
  const { caller } = ctx;
  if (caller.type === 'Root') return undefined;
  if (caller.type === 'IAMUser') return caller.userName;
  throw new KontextError('ValidationError', 'Must specify userName when calling with non-User credentials');
}

export const iamResourceArn = (accountId: string, kind: 'user' | 'role', path: string | undefined, name: string): string =>
  `arn:aws:iam::${accountId}:${kind}${path ?? '/'}${name}`;
