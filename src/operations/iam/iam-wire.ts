// IAM response shapes (User, Role, AccessKeyMetadata) in the member order of the IAM model, with
// timestamps and policy documents written as AWS writes them.

import type { AccessKeyRecord, IamTag, RoleRecord, UserRecord } from '../../identity/identity-records.ts';

/** ISO-8601 UTC in whole seconds, as IAM and STS write timestamps. */
export const isoSeconds = (epochMs: number): string => new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** Policy documents in IAM responses are URL-encoded (RFC 3986), as AWS returns them. */
export const urlEncodePolicy = (document: string): string =>
  encodeURIComponent(document).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const tagsOrNothing = (tags: readonly IamTag[]) => (tags.length > 0 ? tags.map((t) => ({ Key: t.Key, Value: t.Value })) : undefined);

export const userShape = (u: UserRecord) => ({
  Path: u.path,
  UserName: u.userName,
  UserId: u.userId,
  Arn: u.arn,
  CreateDate: isoSeconds(u.createdAt),
  Tags: tagsOrNothing(u.tags),
});

/** ListRoles leaves out tags (AWS: "ListRoles does not return tags"); GetRole includes them. */
export const roleShape = (r: RoleRecord, withTags = true) => ({
  Path: r.path,
  RoleName: r.roleName,
  RoleId: r.roleId,
  Arn: r.arn,
  CreateDate: isoSeconds(r.createdAt),
  AssumeRolePolicyDocument: urlEncodePolicy(r.assumeRolePolicyDocument),
  Description: r.description,
  MaxSessionDuration: r.maxSessionDuration,
  Tags: withTags ? tagsOrNothing(r.tags) : undefined,
});

export const accessKeyMetadataShape = (k: AccessKeyRecord) => ({
  UserName: k.userName,
  AccessKeyId: k.accessKeyId,
  Status: k.status,
  CreateDate: isoSeconds(k.createdAt),
});

export const tagsInput = (tags: ReadonlyArray<{ Key: string; Value: string }> | undefined): IamTag[] =>
  (tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value }));
