// Matches the caller against a compiled Principal / NotPrincipal. An account principal (root ARN or
// id) names the root user directly and delegates to the account's IAM policies for everyone else.
// A role ARN matches every session of the role, an assumed-role ARN only that session (IAM User
// Guide, "AWS JSON policy elements: Principal").

import type { PrincipalSpec } from './policy-document.ts';
import type { PrincipalFacts } from './request-facts.ts';

/** direct: the statement names the caller; account: it names the caller's account (delegation). */
export type PrincipalMatch = 'direct' | 'account' | 'none';

export interface PrincipalMatcher {
  match(principal: PrincipalFacts): PrincipalMatch;
}

const ROOT_ARN = /^arn:[a-z-]+:iam::(\d{12}):root$/;

interface Compiled {
  readonly wildcard: boolean;
  readonly arns: ReadonlySet<string>;
  readonly accounts: ReadonlySet<string>;
}

function compile(spec: PrincipalSpec): Compiled {
  const arns = new Set<string>();
  const accounts = new Set<string>();
  for (const arn of spec.aws) {
    const root = ROOT_ARN.exec(arn);
    if (root) accounts.add(root[1] as string);
    else arns.add(arn);
  }
  return { wildcard: spec.wildcard, arns, accounts };
}

export function compilePrincipal(spec: PrincipalSpec): PrincipalMatcher {
  const { wildcard, arns, accounts } = compile(spec);
  return {
    match(p) {
      if (wildcard || arns.has(p.arn) || (p.roleArn !== undefined && arns.has(p.roleArn))) return 'direct';
      if (accounts.has(p.accountId)) return p.type === 'Account' ? 'direct' : 'account';
      return 'none';
    },
  };
}

/**
 * NotPrincipal excludes a caller only when every identity AWS checks is listed: the account, then
 * the role, then the user or session (IAM User Guide, "AWS JSON policy elements: NotPrincipal").
 */
export function compileNotPrincipal(spec: PrincipalSpec): PrincipalMatcher {
  const { wildcard, arns, accounts } = compile(spec);
  return {
    match(p) {
      if (wildcard) return 'none';
      const excluded =
        accounts.has(p.accountId) &&
        (p.roleArn === undefined || arns.has(p.roleArn)) &&
        (p.type === 'Account' || arns.has(p.arn));
      return excluded ? 'none' : 'direct';
    },
  };
}

/** Identity policies have no Principal: they apply to the identity they are attached to. */
export const SELF_PRINCIPAL: PrincipalMatcher = { match: () => 'direct' };
