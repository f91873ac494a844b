// IAM users: CreateUser, GetUser, ListUsers, DeleteUser.

import { str, REQUIRED } from '../validate.ts';
import { defineOperation } from '../operation.ts';
import { rootArn } from '../../identity/caller.ts';
import { markerField, maxItemsField, pathField, pathPrefixField, permissionsBoundaryField, tagsField, userNameField } from './fields.ts';
import { authorizeIam, iamResourceArn, targetUserName } from './iam-access.ts';
import { isoSeconds, tagsInput, userShape } from './iam-wire.ts';

export const createUser = defineOperation({
  service: 'iam',
  name: 'CreateUser',
  action: 'iam:CreateUser',
  readOnly: false,
  input: {
    Path: pathField(),
    UserName: str({ min: 1, max: 64, pattern: /^[\w+=,.@-]+$/ }, REQUIRED),
    PermissionsBoundary: permissionsBoundaryField(),
    Tags: tagsField(),
  },
  async handle(input, ctx) {
    const { accountId } = ctx.caller;
    await authorizeIam(ctx, 'iam:CreateUser', iamResourceArn(accountId, 'user', input.Path, input.UserName));
    const user = await ctx.services.identity.createUser(
      accountId,
      { userName: input.UserName, path: input.Path ?? '/', tags: tagsInput(input.Tags) },
      ctx.services.now(),
    );
    ctx.audit.resources.push({ ARN: user.arn, accountId, type: 'AWS::IAM::User' });
    return { User: userShape(user) };
  },
  requestParameters: (i) => ({ userName: i.UserName, ...(i.Path ? { path: i.Path } : {}), ...(i.Tags ? { tags: i.Tags } : {}) }),
  responseElements: (o) => ({ user: { path: o.User.Path, userName: o.User.UserName, userId: o.User.UserId, arn: o.User.Arn, createDate: o.User.CreateDate } }),
});

export const getUser = defineOperation({
  service: 'iam',
  name: 'GetUser',
  action: 'iam:GetUser',
  readOnly: true,
  input: { UserName: userNameField() },
  async handle(input, ctx) {
    const { accountId } = ctx.caller;
    const name = targetUserName(ctx, input.UserName);
    if (name === undefined) {
      // The root user describes itself with its account id and ARN, as AWS does.
      const account = await ctx.services.identity.getAccount(accountId);
      return { User: { UserId: accountId, Arn: rootArn(accountId), CreateDate: isoSeconds(account?.createdAt ?? 0) } };
    }
    await authorizeIam(ctx, 'iam:GetUser', iamResourceArn(accountId, 'user', undefined, name));
    return { User: userShape(await ctx.services.identity.getUser(accountId, name)) };
  },
  requestParameters: (i) => (i.UserName ? { userName: i.UserName } : null),
  responseElements: () => null,
});

export const listUsers = defineOperation({
  service: 'iam',
  name: 'ListUsers',
  action: 'iam:ListUsers',
  readOnly: true,
  input: { PathPrefix: pathPrefixField(), Marker: markerField(), MaxItems: maxItemsField() },
  async handle(input, ctx) {
    const { accountId } = ctx.caller;
    await authorizeIam(ctx, 'iam:ListUsers', iamResourceArn(accountId, 'user', '/', '*'));
    const page = await ctx.services.identity.listUsers(accountId, input.PathPrefix, { marker: input.Marker, maxItems: input.MaxItems });
    return {
      Users: page.items.map((u) => ({ ...userShape(u), Tags: undefined })),
      IsTruncated: page.isTruncated,
      Marker: page.marker,
    };
  },
  requestParameters: (i) => ({ ...(i.PathPrefix ? { pathPrefix: i.PathPrefix } : {}), ...(i.MaxItems ? { maxItems: i.MaxItems } : {}) }),
  responseElements: () => null,
});

export const deleteUser = defineOperation({
  service: 'iam',
  name: 'DeleteUser',
  action: 'iam:DeleteUser',
  readOnly: false,
  input: { UserName: userNameField(REQUIRED) },
  async handle(input, ctx) {
    const { accountId } = ctx.caller;
    await authorizeIam(ctx, 'iam:DeleteUser', iamResourceArn(accountId, 'user', undefined, input.UserName));
    await ctx.services.identity.deleteUser(accountId, input.UserName);
    return undefined;
  },
  requestParameters: (i) => ({ userName: i.UserName }),
  responseElements: () => null,
});
