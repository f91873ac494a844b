// Principals named by ARN (in key policies, grants and simulator requests): whether they exist, and
// the facts the evaluator needs about them. Only accounts this server holds are checked; a principal
// of an account it does not know cannot be verified and is taken as given, as a foreign AWS account.

import { KontextError } from '../errors.ts';
import type { PrincipalFacts } from '../policy/index.ts';
import type { IdentityRepository } from '../store/identity-repository.ts';
import { tagRecord } from '../identity/principal-facts.ts';

const NAME = '[\\w+=,.@-]+';
const PRINCIPAL_ARN = new RegExp(
  `^arn:aws:(?:iam::(\\d{12}):(root|user|role)((?:/[\\u0021-\\u007E]*?)?/)?(${NAME})?|sts::(\\d{12}):(assumed-role|federated-user)/(${NAME})(?:/(${NAME}))?)$`,
);

export type ParsedPrincipalArn =
  | { readonly kind: 'root'; readonly accountId: string }
  | { readonly kind: 'user'; readonly accountId: string; readonly path: string; readonly name: string }
  | { readonly kind: 'role'; readonly accountId: string; readonly path: string; readonly name: string }
  | { readonly kind: 'assumed-role'; readonly accountId: string; readonly roleName: string; readonly sessionName: string }
  | { readonly kind: 'federated-user'; readonly accountId: string; readonly name: string };

export function parsePrincipalArn(arn: string): ParsedPrincipalArn | undefined {
  const m = PRINCIPAL_ARN.exec(arn);
  if (!m) return undefined;
  if (m[1] !== undefined) {
    const accountId = m[1];
    if (m[2] === 'root') return m[3] === undefined && m[4] === undefined ? { kind: 'root', accountId } : undefined;
    if (m[4] === undefined) return undefined;
    return m[2] === 'user' ? { kind: 'user', accountId, path: m[3] ?? '/', name: m[4] } : { kind: 'role', accountId, path: m[3] ?? '/', name: m[4] };
  }
  const accountId = m[5] as string;
  if (m[6] === 'assumed-role') return m[8] === undefined ? undefined : { kind: 'assumed-role', accountId, roleName: m[7] as string, sessionName: m[8] };
  return m[8] === undefined ? { kind: 'federated-user', accountId, name: m[7] as string } : undefined;
}

/** The session name the simulator gives a role it acts as. */
export const SIMULATED_SESSION = 'kontext-simulation';

export class PrincipalDirectory {
  readonly #repo: IdentityRepository | undefined;

  constructor(repo: IdentityRepository | undefined) {
    this.#repo = repo;
  }

  /** Whether a principal ARN names something that exists (or cannot be checked here). */
  async exists(arn: string): Promise<boolean> {
    const p = parsePrincipalArn(arn);
    if (!p) return false;
    const repo = this.#repo;
    if (!repo || p.kind === 'root' || p.kind === 'federated-user') return true;
    if (!(await repo.getAccount(p.accountId))) return true;
    if (p.kind === 'user') return (await repo.getUser(p.accountId, p.name))?.path === p.path;
    if (p.kind === 'role') return (await repo.getRole(p.accountId, p.name))?.path === p.path;
    return (await repo.getRole(p.accountId, p.roleName)) !== undefined;
  }

  /**
   * The evaluator's facts for a principal named by ARN. A role ARN stands for a session of the role.
   * A principal missing from an account this server holds is NoSuchEntity; one of an unknown account
   * gets facts from its ARN alone.
   */
  async facts(arn: string): Promise<{ facts: PrincipalFacts; owner: { type: 'user' | 'role'; name: string } | undefined }> {
    const p = parsePrincipalArn(arn);
    if (!p) throw new KontextError('InvalidInput', `Invalid principal ARN: ${arn}`);
    const repo = this.#repo;
    const known = repo !== undefined && (await repo.getAccount(p.accountId)) !== undefined;
    const missing = (what: string) => new KontextError('NoSuchEntity', `The ${what} cannot be found: ${arn}`);
    switch (p.kind) {
      case 'root':
        return { facts: { arn: `arn:aws:iam::${p.accountId}:root`, accountId: p.accountId, type: 'Account', userId: p.accountId }, owner: undefined };
      case 'federated-user':
        return { facts: { arn, accountId: p.accountId, type: 'FederatedUser', userId: `${p.accountId}:${p.name}` }, owner: undefined };
      case 'user': {
        const user = known ? await repo.getUser(p.accountId, p.name) : undefined;
        if (known && (!user || user.path !== p.path)) throw missing('user');
        const tags = user ? tagRecord(user.tags) : undefined;
        return {
          facts: { arn: user?.arn ?? arn, accountId: p.accountId, type: 'User', userId: user?.userId ?? `AIDA${p.name.toUpperCase()}`, username: user?.userName ?? p.name, ...(tags ? { tags } : {}) },
          owner: { type: 'user', name: user?.userName ?? p.name },
        };
      }
      case 'role':
      case 'assumed-role': {
        const roleName = p.kind === 'role' ? p.name : p.roleName;
        const session = p.kind === 'role' ? SIMULATED_SESSION : p.sessionName;
        const role = known ? await repo.getRole(p.accountId, roleName) : undefined;
        if (known && (!role || (p.kind === 'role' && role.path !== p.path))) throw missing('role');
        const tags = role ? tagRecord(role.tags) : undefined;
        return {
          facts: {
            arn: `arn:aws:sts::${p.accountId}:assumed-role/${role?.roleName ?? roleName}/${session}`,
            accountId: p.accountId,
            type: 'AssumedRole',
            userId: `${role?.roleId ?? `AROA${roleName.toUpperCase()}`}:${session}`,
            roleArn: role?.arn ?? (p.kind === 'role' ? arn : `arn:aws:iam::${p.accountId}:role/${roleName}`),
            ...(tags ? { tags } : {}),
          },
          owner: { type: 'role', name: role?.roleName ?? roleName },
        };
      }
    }
  }
}
