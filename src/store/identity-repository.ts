// The identity part of the repository interface (kept beside store.ts so that file stays a table of
// contents). Names of users, roles and policies are unique without regard to case, as in IAM.
// Operations that must not race (deleting a user that still has keys, adding a key past the quota,
// attaching a policy to an entity being deleted) are single calls so a backend runs them in one
// transaction.

import type {
  AccessKeyRecord,
  AccessKeyStatus,
  AccountRecord,
  InlinePolicyRecord,
  PolicyOwnerType,
  RoleRecord,
  SessionRecord,
  UserRecord,
} from '../identity/identity-records.ts';
import type { Page } from './store.ts';

export type DeleteUserOutcome = 'deleted' | 'not-found' | 'has-access-keys' | 'has-policies';
export type DeleteRoleOutcome = 'deleted' | 'not-found' | 'has-policies';
export type CreateAccessKeyOutcome = 'created' | 'no-such-user' | 'limit-exceeded';

export interface DeleteRoleResult {
  readonly outcome: DeleteRoleOutcome;
  /** Access key ids of the role's sessions, revoked with it. */
  readonly revokedSessions: readonly string[];
}

export interface IdentityRepository {
  /** Creates the account unless it exists; returns the stored record. */
  ensureAccount(account: AccountRecord): Promise<AccountRecord>;
  getAccount(accountId: string): Promise<AccountRecord | undefined>;

  /** Throws StoreConflict when a user of that name (any case) exists. */
  createUser(user: UserRecord): Promise<void>;
  getUser(accountId: string, userName: string): Promise<UserRecord | undefined>;
  /** Users ordered by name; `page.after` is the last name of the previous page. */
  listUsers(accountId: string, pathPrefix: string | undefined, page: Page): Promise<UserRecord[]>;
  deleteUser(accountId: string, userName: string): Promise<DeleteUserOutcome>;

  /** Throws StoreConflict when a role of that name (any case) exists. */
  createRole(role: RoleRecord): Promise<void>;
  getRole(accountId: string, roleName: string): Promise<RoleRecord | undefined>;
  listRoles(accountId: string, pathPrefix: string | undefined, page: Page): Promise<RoleRecord[]>;
  /** Deletes the role and its sessions unless it still has inline policies. */
  deleteRole(accountId: string, roleName: string): Promise<DeleteRoleResult>;

  /**
   * Adds an access key for a user (checked to exist) or, with no user name, for the account root.
   * `limit` caps the keys one owner may have; the check and the insert are one transaction.
   */
  createAccessKey(key: AccessKeyRecord, limit: number): Promise<CreateAccessKeyOutcome>;
  /** Inserts or replaces a key without quota checks (bootstrap of configured admin credentials). */
  putAccessKey(key: AccessKeyRecord): Promise<void>;
  getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
  /** Keys of one user (or of the account root when userName is undefined), ordered by id. */
  listAccessKeys(accountId: string, userName: string | undefined, page: Page): Promise<AccessKeyRecord[]>;
  /** Returns false when no such key exists. */
  updateAccessKeyStatus(accessKeyId: string, status: AccessKeyStatus): Promise<boolean>;
  /** Returns false when no such key exists. */
  deleteAccessKey(accessKeyId: string): Promise<boolean>;

  /** Creates or replaces the policy; returns false when the owning user or role does not exist. */
  putInlinePolicy(policy: InlinePolicyRecord): Promise<boolean>;
  getInlinePolicy(accountId: string, ownerType: PolicyOwnerType, ownerName: string, policyName: string): Promise<InlinePolicyRecord | undefined>;
  /** Policies of one user or role ordered by name. */
  listInlinePolicies(accountId: string, ownerType: PolicyOwnerType, ownerName: string, page: Page): Promise<InlinePolicyRecord[]>;
  /** Returns false when no such policy exists. */
  deleteInlinePolicy(accountId: string, ownerType: PolicyOwnerType, ownerName: string, policyName: string): Promise<boolean>;

  createSession(session: SessionRecord): Promise<void>;
  getSession(accessKeyId: string): Promise<SessionRecord | undefined>;
  /** Removes sessions that expired before `now` (epoch ms); returns how many. */
  deleteExpiredSessions(now: number): Promise<number>;
}
