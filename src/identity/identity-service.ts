// IAM and STS state changes on behalf of the operations: users, roles, access keys, inline
// policies and sessions. Secrets are generated here, wrapped under the root key before they reach
// the store, and returned to the caller exactly once. Every change to a credential invalidates the
// authenticator's cache entry before the call returns, so a deleted or deactivated key stops
// working with the next request.

import { createHash } from 'node:crypto';
import { KontextError } from '../errors.ts';
import type { RootKey } from '../crypto/root-key.ts';
import type { IdentityRepository } from '../store/identity-repository.ts';
import { StoreConflict, type Page } from '../store/store.ts';
import type { CredentialResolver } from './credential-resolver.ts';
import { newAccessKeyId, newPrincipalId, newSecretAccessKey, newSessionToken, type RandomBytes } from './ids.ts';
import {
  roleArn,
  secretLabel,
  userArn,
  type AccessKeyRecord,
  type AccessKeyStatus,
  type AccountRecord,
  type IamTag,
  type InlinePolicyRecord,
  type PolicyOwnerType,
  type RoleRecord,
  type SessionRecord,
  type UserRecord,
} from './identity-records.ts';
import type { IdentityPolicyRules } from './policy-rules.ts';
import { IAM_INLINE_POLICY_LIMITS, iamPolicySize } from '../policy/policy-limits.ts';

/** IAM's default quota of access keys per user (and per account root). */
export const ACCESS_KEYS_PER_USER = 2;
/** Expired sessions are kept this long so their use still answers ExpiredToken, not "invalid". */
export const EXPIRED_SESSION_RETENTION_MS = 24 * 3600 * 1000;

export interface ListRequest {
  readonly marker: string | undefined;
  readonly maxItems: number | undefined;
}

export interface ListResult<T> {
  readonly items: T[];
  readonly isTruncated: boolean;
  readonly marker: string | undefined;
}

export interface NewAccessKey {
  readonly record: AccessKeyRecord;
  /** Returned once, to the caller of CreateAccessKey; never stored in clear. */
  readonly secretAccessKey: string;
}

export interface NewSession {
  readonly record: SessionRecord;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

export interface AssumeRoleInput {
  readonly role: RoleRecord;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly sessionPolicy: string | undefined;
  readonly sourceIdentity: string | undefined;
}

const DEFAULT_MAX_ITEMS = 100;

export const hashSessionToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

const encodeMarker = (name: string): string => Buffer.from(name, 'utf8').toString('base64url');
const decodeMarker = (marker: string | undefined): string | undefined => {
  if (marker === undefined) return undefined;
  const name = Buffer.from(marker, 'base64url').toString('utf8');
  if (encodeMarker(name) !== marker) throw new KontextError('InvalidInput', 'Invalid Marker');
  return name;
};

async function paginate<T>(req: ListRequest, sortKey: (t: T) => string, fetch: (page: Page) => Promise<T[]>): Promise<ListResult<T>> {
  const limit = req.maxItems ?? DEFAULT_MAX_ITEMS;
  const rows = await fetch({ limit: limit + 1, after: decodeMarker(req.marker) });
  const isTruncated = rows.length > limit;
  const items = isTruncated ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, isTruncated, marker: isTruncated && last !== undefined ? encodeMarker(sortKey(last)) : undefined };
}

const noSuchUser = (name: string) => new KontextError('NoSuchEntity', `The user with name ${name} cannot be found`);
const noSuchRole = (name: string) => new KontextError('NoSuchEntity', `The role with name ${name} cannot be found`);
const noSuchAccessKey = (id: string) => new KontextError('NoSuchEntity', `The Access Key with id ${id} cannot be found`);
const sameName = (a: string | undefined, b: string | undefined): boolean => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

export class IdentityService {
  readonly #repo: IdentityRepository;
  readonly #root: RootKey;
  readonly #random: RandomBytes;
  readonly #resolver: CredentialResolver;
  readonly rules: IdentityPolicyRules;

  constructor(repo: IdentityRepository, root: RootKey, random: RandomBytes, resolver: CredentialResolver, rules: IdentityPolicyRules) {
    this.#repo = repo;
    this.#root = root;
    this.#random = random;
    this.#resolver = resolver;
    this.rules = rules;
  }

  get resolver(): CredentialResolver {
    return this.#resolver;
  }

  ensureAccount(accountId: string, now: number): Promise<AccountRecord> {
    return this.#repo.ensureAccount({ accountId, createdAt: now });
  }

  async getAccount(accountId: string): Promise<AccountRecord | undefined> {
    return this.#repo.getAccount(accountId);
  }

  // --- users --------------------------------------------------------------------------------

  async createUser(accountId: string, input: { userName: string; path: string; tags: readonly IamTag[] }, now: number): Promise<UserRecord> {
    const user: UserRecord = {
      accountId,
      userName: input.userName,
      userId: newPrincipalId('AIDA', this.#random),
      path: input.path,
      arn: userArn(accountId, input.path, input.userName),
      createdAt: now,
      tags: input.tags,
    };
    try {
      await this.#repo.createUser(user);
    } catch (err) {
      if (err instanceof StoreConflict) throw new KontextError('EntityAlreadyExists', `User with name ${input.userName} already exists`);
      throw err;
    }
    return user;
  }

  async getUser(accountId: string, userName: string): Promise<UserRecord> {
    const user = await this.#repo.getUser(accountId, userName);
    if (!user) throw noSuchUser(userName);
    return user;
  }

  listUsers(accountId: string, pathPrefix: string | undefined, req: ListRequest): Promise<ListResult<UserRecord>> {
    return paginate(req, (u) => u.userName, (page) => this.#repo.listUsers(accountId, pathPrefix, page));
  }

  async deleteUser(accountId: string, userName: string): Promise<void> {
    const outcome = await this.#repo.deleteUser(accountId, userName);
    if (outcome === 'not-found') throw noSuchUser(userName);
    if (outcome === 'has-access-keys') throw new KontextError('DeleteConflict', 'Cannot delete entity, must delete access keys first');
    if (outcome === 'has-policies') throw new KontextError('DeleteConflict', 'Cannot delete entity, must delete policies first');
  }

  // --- roles --------------------------------------------------------------------------------

  async createRole(
    accountId: string,
    input: { roleName: string; path: string; trustPolicy: string; description: string | undefined; maxSessionDuration: number; tags: readonly IamTag[] },
    now: number,
  ): Promise<RoleRecord> {
    this.rules.validateTrustPolicy(input.trustPolicy);
    const role: RoleRecord = {
      accountId,
      roleName: input.roleName,
      roleId: newPrincipalId('AROA', this.#random),
      path: input.path,
      arn: roleArn(accountId, input.path, input.roleName),
      assumeRolePolicyDocument: input.trustPolicy,
      description: input.description,
      maxSessionDuration: input.maxSessionDuration,
      createdAt: now,
      tags: input.tags,
    };
    try {
      await this.#repo.createRole(role);
    } catch (err) {
      if (err instanceof StoreConflict) throw new KontextError('EntityAlreadyExists', `Role with name ${input.roleName} already exists`);
      throw err;
    }
    return role;
  }

  async getRole(accountId: string, roleName: string): Promise<RoleRecord> {
    const role = await this.#repo.getRole(accountId, roleName);
    if (!role) throw noSuchRole(roleName);
    return role;
  }

  listRoles(accountId: string, pathPrefix: string | undefined, req: ListRequest): Promise<ListResult<RoleRecord>> {
    return paginate(req, (r) => r.roleName, (page) => this.#repo.listRoles(accountId, pathPrefix, page));
  }

  async deleteRole(accountId: string, roleName: string): Promise<void> {
    const { outcome, revokedSessions } = await this.#repo.deleteRole(accountId, roleName);
    for (const id of revokedSessions) this.#resolver.invalidate(id);
    if (outcome === 'not-found') throw noSuchRole(roleName);
    if (outcome === 'has-policies') throw new KontextError('DeleteConflict', 'Cannot delete entity, must delete policies first');
  }

  // --- access keys --------------------------------------------------------------------------

  /** A new key for the user, or for the account root when userName is undefined. */
  async createAccessKey(accountId: string, userName: string | undefined, now: number): Promise<NewAccessKey> {
    const accessKeyId = newAccessKeyId('AKIA', this.#random);
    const secretAccessKey = newSecretAccessKey(this.#random);
    const record: AccessKeyRecord = {
      accessKeyId,
      accountId,
      userName,
      status: 'Active',
      wrappedSecret: this.#root.wrap(Buffer.from(secretAccessKey, 'utf8'), secretLabel(accessKeyId)),
      createdAt: now,
    };
    const outcome = await this.#repo.createAccessKey(record, ACCESS_KEYS_PER_USER);
    if (outcome === 'no-such-user') throw noSuchUser(userName ?? '');
    if (outcome === 'limit-exceeded') throw new KontextError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`);
    // The stored user name carries the user's own case, which the response must show.
    const user = userName === undefined ? undefined : await this.#repo.getUser(accountId, userName);
    return { record: { ...record, userName: user?.userName ?? userName }, secretAccessKey };
  }

  /** Sets the account root's key to the given id and secret (configured admin credentials). */
  async putRootAccessKey(accountId: string, accessKeyId: string, secretAccessKey: string, now: number): Promise<void> {
    const existing = await this.#repo.getAccessKey(accessKeyId);
    if (existing && (existing.accountId !== accountId || existing.userName !== undefined)) {
      throw new Error(`Access key ${accessKeyId} already belongs to another principal: refusing to make it the admin's`);
    }
    await this.#repo.putAccessKey({
      accessKeyId,
      accountId,
      userName: undefined,
      status: 'Active',
      wrappedSecret: this.#root.wrap(Buffer.from(secretAccessKey, 'utf8'), secretLabel(accessKeyId)),
      createdAt: existing?.createdAt ?? now,
    });
    this.#resolver.invalidate(accessKeyId);
  }

  async listAccessKeys(accountId: string, userName: string | undefined, req: ListRequest): Promise<ListResult<AccessKeyRecord>> {
    if (userName !== undefined) await this.getUser(accountId, userName);
    return paginate(req, (k) => k.accessKeyId, (page) => this.#repo.listAccessKeys(accountId, userName, page));
  }

  async updateAccessKey(accountId: string, userName: string | undefined, accessKeyId: string, status: AccessKeyStatus): Promise<void> {
    await this.#ownedKey(accountId, userName, accessKeyId);
    const updated = await this.#repo.updateAccessKeyStatus(accessKeyId, status);
    this.#resolver.invalidate(accessKeyId);
    if (!updated) throw noSuchAccessKey(accessKeyId);
  }

  async deleteAccessKey(accountId: string, userName: string | undefined, accessKeyId: string): Promise<void> {
    await this.#ownedKey(accountId, userName, accessKeyId);
    const deleted = await this.#repo.deleteAccessKey(accessKeyId);
    this.#resolver.invalidate(accessKeyId);
    if (!deleted) throw noSuchAccessKey(accessKeyId);
  }

  async #ownedKey(accountId: string, userName: string | undefined, accessKeyId: string): Promise<AccessKeyRecord> {
    if (userName !== undefined) await this.getUser(accountId, userName);
    const key = await this.#repo.getAccessKey(accessKeyId);
    if (!key || key.accountId !== accountId || !sameName(key.userName, userName)) throw noSuchAccessKey(accessKeyId);
    return key;
  }

  // --- inline policies ----------------------------------------------------------------------

  async putInlinePolicy(accountId: string, ownerType: PolicyOwnerType, ownerName: string, policyName: string, document: string): Promise<void> {
    this.rules.validateIdentityPolicy(document, ownerType);
    // The quota covers all of an entity's inline policies together (the one replaced excluded).
    const others = (await this.inlinePolicies(accountId, ownerType, ownerName)).filter((p) => p.policyName.toLowerCase() !== policyName.toLowerCase());
    const quota = IAM_INLINE_POLICY_LIMITS[ownerType];
    if (others.reduce((n, p) => n + iamPolicySize(p.document), iamPolicySize(document)) > quota) {
      throw new KontextError('LimitExceeded', `Maximum policy size of ${quota} bytes exceeded for ${ownerType} ${ownerName}`);
    }
    const stored = await this.#repo.putInlinePolicy({ accountId, ownerType, ownerName, policyName, document });
    if (!stored) throw ownerType === 'user' ? noSuchUser(ownerName) : noSuchRole(ownerName);
  }

  async getInlinePolicy(accountId: string, ownerType: PolicyOwnerType, ownerName: string, policyName: string): Promise<InlinePolicyRecord> {
    await this.#owner(accountId, ownerType, ownerName);
    const policy = await this.#repo.getInlinePolicy(accountId, ownerType, ownerName, policyName);
    if (!policy) throw new KontextError('NoSuchEntity', `The ${ownerType} policy with name ${policyName} cannot be found`);
    return policy;
  }

  async listInlinePolicies(accountId: string, ownerType: PolicyOwnerType, ownerName: string, req: ListRequest): Promise<ListResult<InlinePolicyRecord>> {
    await this.#owner(accountId, ownerType, ownerName);
    return paginate(req, (p) => p.policyName, (page) => this.#repo.listInlinePolicies(accountId, ownerType, ownerName, page));
  }

  /** Every inline policy of a user or role, for the authorizer. */
  async inlinePolicies(accountId: string, ownerType: PolicyOwnerType, ownerName: string): Promise<InlinePolicyRecord[]> {
    return this.#repo.listInlinePolicies(accountId, ownerType, ownerName, { limit: 10_000, after: undefined });
  }

  async deleteInlinePolicy(accountId: string, ownerType: PolicyOwnerType, ownerName: string, policyName: string): Promise<void> {
    await this.#owner(accountId, ownerType, ownerName);
    const deleted = await this.#repo.deleteInlinePolicy(accountId, ownerType, ownerName, policyName);
    if (!deleted) throw new KontextError('NoSuchEntity', `The ${ownerType} policy with name ${policyName} cannot be found`);
  }

  async #owner(accountId: string, ownerType: PolicyOwnerType, ownerName: string): Promise<void> {
    if (ownerType === 'user') await this.getUser(accountId, ownerName);
    else await this.getRole(accountId, ownerName);
  }

  // --- sessions -----------------------------------------------------------------------------

  async createSession(input: AssumeRoleInput, now: number): Promise<NewSession> {
    const accessKeyId = newAccessKeyId('ASIA', this.#random);
    const secretAccessKey = newSecretAccessKey(this.#random);
    const sessionToken = newSessionToken(this.#random);
    const { role } = input;
    const record: SessionRecord = {
      accessKeyId,
      accountId: role.accountId,
      roleName: role.roleName,
      roleId: role.roleId,
      roleArn: role.arn,
      sessionName: input.sessionName,
      wrappedSecret: this.#root.wrap(Buffer.from(secretAccessKey, 'utf8'), secretLabel(accessKeyId)),
      tokenHash: hashSessionToken(sessionToken),
      sessionPolicy: input.sessionPolicy,
      sourceIdentity: input.sourceIdentity,
      createdAt: now,
      // AWS reports expirations in whole seconds; keep the stored one equal to what the caller sees.
      expiresAt: Math.floor(now / 1000) * 1000 + input.durationSeconds * 1000,
    };
    await this.#repo.createSession(record);
    return { record, secretAccessKey, sessionToken };
  }

  /** Drops sessions long expired; returns how many. */
  sweep(now: number): Promise<number> {
    return this.#repo.deleteExpiredSessions(now - EXPIRED_SESSION_RETENTION_MS);
  }
}
