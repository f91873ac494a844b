// The shared path of every KMS operation on a key: resolve the KeyId, authorize the action, record
// the key in the audit event, then apply the key-state rule the operation needs.

import type { EncryptionContext } from '../../crypto/encryption-context.ts';
import type { KeyRecord } from '../../keys/key-record.ts';
import type { OperationContext } from '../operation.ts';

/** What an operation requires of the key's state (AWS "Key states" table). */
export type StateRule = 'usable' | 'notPendingDeletion' | 'any';

export interface UseKeyOptions {
  readonly state: StateRule;
  readonly encryptionContext?: EncryptionContext | undefined;
  readonly facts?: Readonly<Record<string, string | readonly string[]>>;
  /** The request's GrantTokens, validated by the authorizer. */
  readonly grantTokens?: readonly string[] | undefined;
}

export function recordKey(ctx: OperationContext, key: KeyRecord): void {
  if (!ctx.audit.resources.some((r) => r.ARN === key.arn)) {
    ctx.audit.resources.push({ ARN: key.arn, accountId: key.accountId, type: 'AWS::KMS::Key' });
  }
}

export async function authorizeKey(ctx: OperationContext, key: KeyRecord, action: string, opts: UseKeyOptions, alias?: string): Promise<void> {
  recordKey(ctx, key);
  const facts = alias === undefined ? opts.facts : { ...opts.facts, 'kms:requestalias': alias };
  await ctx.services.authorizer.authorize({
    caller: ctx.caller,
    action,
    region: ctx.region,
    key,
    encryptionContext: opts.encryptionContext,
    ...(facts ? { facts } : {}),
    ...(opts.grantTokens ? { grantTokens: opts.grantTokens } : {}),
    sourceIp: ctx.meta.sourceIp,
    secureTransport: ctx.meta.secureTransport,
    now: ctx.meta.receivedAt,
  });
  const keys = ctx.services.keys;
  if (opts.state === 'usable') keys.assertUsable(key);
  else if (opts.state === 'notPendingDeletion') keys.assertNotPendingDeletion(key);
}

export async function useKey(ctx: OperationContext, keyIdParam: string, action: string, opts: UseKeyOptions): Promise<KeyRecord> {
  const { key, alias } = await ctx.services.keys.resolve({ region: ctx.region, accountId: ctx.caller.accountId }, keyIdParam);
  await authorizeKey(ctx, key, action, opts, alias);
  return key;
}

/**
 * Authorizes an action that is not on a key (CreateKey, ListKeys, GenerateRandom): identity policies
 * decide. `resourceArn` names the resource when there is one (an alias), so a policy's Resource can match it.
 */
export async function authorizeAccountAction(
  ctx: OperationContext,
  action: string,
  facts?: Readonly<Record<string, string | readonly string[]>>,
  resourceArn?: string,
): Promise<void> {
  await ctx.services.authorizer.authorize({
    caller: ctx.caller,
    action,
    region: ctx.region,
    key: undefined,
    ...(resourceArn !== undefined ? { resourceArn } : {}),
    ...(facts ? { facts } : {}),
    sourceIp: ctx.meta.sourceIp,
    secureTransport: ctx.meta.secureTransport,
    now: ctx.meta.receivedAt,
  });
}
