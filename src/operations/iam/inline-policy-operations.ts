// Inline identity policies of users and roles: Put/Get/Delete/List{User,Role}Policy. The documents
// are validated when stored and returned URL-encoded, as IAM returns them.

import { defineOperation, type OperationContext } from '../operation.ts';
import type { PolicyOwnerType } from '../../identity/identity-records.ts';
import { markerField, maxItemsField, policyDocumentField, policyNameField, roleNameField, userNameField } from './fields.ts';
import { authorizeIam, iamResourceArn } from './iam-access.ts';
import { urlEncodePolicy } from './iam-wire.ts';
import { REQUIRED } from '../validate.ts';

const authorize = (ctx: OperationContext, ownerType: PolicyOwnerType, action: string, ownerName: string) =>
  authorizeIam(ctx, action, iamResourceArn(ctx.caller.accountId, ownerType, undefined, ownerName));

async function put(ctx: OperationContext, ownerType: PolicyOwnerType, action: string, ownerName: string, policyName: string, document: string): Promise<undefined> {
  await authorize(ctx, ownerType, action, ownerName);
  await ctx.services.identity.putInlinePolicy(ctx.caller.accountId, ownerType, ownerName, policyName, document);
  return undefined;
}

async function get(ctx: OperationContext, ownerType: PolicyOwnerType, action: string, ownerName: string, policyName: string) {
  await authorize(ctx, ownerType, action, ownerName);
  const p = await ctx.services.identity.getInlinePolicy(ctx.caller.accountId, ownerType, ownerName, policyName);
  return { ownerName: p.ownerName, PolicyName: p.policyName, PolicyDocument: urlEncodePolicy(p.document) };
}

async function remove(ctx: OperationContext, ownerType: PolicyOwnerType, action: string, ownerName: string, policyName: string): Promise<undefined> {
  await authorize(ctx, ownerType, action, ownerName);
  await ctx.services.identity.deleteInlinePolicy(ctx.caller.accountId, ownerType, ownerName, policyName);
  return undefined;
}

async function list(ctx: OperationContext, ownerType: PolicyOwnerType, action: string, ownerName: string, marker: string | undefined, maxItems: number | undefined) {
  await authorize(ctx, ownerType, action, ownerName);
  const page = await ctx.services.identity.listInlinePolicies(ctx.caller.accountId, ownerType, ownerName, { marker, maxItems });
  return { PolicyNames: page.items.map((p) => p.policyName), IsTruncated: page.isTruncated, Marker: page.marker };
}

const userName = () => userNameField(REQUIRED);

export const putUserPolicy = defineOperation({
  service: 'iam',
  name: 'PutUserPolicy',
  action: 'iam:PutUserPolicy',
  readOnly: false,
  input: { UserName: userName(), PolicyName: policyNameField(), PolicyDocument: policyDocumentField() },
  handle: (i, ctx) => put(ctx, 'user', 'iam:PutUserPolicy', i.UserName, i.PolicyName, i.PolicyDocument),
  requestParameters: (i) => ({ userName: i.UserName, policyName: i.PolicyName, policyDocument: i.PolicyDocument }),
  responseElements: () => null,
});

export const getUserPolicy = defineOperation({
  service: 'iam',
  name: 'GetUserPolicy',
  action: 'iam:GetUserPolicy',
  readOnly: true,
  input: { UserName: userName(), PolicyName: policyNameField() },
  async handle(i, ctx) {
    const { ownerName, ...rest } = await get(ctx, 'user', 'iam:GetUserPolicy', i.UserName, i.PolicyName);
    return { UserName: ownerName, ...rest };
  },
  requestParameters: (i) => ({ userName: i.UserName, policyName: i.PolicyName }),
  responseElements: () => null,
});

export const deleteUserPolicy = defineOperation({
  service: 'iam',
  name: 'DeleteUserPolicy',
  action: 'iam:DeleteUserPolicy',
  readOnly: false,
  input: { UserName: userName(), PolicyName: policyNameField() },
  handle: (i, ctx) => remove(ctx, 'user', 'iam:DeleteUserPolicy', i.UserName, i.PolicyName),
  requestParameters: (i) => ({ userName: i.UserName, policyName: i.PolicyName }),
  responseElements: () => null,
});

export const listUserPolicies = defineOperation({
  service: 'iam',
  name: 'ListUserPolicies',
  action: 'iam:ListUserPolicies',
  readOnly: true,
  input: { UserName: userName(), Marker: markerField(), MaxItems: maxItemsField() },
  handle: (i, ctx) => list(ctx, 'user', 'iam:ListUserPolicies', i.UserName, i.Marker, i.MaxItems),
  requestParameters: (i) => ({ userName: i.UserName }),
  responseElements: () => null,
});

export const putRolePolicy = defineOperation({
  service: 'iam',
  name: 'PutRolePolicy',
  action: 'iam:PutRolePolicy',
  readOnly: false,
  input: { RoleName: roleNameField(), PolicyName: policyNameField(), PolicyDocument: policyDocumentField() },
  handle: (i, ctx) => put(ctx, 'role', 'iam:PutRolePolicy', i.RoleName, i.PolicyName, i.PolicyDocument),
  requestParameters: (i) => ({ roleName: i.RoleName, policyName: i.PolicyName, policyDocument: i.PolicyDocument }),
  responseElements: () => null,
});

export const getRolePolicy = defineOperation({
  service: 'iam',
  name: 'GetRolePolicy',
  action: 'iam:GetRolePolicy',
  readOnly: true,
  input: { RoleName: roleNameField(), PolicyName: policyNameField() },
  async handle(i, ctx) {
    const { ownerName, ...rest } = await get(ctx, 'role', 'iam:GetRolePolicy', i.RoleName, i.PolicyName);
    return { RoleName: ownerName, ...rest };
  },
  requestParameters: (i) => ({ roleName: i.RoleName, policyName: i.PolicyName }),
  responseElements: () => null,
});

export const deleteRolePolicy = defineOperation({
  service: 'iam',
  name: 'DeleteRolePolicy',
  action: 'iam:DeleteRolePolicy',
  readOnly: false,
  input: { RoleName: roleNameField(), PolicyName: policyNameField() },
  handle: (i, ctx) => remove(ctx, 'role', 'iam:DeleteRolePolicy', i.RoleName, i.PolicyName),
  requestParameters: (i) => ({ roleName: i.RoleName, policyName: i.PolicyName }),
  responseElements: () => null,
});

export const listRolePolicies = defineOperation({
  service: 'iam',
  name: 'ListRolePolicies',
  action: 'iam:ListRolePolicies',
  readOnly: true,
  input: { RoleName: roleNameField(), Marker: markerField(), MaxItems: maxItemsField() },
  handle: (i, ctx) => list(ctx, 'role', 'iam:ListRolePolicies', i.RoleName, i.Marker, i.MaxItems),
  requestParameters: (i) => ({ roleName: i.RoleName }),
  responseElements: () => null,
});
