// GenerateRandom: 1..1024 random bytes; authorized by identity policy only.

import { KontextError } from '../../errors.ts';
import { defineOperation } from '../operation.ts';
import { int, str, stringMap } from '../validate.ts';
import { rejectRecipient } from './crypto-common.ts';
import { authorizeAccountAction } from './use-key.ts';

export const generateRandom = defineOperation({
  service: 'kms',
  name: 'GenerateRandom',
  action: 'kms:GenerateRandom',
  readOnly: true,
  input: { NumberOfBytes: int({ min: 1, max: 1024 }), CustomKeyStoreId: str({ min: 1, max: 64 }), Recipient: stringMap() },
  async handle(input, ctx) {
    if (input.NumberOfBytes === undefined) {
      throw new KontextError('ValidationException', "1 validation error detected: Value null at 'numberOfBytes' failed to satisfy constraint: Member must not be null");
    }
    rejectRecipient(input.Recipient);
    if (input.CustomKeyStoreId !== undefined) throw new KontextError('UnsupportedOperationException', 'Custom key stores are not supported');
    await authorizeAccountAction(ctx, 'kms:GenerateRandom');
    return { Plaintext: ctx.services.keys.generateRandom(input.NumberOfBytes).toString('base64') };
  },
  requestParameters: (i) => ({ ...(i.NumberOfBytes !== undefined ? { numberOfBytes: i.NumberOfBytes } : {}) }),
  responseElements: () => null,
});
