// Migration 3: the identity tables. IAM names compare without regard to case (COLLATE NOCASE), as
// IAM refuses "Bob" when "bob" exists. Secrets are stored only wrapped under the root key; session
// tokens only as their SHA-256.

export const IDENTITY_MIGRATION_SQL = `
  CREATE TABLE iam_accounts (
    account_id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE iam_users (
    account_id TEXT NOT NULL,
    user_name TEXT NOT NULL COLLATE NOCASE,
    user_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    arn TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    tags TEXT NOT NULL,
    PRIMARY KEY (account_id, user_name)
  );
  CREATE TABLE iam_roles (
    account_id TEXT NOT NULL,
    role_name TEXT NOT NULL COLLATE NOCASE,
    role_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    arn TEXT NOT NULL,
    trust_policy TEXT NOT NULL,
    description TEXT,
    max_session_duration INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    tags TEXT NOT NULL,
    PRIMARY KEY (account_id, role_name)
  );
  CREATE TABLE iam_access_keys (
    access_key_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    user_name TEXT NOT NULL COLLATE NOCASE, -- '' for the account root
    status TEXT NOT NULL,
    wrapped_secret BLOB NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX iam_access_keys_owner ON iam_access_keys (account_id, user_name, access_key_id);
  CREATE TABLE iam_inline_policies (
    account_id TEXT NOT NULL,
    owner_type TEXT NOT NULL,
    owner_name TEXT NOT NULL COLLATE NOCASE,
    policy_name TEXT NOT NULL COLLATE NOCASE,
    document TEXT NOT NULL,
    PRIMARY KEY (account_id, owner_type, owner_name, policy_name)
  );
  CREATE TABLE sts_sessions (
    access_key_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    role_name TEXT NOT NULL COLLATE NOCASE,
    role_id TEXT NOT NULL,
    role_arn TEXT NOT NULL,
    session_name TEXT NOT NULL,
    wrapped_secret BLOB NOT NULL,
    token_hash BLOB NOT NULL,
    session_policy TEXT,
    source_identity TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX sts_sessions_expiry ON sts_sessions (expires_at);
  CREATE INDEX sts_sessions_role ON sts_sessions (account_id, role_name);
`;
