// Key policy checks shared by CreateKey and PutKeyPolicy: the 32 KB limit ("If the key policy
// exceeds the length constraint, KMS returns a LimitExceededException"), then the authorizer's
// validation (MalformedPolicyDocumentException: syntax, principals that must exist, and the lockout
// safety check unless BypassPolicyLockoutSafetyCheck).

import { KontextError } from '../../errors.ts';
import { KEY_POLICY_MAX_BYTES } from '../../policy/index.ts';
import type { KeyRecord } from '../../keys/key-record.ts';
import type { OperationContext } from '../operation.ts';

export const MAX_KEY_POLICY_BYTES = KEY_POLICY_MAX_BYTES;

export async function checkKeyPolicy(ctx: OperationContext, policy: string, bypassLockoutCheck: boolean, key: KeyRecord | undefined): Promise<void> {
  if (Buffer.byteLength(policy, 'utf8') > MAX_KEY_POLICY_BYTES) {
    throw new KontextError('LimitExceededException', `Key policy exceeds the maximum size of ${MAX_KEY_POLICY_BYTES} bytes`);
  }
  const { authorizer, policies } = ctx.services;
  // With enforcement off the engine still validates, so no policy is stored that could not be enforced later.
  const validator = authorizer.validateKeyPolicy ? authorizer : policies;
  await validator.validateKeyPolicy?.(policy, {
    caller: ctx.caller,
    region: ctx.region,
    key,
    bypassLockoutCheck,
    sourceIp: ctx.meta.sourceIp,
    secureTransport: ctx.meta.secureTransport,
    now: ctx.meta.receivedAt,
  });
}
