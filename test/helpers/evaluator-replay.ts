// Replays the policy engine's decision table (src/policy's evaluatorCases) through the server's
// authorization path: each case becomes a caller, a key record with the case's key policy, an
// identity store holding the case's identity policies and a grant store holding its grants.

import type { Caller } from '../../src/identity/caller.ts';
import type { KeyRecord } from '../../src/keys/key-record.ts';
import type { AuthzRequest } from '../../src/authz/authorizer.ts';
import { PolicyAuthorizer } from '../../src/authz/policy-authorizer.ts';
import { GrantService } from '../../src/grants/grant-service.ts';
import type { GrantRecord, GrantOperation } from '../../src/grants/grant-record.ts';
import type { GrantRepository } from '../../src/store/grant-repository.ts';
import type { IdentityRepository } from '../../src/store/identity-repository.ts';
import type { InlinePolicyRecord, RoleRecord, UserRecord } from '../../src/identity/identity-records.ts';
import { CASE_NOW, type EvaluatorCase } from '../../src/policy/evaluator-cases.ts';
import { ACCOUNT, KEY_ARN, OTHER_ACCOUNT, ROLE_ARN, alice, bob, carol } from '../../src/policy/evaluator-fixtures.ts';
import type { PrincipalFacts } from '../../src/policy/index.ts';

const tagList = (tags: Readonly<Record<string, string>> | undefined) => Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));

const userRecord = (p: PrincipalFacts): UserRecord => ({
  accountId: p.accountId,
  userName: p.username as string,
  userId: p.userId,
  path: '/',
  arn: p.arn,
  createdAt: 0,
  tags: tagList(p.tags),
});

export const ROLE_ID = 'AROAEXAMPLEAPP000001';
const role: RoleRecord = {
  accountId: ACCOUNT,
  roleName: 'RoleForExampleApp',
  roleId: ROLE_ID,
  path: '/',
  arn: ROLE_ARN,
  assumeRolePolicyDocument: '{}',
  description: undefined,
  maxSessionDuration: 3600,
  createdAt: 0,
  tags: [],
};

/** The caller the authenticator would hand over for a case's principal. */
export function callerFor(p: PrincipalFacts): Caller {
  if (p.type === 'Account') return { type: 'Root', accountId: p.accountId, arn: p.arn, principalId: p.userId, accessKeyId: undefined, userName: undefined, sessionIssuer: undefined, sessionCreatedAt: undefined };
  if (p.type === 'User') return { type: 'IAMUser', accountId: p.accountId, arn: p.arn, principalId: p.userId, accessKeyId: undefined, userName: p.username, sessionIssuer: undefined, sessionCreatedAt: undefined };
  const roleName = (p.roleArn ?? '').split('/').pop() as string;
  return {
    type: 'AssumedRole',
    accountId: p.accountId,
    arn: p.arn,
    principalId: p.userId,
    accessKeyId: undefined,
    userName: roleName,
    sessionIssuer: { type: 'Role', principalId: p.userId.split(':')[0] as string, arn: p.roleArn as string, accountId: p.accountId, userName: roleName },
    sessionCreatedAt: 0,
  };
}

/** An identity store with the fixtures' users and role, and the case's identity policies on its principal. */
export function identityStoreFor(c: EvaluatorCase): IdentityRepository {
  const users = [alice, bob, carol].map(userRecord);
  const owner = c.request.principal.type === 'User' ? { type: 'user', name: c.request.principal.username } : { type: 'role', name: 'RoleForExampleApp' };
  const policies: InlinePolicyRecord[] = (c.identityPolicies ?? []).map((p) => ({
    accountId: c.request.principal.accountId,
    ownerType: owner.type as 'user' | 'role',
    ownerName: owner.name as string,
    policyName: p.name,
    document: JSON.stringify(p.document),
  }));
  const unused = () => {
    throw new Error('not used by the authorizer');
  };
  const stub: Partial<IdentityRepository> = {
    async getAccount(accountId) {
      return accountId === ACCOUNT || accountId === OTHER_ACCOUNT ? { accountId, createdAt: 0 } : undefined;
    },
    async getUser(accountId, name) {
      return users.find((u) => u.accountId === accountId && u.userName.toLowerCase() === name.toLowerCase());
    },
    async getRole(accountId, name) {
      return accountId === ACCOUNT && name.toLowerCase() === 'roleforexampleapp' ? role : undefined;
    },
    async listInlinePolicies(accountId, ownerType, ownerName) {
      return policies.filter((p) => p.accountId === accountId && p.ownerType === ownerType && p.ownerName.toLowerCase() === ownerName.toLowerCase());
    },
  };
  return new Proxy(stub as IdentityRepository, { get: (t, prop) => (prop in t ? (t as unknown as Record<string | symbol, unknown>)[prop] : unused) });
}

export function grantStoreFor(c: EvaluatorCase, key: KeyRecord): GrantRepository {
  const records: GrantRecord[] = (c.grants ?? []).map((g) => ({
    grantId: g.grantId,
    region: key.region,
    accountId: key.accountId,
    keyId: key.keyId,
    keyArn: key.arn,
    name: undefined,
    granteePrincipal: g.granteePrincipal,
    retiringPrincipal: undefined,
    issuingAccount: `arn:aws:iam::${key.accountId}:root`,
    operations: g.operations as GrantOperation[],
    constraints: g.constraints,
    creationDate: 0,
  }));
  return {
    async create() {
      return 'created';
    },
    async get(id) {
      return records.find((r) => r.grantId === id);
    },
    async listForKey(_r, _a, keyId, page) {
      return keyId === key.keyId ? records.slice(page.after ?? 0, (page.after ?? 0) + page.limit).map((grant, i) => ({ seq: (page.after ?? 0) + i + 1, grant })) : [];
    },
    async listByRetiringPrincipal() {
      return [];
    },
    async findByName() {
      return [];
    },
    async delete() {
      return false;
    },
    async deleteForKey() {
      return 0;
    },
  };
}

export function keyRecordFor(policy: string, arn = KEY_ARN): KeyRecord {
  const [, , , region, accountId, resource] = arn.split(':') as [string, string, string, string, string, string];
  return {
    keyId: resource.slice('key/'.length),
    accountId,
    region,
    arn,
    description: '',
    keyUsage: 'ENCRYPT_DECRYPT',
    keySpec: 'SYMMETRIC_DEFAULT',
    origin: 'AWS_KMS',
    keyState: 'Enabled',
    creationDate: 0,
    deletionDate: undefined,
    pendingDeletionWindowInDays: undefined,
    policy,
    rotationEnabled: false,
    rotationPeriodInDays: undefined,
    nextRotationDate: undefined,
    onDemandRotations: 0,
    versions: [],
    tags: [],
  };
}

/**
 * Condition keys the server always derives for a live request, so a case that needs one of them
 * absent cannot be replayed as a live request (it can through the simulator).
 */
export const SERVER_DERIVED_KEYS = ['aws:securetransport', 'aws:sourceip', 'aws:requestedregion', 'kms:encryptionalgorithm', 'kms:keyspec', 'kms:keyusage', 'kms:keyorigin', 'kms:multiregion'];

export function needsAbsentServerKey(c: EvaluatorCase): boolean {
  const text = JSON.stringify([c.keyPolicy, c.identityPolicies]).toLowerCase();
  const given = Object.keys(c.request.context ?? {}).map((k) => k.toLowerCase());
  return SERVER_DERIVED_KEYS.some((k) => text.includes(`"${k}"`) && !given.includes(k));
}

export interface Replay {
  readonly authorizer: PolicyAuthorizer;
  readonly request: AuthzRequest;
}

/** The authorizer and the live request for one case. */
export function replay(c: EvaluatorCase): Replay {
  const { request } = c;
  const key = c.keyPolicy ? keyRecordFor(JSON.stringify(c.keyPolicy), request.resource ?? KEY_ARN) : undefined;
  const grants = new GrantService(grantStoreFor(c, key ?? keyRecordFor('{}')));
  const authorizer = new PolicyAuthorizer({ identity: identityStoreFor(c), grants });
  const context: Record<string, string | readonly string[]> = { ...request.context };
  if (request.grantConstraintType) context['kms:GrantConstraintType'] = request.grantConstraintType;
  const lower = Object.fromEntries(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  const ip = lower['aws:sourceip'];
  const secure = lower['aws:securetransport'];
  return {
    authorizer,
    request: {
      caller: callerFor(request.principal),
      action: request.action,
      region: 'us-east-1',
      key,
      ...(key ? {} : { resourceArn: request.resource ?? '*' }),
      ...(request.encryptionContext ? { encryptionContext: request.encryptionContext } : {}),
      facts: lower,
      sourceIp: typeof ip === 'string' ? ip : '192.0.2.1',
      secureTransport: secure === 'true',
      now: CASE_NOW.getTime(),
    },
  };
}
