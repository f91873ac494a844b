// Size and character limits of policy documents, checked on the raw text before parsing.
// KMS: key policies ≤ 32 KB, printable ASCII + Latin-1 Supplement + tab/LF/CR (KMS Developer Guide,
// "Key policy format"). IAM: the same character set (API PolicyDocument pattern); sizes count
// characters and "IAM doesn't count white space" (IAM User Guide, "IAM and AWS STS quotas").

import type { PolicyKind, PolicyProblem } from './policy-document.ts';

export const KEY_POLICY_MAX_BYTES = 32_768;

/** IAM inline policy quotas: the sum of an entity's inline policies, whitespace excluded. */
export const IAM_INLINE_POLICY_LIMITS = { user: 2_048, group: 5_120, role: 10_240 } as const;
export const IAM_MANAGED_POLICY_MAX_CHARS = 6_144;
/** Role trust policy length, default quota (it can be raised to 8,192 in AWS). */
export const ROLE_TRUST_POLICY_MAX_CHARS = 2_048;

export type IdentityPolicyOwner = keyof typeof IAM_INLINE_POLICY_LIMITS;

export function defaultMaxSize(kind: PolicyKind, owner: IdentityPolicyOwner = 'role'): number {
  if (kind === 'key') return KEY_POLICY_MAX_BYTES;
  if (kind === 'trust') return ROLE_TRUST_POLICY_MAX_CHARS;
  return IAM_INLINE_POLICY_LIMITS[owner];
}

/** IAM's measure: characters outside JSON string literals that are whitespace do not count. */
export function iamPolicySize(text: string): number {
  let size = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      size++;
      if (c === 0x5c) {
        size++;
        i++;
      } else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
      size++;
    } else if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) size++;
  }
  return size;
}

export function policySize(kind: PolicyKind, text: string): number {
  return kind === 'key' ? Buffer.byteLength(text, 'utf8') : iamPolicySize(text);
}

export function checkPolicyText(kind: PolicyKind, text: string, maxSize: number): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const size = policySize(kind, text);
  if (size > maxSize) {
    problems.push({
      code: 'PolicyTooLarge',
      path: '',
      message: `Cannot exceed quota for PolicySize: ${maxSize} (the policy has ${size} ${kind === 'key' ? 'bytes' : 'characters'})`,
    });
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x20 && c <= 0xff) || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    const point = text.codePointAt(i) ?? c;
    problems.push({
      code: 'InvalidCharacter',
      path: '',
      message: `Policy contains a character that is not allowed: U+${point.toString(16).toUpperCase().padStart(4, '0')} at offset ${i}`,
    });
    break;
  }
  return problems;
}
