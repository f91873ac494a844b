// Shared rules of the symmetric cryptographic operations: algorithm checks, DryRun, and the
// decrypt path that finds the key in the ciphertext itself.

import { KontextError } from '../../errors.ts';
import type { EncryptionContext } from '../../crypto/encryption-context.ts';
import type { KeyRecord } from '../../keys/key-record.ts';
import type { DecryptResult } from '../../keys/key-service.ts';
import type { OperationContext } from '../operation.ts';
import { authorizeKey } from './use-key.ts';

export function checkSymmetricAlgorithm(key: KeyRecord, algorithm: string | undefined): void {
  if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
    throw new KontextError('InvalidKeyUsageException', `The encryption algorithm ${algorithm} is not supported by ${key.arn}: use SYMMETRIC_DEFAULT`);
  }
}

export function dryRunStop(dryRun: boolean | undefined): void {
  if (dryRun === true) throw new KontextError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
}

export function rejectRecipient(recipient: unknown): void {
  if (recipient !== undefined) throw new KontextError('UnsupportedOperationException', 'Recipient (attested enclave) requests are not supported');
}

const UNKNOWN_KEY_MESSAGE =
  'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.';

export interface DecryptAs {
  readonly ciphertext: Buffer;
  readonly context: EncryptionContext | undefined;
  /** The KeyId parameter, if the caller named the key. */
  readonly keyIdParam: string | undefined;
  readonly action: string;
  readonly algorithm: string | undefined;
  readonly dryRun: boolean | undefined;
  readonly facts?: Readonly<Record<string, string | readonly string[]>>;
  readonly grantTokens?: readonly string[] | undefined;
}

/**
 * Decrypt and ReEncrypt's source side: the key comes from the ciphertext; a KeyId parameter must
 * name that key (IncorrectKeyException); authorization runs against the key from the blob.
 */
export async function decryptAs(ctx: OperationContext, req: DecryptAs): Promise<DecryptResult> {
  const keys = ctx.services.keys;
  const scope = { region: ctx.region, accountId: ctx.caller.accountId };
  const expected = req.keyIdParam === undefined ? undefined : (await keys.resolve(scope, req.keyIdParam)).key;
  return keys.decrypt(scope, req.ciphertext, req.context, async (keyId) => {
    let key: KeyRecord;
    try {
      // Without KeyId the ciphertext's key may belong to another account that shares it (AWS reads
      // the key from the ciphertext's metadata); authorizeKey below decides whether the caller may use it.
      key = expected && expected.keyId === keyId
        ? expected
        : expected
          ? await keys.getById(ctx.region, expected.accountId, keyId)
          : await keys.getByCiphertextKeyId(ctx.region, ctx.caller.accountId, keyId);
    } catch (err) {
      if (err instanceof KontextError && err.code === 'NotFoundException') {
        throw new KontextError('AccessDeniedException', UNKNOWN_KEY_MESSAGE, `ciphertext names key ${keyId}, which does not exist in ${ctx.region}`);
      }
      throw err;
    }
    if (expected && expected.keyId !== key.keyId) {
      throw new KontextError(
        'IncorrectKeyException',
        'The key ID in the request does not identify a CMK that can perform this operation.',
        `ciphertext was encrypted under ${key.arn}, request named ${expected.arn}`,
      );
    }
    await authorizeKey(ctx, key, req.action, { state: 'usable', encryptionContext: req.context, grantTokens: req.grantTokens, ...(req.facts ? { facts: req.facts } : {}) });
    checkSymmetricAlgorithm(key, req.algorithm);
    dryRunStop(req.dryRun);
    return key;
  });
}
