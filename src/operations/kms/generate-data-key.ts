// GenerateDataKey and GenerateDataKeyWithoutPlaintext: a fresh data key, returned encrypted under
// the KMS key and bound to the encryption context (and, for the first, also in plaintext).

import { KontextError } from '../../errors.ts';
import { defineOperation, type OperationContext } from '../operation.ts';
import { int, str, stringMap } from '../validate.ts';
import { DATA_KEY_SPECS, dryRunField, encryptionContextField, grantTokensField, keyIdField } from './fields.ts';
import { dryRunStop, rejectRecipient } from './crypto-common.ts';
import { useKey } from './use-key.ts';

const input = {
  KeyId: keyIdField(),
  EncryptionContext: encryptionContextField(),
  NumberOfBytes: int({ min: 1, max: 1024 }),
  KeySpec: str({ enum: DATA_KEY_SPECS }),
  GrantTokens: grantTokensField(),
  DryRun: dryRunField(),
};

interface DataKeyInput {
  KeyId: string;
  EncryptionContext?: Record<string, string>;
  NumberOfBytes?: number;
  KeySpec?: string;
  DryRun?: boolean;
  GrantTokens?: string[];
  Recipient?: Record<string, string>;
}

function dataKeyBytes(i: DataKeyInput): number {
  if (i.NumberOfBytes !== undefined && i.KeySpec !== undefined) {
    throw new KontextError('ValidationException', 'Please specify either number of bytes or key spec, not both.');
  }
  if (i.NumberOfBytes !== undefined) return i.NumberOfBytes;
  if (i.KeySpec === 'AES_128') return 16;
  if (i.KeySpec === 'AES_256') return 32;
  throw new KontextError('ValidationException', 'Please specify either number of bytes or key spec.');
}

async function generate(i: DataKeyInput, ctx: OperationContext, action: string) {
  const guard = ctx.services.guardrails.screen(ctx.audit, i.EncryptionContext, 'encryptionContext');
  rejectRecipient(i.Recipient);
  const bytes = dataKeyBytes(i);
  const key = await useKey(ctx, i.KeyId, action, { state: 'usable', encryptionContext: i.EncryptionContext, grantTokens: i.GrantTokens });
  await guard.check(key);
  dryRunStop(i.DryRun);
  const plaintext = ctx.services.keys.generateRandom(bytes);
  const blob = ctx.services.keys.encrypt(key, plaintext, i.EncryptionContext);
  return { key, plaintext, blob };
}

const auditParams = (i: DataKeyInput) => ({
  keyId: i.KeyId,
  encryptionContext: i.EncryptionContext ?? {},
  ...(i.KeySpec !== undefined ? { keySpec: i.KeySpec } : {}),
  ...(i.NumberOfBytes !== undefined ? { numberOfBytes: i.NumberOfBytes } : {}),
});

export const generateDataKey = defineOperation({
  service: 'kms',
  name: 'GenerateDataKey',
  action: 'kms:GenerateDataKey',
  readOnly: true,
  input: { ...input, Recipient: stringMap() },
  async handle(i, ctx) {
    const { key, plaintext, blob } = await generate(i, ctx, 'kms:GenerateDataKey');
    return { CiphertextBlob: blob.toString('base64'), Plaintext: plaintext.toString('base64'), KeyId: key.arn };
  },
  requestParameters: auditParams,
  responseElements: () => null,
});

export const generateDataKeyWithoutPlaintext = defineOperation({
  service: 'kms',
  name: 'GenerateDataKeyWithoutPlaintext',
  action: 'kms:GenerateDataKeyWithoutPlaintext',
  readOnly: true,
  input,
  async handle(i, ctx) {
    const { key, blob } = await generate(i, ctx, 'kms:GenerateDataKeyWithoutPlaintext');
    return { CiphertextBlob: blob.toString('base64'), KeyId: key.arn };
  },
  requestParameters: auditParams,
  responseElements: () => null,
});
