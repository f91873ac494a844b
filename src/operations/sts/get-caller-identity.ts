// GetCallerIdentity: who the credentials belong to. Always allowed, as in AWS (no policy can deny it).

import { defineOperation } from '../operation.ts';

export const getCallerIdentity = defineOperation({
  service: 'sts',
  name: 'GetCallerIdentity',
  action: 'sts:GetCallerIdentity',
  readOnly: true,
  input: {},
  async handle(_input, ctx) {
    const { caller } = ctx;
    return { UserId: caller.principalId, Account: caller.accountId, Arn: caller.arn };
  },
  requestParameters: () => null,
  responseElements: () => null,
});
