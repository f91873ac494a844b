// IAM roles: CreateRole (with its trust policy), GetRole, ListRoles, DeleteRole.

import { str } from '../validate.ts';
import { defineOperation } from '../operation.ts';
import { markerField, maxItemsField, pathField, pathPrefixField, permissionsBoundaryField, policyDocumentField, queryInt, roleNameField, tagsField } from './fields.ts';
import { authorizeIam, iamResourceArn } from './iam-access.ts';
import { roleShape, tagsInput } from './iam-wire.ts';

export const DEFAULT_MAX_SESSION_DURATION = 3600;

export const createRole = defineOperation({
  service: 'iam',
  name: 'CreateRole',
  action: 'iam:CreateRole',
  readOnly: false,
  input: {
    Path: pathField(),
    RoleName: roleNameField(),
    AssumeRolePolicyDocument: policyDocumentField(),
    Description: str({ max: 1000, pattern: /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/ }),
    MaxSessionDuration: queryInt({ min: 3600, max: 43200 }),
    PermissionsBoundary: permissionsBoundaryField(),
    Tags: tagsField(),
  },
  async handle(input, ctx) {
    const { accountId } = ctx.caller;
    await authorizeIam(ctx, 'iam:CreateRole', iamResourceArn(accountId, 'role', input.Path, input.RoleName));
    const role = await ctx.services.identity.createRole(
      accountId,
      {
        roleName: input.RoleName,
        path: input.Path ?? '/',
        trustPolicy: input.AssumeRolePolicyDocument,
        description: input.Description,
        maxSessionDuration: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
        tags: tagsInput(input.Tags),
      },
      ctx.services.now(),
    );
    ctx.audit.resources.push({ ARN: role.arn, accountId, type: 'AWS::IAM::Role' });
    return { Role: roleShape(role) };
  },
  requestParameters: (i) => ({
    roleName: i.RoleName,
    assumeRolePolicyDocument: i.AssumeRolePolicyDocument,
    ...(i.Path ? { path: i.Path } : {}),
    ...(i.Description !== undefined ? { description: i.Description } : {}),
    ...(i.MaxSessionDuration !== undefined ? { maxSessionDuration: i.MaxSessionDuration } : {}),
  }),
  responseElements: (o) => ({ role: { path: o.Role.Path, roleName: o.Role.RoleName, roleId: o.Role.RoleId, arn: o.Role.Arn, createDate: o.Role.CreateDate } }),
});

export const getRole = defineOperation({
  service: 'iam',
  name: 'GetRole',
  action: 'iam:GetRole',
  readOnly: true,
  input: { RoleName: roleNameField() },
  async handle(input, ctx) {
    const { accountId } = ctx.caller;
    await authorizeIam(ctx, 'iam:GetRole', iamResourceArn(accountId, 'role', undefined, input.RoleName));
    return { Role: roleShape(await ctx.services.identity.getRole(accountId, input.RoleName)) };
  },
  requestParameters: (i) => ({ roleName: i.RoleName }),
  responseElements: () => null,
});

export const listRoles = defineOperation({
  service: 'iam',
  name: 'ListRoles',
  action: 'iam:ListRoles',
  readOnly: true,
  input: { PathPrefix: pathPrefixField(), Marker: markerField(), MaxItems: maxItemsField() },
  async handle(input, ctx) {
    const { accountId } = ctx.caller;
    await authorizeIam(ctx, 'iam:ListRoles', iamResourceArn(accountId, 'role', '/', '*'));
    const page = await ctx.services.identity.listRoles(accountId, input.PathPrefix, { marker: input.Marker, maxItems: input.MaxItems });
    return { Roles: page.items.map((r) => roleShape(r, false)), IsTruncated: page.isTruncated, Marker: page.marker };
  },
  requestParameters: (i) => ({ ...(i.PathPrefix ? { pathPrefix: i.PathPrefix } : {}), ...(i.MaxItems ? { maxItems: i.MaxItems } : {}) }),
  responseElements: () => null,
});

export const deleteRole = defineOperation({
  service: 'iam',
  name: 'DeleteRole',
  action: 'iam:DeleteRole',
  readOnly: false,
  input: { RoleName: roleNameField() },
  async handle(input, ctx) {
    const { accountId } = ctx.caller;
    await authorizeIam(ctx, 'iam:DeleteRole', iamResourceArn(accountId, 'role', undefined, input.RoleName));
    await ctx.services.identity.deleteRole(accountId, input.RoleName);
    return undefined;
  },
  requestParameters: (i) => ({ roleName: i.RoleName }),
  responseElements: () => null,
});
