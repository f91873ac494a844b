// Key policy checks shared by CreateKey and PutKeyPolicy. The policy engine replaces the JSON
// well-formedness check with full validation and the lockout safety check.

import { KontextError } from '../../errors.ts';
import type { KeyRecord } from '../../keys/key-record.ts';
import type { OperationContext } from '../operation.ts';

export const MAX_KEY_POLICY_BYTES = 32_768;

export async function checkKeyPolicy(ctx: OperationContext, policy: string, bypassLockoutCheck: boolean, key: KeyRecord | undefined): Promise<void> {
  if (Buffer.byteLength(policy, 'utf8') > MAX_KEY_POLICY_BYTES) {
    throw new KontextError('LimitExceededException', `Key policy exceeds the maximum size of ${MAX_KEY_POLICY_BYTES} bytes`);
  }
  await ctx.services.authorizer.validateKeyPolicy?.(policy, {
    caller: ctx.caller,
    region: ctx.region,
    key,
    bypassLockoutCheck,
  });
  if (!ctx.services.authorizer.validateKeyPolicy) {
    try {
      const doc = JSON.parse(policy) as unknown;
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('not an object');
    } catch {
      throw new KontextError('MalformedPolicyDocumentException', 'Key policy is not a valid JSON document');
    }
  }
}
