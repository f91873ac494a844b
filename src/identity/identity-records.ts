// Identities as data: accounts, IAM users and roles, access keys, inline policies and STS
// sessions. Secrets are only ever held wrapped under the root key (see secretLabel).

export type AccessKeyStatus = 'Active' | 'Inactive';

export interface IamTag {
  readonly Key: string;
  readonly Value: string;
}

export interface AccountRecord {
  readonly accountId: string;
  /** Epoch ms. */
  readonly createdAt: number;
}

export interface UserRecord {
  readonly accountId: string;
  readonly userName: string;
  /** AIDA... */
  readonly userId: string;
  /** `/` or `/division/team/` */
  readonly path: string;
  readonly arn: string;
  readonly createdAt: number;
  readonly tags: readonly IamTag[];
}

export interface RoleRecord {
  readonly accountId: string;
  readonly roleName: string;
  /** AROA... */
  readonly roleId: string;
  readonly path: string;
  readonly arn: string;
  /** The trust policy as the caller sent it (JSON text, not URL-encoded). */
  readonly assumeRolePolicyDocument: string;
  readonly description: string | undefined;
  /** Seconds, 3600..43200. */
  readonly maxSessionDuration: number;
  readonly createdAt: number;
  readonly tags: readonly IamTag[];
}

/** A long-term access key. Keys of the account root have no user name. */
export interface AccessKeyRecord {
  readonly accessKeyId: string;
  readonly accountId: string;
  /** The owning IAM user; undefined for the account root's keys. */
  readonly userName: string | undefined;
  readonly status: AccessKeyStatus;
  /** The secret access key wrapped under the root key (label: secretLabel(accessKeyId)). */
  readonly wrappedSecret: Buffer;
  readonly createdAt: number;
}

export type PolicyOwnerType = 'user' | 'role';

export interface InlinePolicyRecord {
  readonly accountId: string;
  readonly ownerType: PolicyOwnerType;
  readonly ownerName: string;
  readonly policyName: string;
  /** The policy as the caller sent it (JSON text, not URL-encoded). */
  readonly document: string;
}

/** Temporary credentials issued by AssumeRole. */
export interface SessionRecord {
  /** ASIA... */
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly roleName: string;
  readonly roleId: string;
  readonly roleArn: string;
  readonly sessionName: string;
  readonly wrappedSecret: Buffer;
  /** SHA-256 of the session token; the token itself is not kept. */
  readonly tokenHash: Buffer;
  /** The session policy passed to AssumeRole, if any. */
  readonly sessionPolicy: string | undefined;
  readonly sourceIdentity: string | undefined;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** The root-key label of a wrapped secret: binds the ciphertext to its access key id. */
export const secretLabel = (accessKeyId: string): string => `secret-access-key:${accessKeyId}`;

export const userArn = (accountId: string, path: string, userName: string): string =>
  `arn:aws:iam::${accountId}:user${path}${userName}`;

export const roleArn = (accountId: string, path: string, roleName: string): string =>
  `arn:aws:iam::${accountId}:role${path}${roleName}`;

export const assumedRoleArn = (accountId: string, roleName: string, sessionName: string): string =>
  `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
