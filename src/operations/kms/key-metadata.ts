// KeyMetadata as the KMS API returns it (timestamps in epoch seconds).

import type { KeyRecord } from '../../keys/key-record.ts';

export const epochSeconds = (ms: number): number => ms / 1000;

export function keyMetadata(key: KeyRecord): Record<string, unknown> {
  return {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: epochSeconds(key.creationDate),
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.keyState,
    ...(key.deletionDate !== undefined ? { DeletionDate: epochSeconds(key.deletionDate) } : {}),
    Origin: key.origin,
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
    ...(key.pendingDeletionWindowInDays !== undefined ? { PendingDeletionWindowInDays: key.pendingDeletionWindowInDays } : {}),
  };
}
