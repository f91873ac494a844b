// The SQLite identity repository (tables from migration 3, identity-schema.ts). Checks that must
// not race with a concurrent change run inside one transaction with the write they guard.

import type Database from 'better-sqlite3';
import type {
  AccessKeyRecord,
  AccessKeyStatus,
  AccountRecord,
  IamTag,
  InlinePolicyRecord,
  PolicyOwnerType,
  RoleRecord,
  SessionRecord,
  UserRecord,
} from '../../identity/identity-records.ts';
import type { IdentityRepository } from '../identity-repository.ts';
import { StoreConflict, type Page } from '../store.ts';

type Db = Database.Database;

const isConflict = (err: unknown): boolean => {
  const code = typeof err === 'object' && err !== null ? (err as { code?: string }).code : undefined;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
};

interface UserRow {
  account_id: string;
  user_name: string;
  user_id: string;
  path: string;
  arn: string;
  created_at: number;
  tags: string;
}

interface RoleRow {
  account_id: string;
  role_name: string;
  role_id: string;
  path: string;
  arn: string;
  trust_policy: string;
  description: string | null;
  max_session_duration: number;
  created_at: number;
  tags: string;
}

interface AccessKeyRow {
  access_key_id: string;
  account_id: string;
  user_name: string;
  status: string;
  wrapped_secret: Buffer;
  created_at: number;
}

interface PolicyRow {
  account_id: string;
  owner_type: string;
  owner_name: string;
  policy_name: string;
  document: string;
}

interface SessionRow {
  access_key_id: string;
  account_id: string;
  role_name: string;
  role_id: string;
  role_arn: string;
  session_name: string;
  wrapped_secret: Buffer;
  token_hash: Buffer;
  session_policy: string | null;
  source_identity: string | null;
  created_at: number;
  expires_at: number;
}

const toUser = (r: UserRow): UserRecord => ({
  accountId: r.account_id,
  userName: r.user_name,
  userId: r.user_id,
  path: r.path,
  arn: r.arn,
  createdAt: r.created_at,
  tags: JSON.parse(r.tags) as IamTag[],
});

const toRole = (r: RoleRow): RoleRecord => ({
  accountId: r.account_id,
  roleName: r.role_name,
  roleId: r.role_id,
  path: r.path,
  arn: r.arn,
  assumeRolePolicyDocument: r.trust_policy,
  description: r.description ?? undefined,
  maxSessionDuration: r.max_session_duration,
  createdAt: r.created_at,
  tags: JSON.parse(r.tags) as IamTag[],
});

const toAccessKey = (r: AccessKeyRow): AccessKeyRecord => ({
  accessKeyId: r.access_key_id,
  accountId: r.account_id,
  userName: r.user_name === '' ? undefined : r.user_name,
  status: r.status as AccessKeyStatus,
  wrappedSecret: r.wrapped_secret,
  createdAt: r.created_at,
});

const toPolicy = (r: PolicyRow): InlinePolicyRecord => ({
  accountId: r.account_id,
  ownerType: r.owner_type as PolicyOwnerType,
  ownerName: r.owner_name,
  policyName: r.policy_name,
  document: r.document,
});

const toSession = (r: SessionRow): SessionRecord => ({
  accessKeyId: r.access_key_id,
  accountId: r.account_id,
  roleName: r.role_name,
  roleId: r.role_id,
  roleArn: r.role_arn,
  sessionName: r.session_name,
  wrappedSecret: r.wrapped_secret,
  tokenHash: r.token_hash,
  sessionPolicy: r.session_policy ?? undefined,
  sourceIdentity: r.source_identity ?? undefined,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

export function sqliteIdentityRepository(db: Db): IdentityRepository {
  const insertAccount = db.prepare('INSERT INTO iam_accounts (account_id, created_at) VALUES (?, ?) ON CONFLICT (account_id) DO NOTHING');
  const selectAccount = db.prepare('SELECT account_id, created_at FROM iam_accounts WHERE account_id = ?');

  const insertUser = db.prepare('INSERT INTO iam_users (account_id, user_name, user_id, path, arn, created_at, tags) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const selectUser = db.prepare('SELECT * FROM iam_users WHERE account_id = ? AND user_name = ?');
  const listUsers = db.prepare(
    'SELECT * FROM iam_users WHERE account_id = ? AND substr(path, 1, length(?)) = ? AND user_name > ? ORDER BY user_name LIMIT ?',
  );
  const removeUser = db.prepare('DELETE FROM iam_users WHERE account_id = ? AND user_name = ?');

  const insertRole = db.prepare(
    `INSERT INTO iam_roles (account_id, role_name, role_id, path, arn, trust_policy, description, max_session_duration, created_at, tags)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectRole = db.prepare('SELECT * FROM iam_roles WHERE account_id = ? AND role_name = ?');
  const listRoles = db.prepare(
    'SELECT * FROM iam_roles WHERE account_id = ? AND substr(path, 1, length(?)) = ? AND role_name > ? ORDER BY role_name LIMIT ?',
  );
  const removeRole = db.prepare('DELETE FROM iam_roles WHERE account_id = ? AND role_name = ?');

  const insertKey = db.prepare(
    'INSERT INTO iam_access_keys (access_key_id, account_id, user_name, status, wrapped_secret, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const upsertKey = db.prepare(
    `INSERT INTO iam_access_keys (access_key_id, account_id, user_name, status, wrapped_secret, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (access_key_id) DO UPDATE SET account_id = excluded.account_id, user_name = excluded.user_name,
       status = excluded.status, wrapped_secret = excluded.wrapped_secret`,
  );
  const selectKey = db.prepare('SELECT * FROM iam_access_keys WHERE access_key_id = ?');
  const countKeys = db.prepare('SELECT count(*) FROM iam_access_keys WHERE account_id = ? AND user_name = ?').pluck();
  const listKeys = db.prepare(
    'SELECT * FROM iam_access_keys WHERE account_id = ? AND user_name = ? AND access_key_id > ? ORDER BY access_key_id LIMIT ?',
  );
  const updateKey = db.prepare('UPDATE iam_access_keys SET status = ? WHERE access_key_id = ?');
  const removeKey = db.prepare('DELETE FROM iam_access_keys WHERE access_key_id = ?');

  const upsertPolicy = db.prepare(
    `INSERT INTO iam_inline_policies (account_id, owner_type, owner_name, policy_name, document) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account_id, owner_type, owner_name, policy_name) DO UPDATE SET document = excluded.document`,
  );
  const selectPolicy = db.prepare(
    'SELECT * FROM iam_inline_policies WHERE account_id = ? AND owner_type = ? AND owner_name = ? AND policy_name = ?',
  );
  const listPolicies = db.prepare(
    'SELECT * FROM iam_inline_policies WHERE account_id = ? AND owner_type = ? AND owner_name = ? AND policy_name > ? ORDER BY policy_name LIMIT ?',
  );
  const countPolicies = db.prepare('SELECT count(*) FROM iam_inline_policies WHERE account_id = ? AND owner_type = ? AND owner_name = ?').pluck();
  const removePolicy = db.prepare(
    'DELETE FROM iam_inline_policies WHERE account_id = ? AND owner_type = ? AND owner_name = ? AND policy_name = ?',
  );

  const insertSession = db.prepare(
    `INSERT INTO sts_sessions (access_key_id, account_id, role_name, role_id, role_arn, session_name, wrapped_secret, token_hash,
       session_policy, source_identity, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectSession = db.prepare('SELECT * FROM sts_sessions WHERE access_key_id = ?');
  const roleSessions = db.prepare('SELECT access_key_id FROM sts_sessions WHERE account_id = ? AND role_name = ?').pluck();
  const removeRoleSessions = db.prepare('DELETE FROM sts_sessions WHERE account_id = ? AND role_name = ?');
  const removeExpired = db.prepare('DELETE FROM sts_sessions WHERE expires_at < ?');

  const deleteUserTx = db.transaction((accountId: string, userName: string) => {
    if (!selectUser.get(accountId, userName)) return 'not-found' as const;
    if (Number(countKeys.get(accountId, userName)) > 0) return 'has-access-keys' as const;
    if (Number(countPolicies.get(accountId, 'user', userName)) > 0) return 'has-policies' as const;
    removeUser.run(accountId, userName);
    return 'deleted' as const;
  });

  const deleteRoleTx = db.transaction((accountId: string, roleName: string) => {
    if (!selectRole.get(accountId, roleName)) return { outcome: 'not-found' as const, revokedSessions: [] };
    if (Number(countPolicies.get(accountId, 'role', roleName)) > 0) return { outcome: 'has-policies' as const, revokedSessions: [] };
    const revokedSessions = roleSessions.all(accountId, roleName) as string[];
    removeRoleSessions.run(accountId, roleName);
    removeRole.run(accountId, roleName);
    return { outcome: 'deleted' as const, revokedSessions };
  });

  const createKeyTx = db.transaction((k: AccessKeyRecord, limit: number) => {
    const owner = k.userName ?? '';
    if (k.userName !== undefined && !selectUser.get(k.accountId, k.userName)) return 'no-such-user' as const;
    if (Number(countKeys.get(k.accountId, owner)) >= limit) return 'limit-exceeded' as const;
    insertKey.run(k.accessKeyId, k.accountId, owner, k.status, k.wrappedSecret, k.createdAt);
    return 'created' as const;
  });

  const putPolicyTx = db.transaction((p: InlinePolicyRecord) => {
    const owner = p.ownerType === 'user' ? selectUser.get(p.accountId, p.ownerName) : selectRole.get(p.accountId, p.ownerName);
    if (!owner) return false;
    upsertPolicy.run(p.accountId, p.ownerType, p.ownerName, p.policyName, p.document);
    return true;
  });

  const after = (page: Page): string => page.after ?? '';

  return {
    async ensureAccount(account) {
      insertAccount.run(account.accountId, account.createdAt);
      const row = selectAccount.get(account.accountId) as { account_id: string; created_at: number };
      return { accountId: row.account_id, createdAt: row.created_at };
    },
    async getAccount(accountId) {
      const row = selectAccount.get(accountId) as { account_id: string; created_at: number } | undefined;
      return row && { accountId: row.account_id, createdAt: row.created_at };
    },

    async createUser(u) {
      try {
        insertUser.run(u.accountId, u.userName, u.userId, u.path, u.arn, u.createdAt, JSON.stringify(u.tags));
      } catch (err) {
        if (isConflict(err)) throw new StoreConflict(`user ${u.userName}`);
        throw err;
      }
    },
    async getUser(accountId, userName) {
      const row = selectUser.get(accountId, userName) as UserRow | undefined;
      return row && toUser(row);
    },
    async listUsers(accountId, pathPrefix, page) {
      const prefix = pathPrefix ?? '/';
      return (listUsers.all(accountId, prefix, prefix, after(page), page.limit) as UserRow[]).map(toUser);
    },
    async deleteUser(accountId, userName) {
      return deleteUserTx(accountId, userName);
    },

    async createRole(r) {
      try {
        insertRole.run(
          r.accountId, r.roleName, r.roleId, r.path, r.arn, r.assumeRolePolicyDocument, r.description ?? null,
          r.maxSessionDuration, r.createdAt, JSON.stringify(r.tags),
        );
      } catch (err) {
        if (isConflict(err)) throw new StoreConflict(`role ${r.roleName}`);
        throw err;
      }
    },
    async getRole(accountId, roleName) {
      const row = selectRole.get(accountId, roleName) as RoleRow | undefined;
      return row && toRole(row);
    },
    async listRoles(accountId, pathPrefix, page) {
      const prefix = pathPrefix ?? '/';
      return (listRoles.all(accountId, prefix, prefix, after(page), page.limit) as RoleRow[]).map(toRole);
    },
    async deleteRole(accountId, roleName) {
      return deleteRoleTx(accountId, roleName);
    },

    async createAccessKey(key, limit) {
      try {
        return createKeyTx(key, limit);
      } catch (err) {
        if (isConflict(err)) throw new StoreConflict(`access key ${key.accessKeyId}`);
        throw err;
      }
    },
    async putAccessKey(k) {
      upsertKey.run(k.accessKeyId, k.accountId, k.userName ?? '', k.status, k.wrappedSecret, k.createdAt);
    },
    async getAccessKey(accessKeyId) {
      const row = selectKey.get(accessKeyId) as AccessKeyRow | undefined;
      return row && toAccessKey(row);
    },
    async listAccessKeys(accountId, userName, page) {
      return (listKeys.all(accountId, userName ?? '', after(page), page.limit) as AccessKeyRow[]).map(toAccessKey);
    },
    async updateAccessKeyStatus(accessKeyId, status) {
      return updateKey.run(status, accessKeyId).changes > 0;
    },
    async deleteAccessKey(accessKeyId) {
      return removeKey.run(accessKeyId).changes > 0;
    },

    async putInlinePolicy(p) {
      return putPolicyTx(p);
    },
    async getInlinePolicy(accountId, ownerType, ownerName, policyName) {
      const row = selectPolicy.get(accountId, ownerType, ownerName, policyName) as PolicyRow | undefined;
      return row && toPolicy(row);
    },
    async listInlinePolicies(accountId, ownerType, ownerName, page) {
      return (listPolicies.all(accountId, ownerType, ownerName, after(page), page.limit) as PolicyRow[]).map(toPolicy);
    },
    async deleteInlinePolicy(accountId, ownerType, ownerName, policyName) {
      return removePolicy.run(accountId, ownerType, ownerName, policyName).changes > 0;
    },

    async createSession(s) {
      try {
        insertSession.run(
          s.accessKeyId, s.accountId, s.roleName, s.roleId, s.roleArn, s.sessionName, s.wrappedSecret, s.tokenHash,
          s.sessionPolicy ?? null, s.sourceIdentity ?? null, s.createdAt, s.expiresAt,
        );
      } catch (err) {
        if (isConflict(err)) throw new StoreConflict(`session ${s.accessKeyId}`);
        throw err;
      }
    },
    async getSession(accessKeyId) {
      const row = selectSession.get(accessKeyId) as SessionRow | undefined;
      return row && toSession(row);
    },
    async deleteExpiredSessions(now) {
      return removeExpired.run(now).changes;
    },
  };
}
