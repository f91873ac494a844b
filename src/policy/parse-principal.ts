// Validates a Principal / NotPrincipal element and normalises account ids to root ARNs. Formats follow
// IAM User Guide, "AWS JSON policy elements: Principal": no partial wildcards, `*` alone means all.

import type { PolicyKind, PolicyProblem, PrincipalSpec } from './policy-document.ts';

export interface PrincipalContext {
  readonly kind: PolicyKind;
  readonly partition: string;
  readonly principalExists: ((arn: string) => boolean) | undefined;
}

const ACCOUNT_ID = /^\d{12}$/;
const NAME = "[\\w+=,.@-]+";
const AWS_PRINCIPAL_ARN = new RegExp(
  '^arn:[a-z-]+:(' +
    `iam::\\d{12}:(root|user/(${NAME}/)*${NAME}|role/(${NAME}/)*${NAME})` +
    `|sts::\\d{12}:(assumed-role/${NAME}/${NAME}|federated-user/${NAME})` +
    ')$',
);
const SERVICE = /^[a-z0-9][a-z0-9.-]*$/;
const KNOWN_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;

/** Root ARN for an account id, as AWS rewrites `"AWS": "111122223333"` when it stores a policy. */
export function accountRootArn(accountId: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

export function parsePrincipal(
  value: unknown,
  path: string,
  ctx: PrincipalContext,
  problems: PolicyProblem[],
): PrincipalSpec | undefined {
  const invalid = (detail: string): undefined => {
    problems.push({ code: 'InvalidPrincipal', path, message: invalidPrincipalMessage(ctx.kind, detail) });
    return undefined;
  };
  if (value === '*') return { wildcard: true, aws: [], service: [], federated: [], canonicalUser: [] };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid(JSON.stringify(value) ?? 'null');
  const spec = { wildcard: false, aws: [] as string[], service: [] as string[], federated: [] as string[], canonicalUser: [] as string[] };
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return invalid('{}');
  for (const [type, raw] of entries) {
    if (!(KNOWN_TYPES as readonly string[]).includes(type)) return invalid(`"${type}"`);
    const list = typeof raw === 'string' ? [raw] : raw;
    if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string')) {
      return invalid(`"${type}":${JSON.stringify(raw)}`);
    }
    for (const item of list as string[]) {
      const shown = `"${type}":"${item}"`;
      if (type === 'AWS') {
        if (item === '*') spec.wildcard = true;
        else if (ACCOUNT_ID.test(item)) spec.aws.push(accountRootArn(item, ctx.partition));
        else if (AWS_PRINCIPAL_ARN.test(item)) spec.aws.push(item);
        else return invalid(shown);
      } else if (type === 'Service') {
        if (!SERVICE.test(item)) return invalid(shown);
        spec.service.push(item);
      } else if (type === 'Federated') {
        if (item.length === 0 || item.includes('*')) return invalid(shown);
        spec.federated.push(item);
      } else {
        // KMS key policies take no canonical users; S3-only syntax.
        if (ctx.kind === 'key' || !/^[0-9a-f]{64}$/.test(item)) return invalid(shown);
        spec.canonicalUser.push(item);
      }
    }
  }
  if (ctx.principalExists) {
    const missing = spec.aws.find((arn) => !(ctx.principalExists as (arn: string) => boolean)(arn));
    if (missing !== undefined) return invalid(`"AWS":"${missing}"`);
  }
  return spec;
}

function invalidPrincipalMessage(kind: PolicyKind, detail: string): string {
  return kind === 'key'
    ? `Policy contains a statement with one or more invalid principals: ${detail}`
    : `Invalid principal in policy: ${detail}`;
}
