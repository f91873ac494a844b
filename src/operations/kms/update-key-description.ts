// UpdateKeyDescription.

import { defineOperation } from '../operation.ts';
import { REQUIRED, str } from '../validate.ts';
import { keyIdField } from './fields.ts';
import { useKey } from './use-key.ts';

export const updateKeyDescription = defineOperation({
  service: 'kms',
  name: 'UpdateKeyDescription',
  action: 'kms:UpdateKeyDescription',
  readOnly: false,
  input: { KeyId: keyIdField(), Description: str({ min: 0, max: 8192 }, REQUIRED) },
  async handle(input, ctx) {
    const key = await useKey(ctx, input.KeyId, 'kms:UpdateKeyDescription', { state: 'notPendingDeletion' });
    await ctx.services.keys.save({ ...key, description: input.Description });
    return {};
  },
  requestParameters: (i) => ({ keyId: i.KeyId, description: i.Description }),
  responseElements: () => null,
});
