// Access keys: CreateAccessKey (the only response that ever carries a secret), ListAccessKeys,
// UpdateAccessKey (Active/Inactive) and DeleteAccessKey. Without UserName they act on the caller's
// own keys; a change takes effect for the next request (see CredentialResolver).

import { str, REQUIRED } from '../validate.ts';
import { defineOperation } from '../operation.ts';
import { accessKeyIdField, markerField, maxItemsField, userNameField } from './fields.ts';
import { authorizeIam, iamResourceArn, targetUserName } from './iam-access.ts';
import { accessKeyMetadataShape, isoSeconds } from './iam-wire.ts';
import type { OperationContext } from '../operation.ts';

const userResource = (ctx: OperationContext, userName: string | undefined): string =>
  userName === undefined ? `arn:aws:iam::${ctx.caller.accountId}:root` : iamResourceArn(ctx.caller.accountId, 'user', undefined, userName);

export const createAccessKey = defineOperation({
  service: 'iam',
  name: 'CreateAccessKey',
  action: 'iam:CreateAccessKey',
  readOnly: false,
  input: { UserName: userNameField() },
  async handle(input, ctx) {
    const userName = targetUserName(ctx, input.UserName);
    await authorizeIam(ctx, 'iam:CreateAccessKey', userResource(ctx, userName));
    const { record, secretAccessKey } = await ctx.services.identity.createAccessKey(ctx.caller.accountId, userName, ctx.services.now());
    return {
      AccessKey: {
        UserName: record.userName,
        AccessKeyId: record.accessKeyId,
        Status: record.status,
        SecretAccessKey: secretAccessKey,
        CreateDate: isoSeconds(record.createdAt),
      },
    };
  },
  requestParameters: (i) => (i.UserName ? { userName: i.UserName } : null),
  // CloudTrail records the new key's id, never its secret.
  responseElements: (o) => ({
    accessKey: { userName: o.AccessKey.UserName, accessKeyId: o.AccessKey.AccessKeyId, status: o.AccessKey.Status, createDate: o.AccessKey.CreateDate },
  }),
});

export const listAccessKeys = defineOperation({
  service: 'iam',
  name: 'ListAccessKeys',
  action: 'iam:ListAccessKeys',
  readOnly: true,
  input: { UserName: userNameField(), Marker: markerField(), MaxItems: maxItemsField() },
  async handle(input, ctx) {
    const userName = targetUserName(ctx, input.UserName);
    await authorizeIam(ctx, 'iam:ListAccessKeys', userResource(ctx, userName));
    const page = await ctx.services.identity.listAccessKeys(ctx.caller.accountId, userName, { marker: input.Marker, maxItems: input.MaxItems });
    return { AccessKeyMetadata: page.items.map(accessKeyMetadataShape), IsTruncated: page.isTruncated, Marker: page.marker };
  },
  requestParameters: (i) => (i.UserName ? { userName: i.UserName } : null),
  responseElements: () => null,
});

export const updateAccessKey = defineOperation({
  service: 'iam',
  name: 'UpdateAccessKey',
  action: 'iam:UpdateAccessKey',
  readOnly: false,
  input: { UserName: userNameField(), AccessKeyId: accessKeyIdField(), Status: str({ enum: ['Active', 'Inactive'] }, REQUIRED) },
  async handle(input, ctx) {
    const userName = targetUserName(ctx, input.UserName);
    await authorizeIam(ctx, 'iam:UpdateAccessKey', userResource(ctx, userName));
    await ctx.services.identity.updateAccessKey(ctx.caller.accountId, userName, input.AccessKeyId, input.Status as 'Active' | 'Inactive');
    return undefined;
  },
  requestParameters: (i) => ({ ...(i.UserName ? { userName: i.UserName } : {}), accessKeyId: i.AccessKeyId, status: i.Status }),
  responseElements: () => null,
});

export const deleteAccessKey = defineOperation({
  service: 'iam',
  name: 'DeleteAccessKey',
  action: 'iam:DeleteAccessKey',
  readOnly: false,
  input: { UserName: userNameField(), AccessKeyId: accessKeyIdField() },
  async handle(input, ctx) {
    const userName = targetUserName(ctx, input.UserName);
    await authorizeIam(ctx, 'iam:DeleteAccessKey', userResource(ctx, userName));
    await ctx.services.identity.deleteAccessKey(ctx.caller.accountId, userName, input.AccessKeyId);
    return undefined;
  },
  requestParameters: (i) => ({ ...(i.UserName ? { userName: i.UserName } : {}), accessKeyId: i.AccessKeyId }),
  responseElements: () => null,
});
