// DescribeKey: metadata of a key in any state.

import { defineOperation } from '../operation.ts';
import { grantTokensField, keyIdField } from './fields.ts';
import { keyMetadata } from './key-metadata.ts';
import { useKey } from './use-key.ts';

export const describeKey = defineOperation({
  service: 'kms',
  name: 'DescribeKey',
  action: 'kms:DescribeKey',
  readOnly: true,
  input: ({ KeyId: keyIdField(), GrantTokens: grantTokensField() }),
  async handle(input, ctx) {
    const key = await useKey(ctx, input.KeyId, 'kms:DescribeKey', { state: 'any', grantTokens: input.GrantTokens });
    return { KeyMetadata: keyMetadata(key) };
  },
  requestParameters: (i) => ({ keyId: i.KeyId }),
  responseElements: () => null,
});
