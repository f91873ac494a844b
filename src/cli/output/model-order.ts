// The AWS CLI prints members in the service model's order. @aws-sdk/client-kms returns required
// members first, which in the KMS model changes the order of one output structure only:
// KeyMetadata (KeyId is required, AWSAccountId comes before it; also held as ReplicaKeyMetadata).
// model-order.test.ts checks that against the model, so another such structure would be noticed.

import type { CliValue } from './cli-values.ts';

const KEY_METADATA: readonly string[] = [
  'AWSAccountId', 'KeyId', 'Arn', 'CreationDate', 'Enabled', 'Description', 'KeyUsage', 'KeyState', 'DeletionDate', 'ValidTo', 'Origin',
  'CustomKeyStoreId', 'CloudHsmClusterId', 'ExpirationModel', 'KeyManager', 'CustomerMasterKeySpec', 'KeySpec', 'EncryptionAlgorithms',
  'SigningAlgorithms', 'KeyAgreementAlgorithms', 'MultiRegion', 'MultiRegionConfiguration', 'PendingDeletionWindowInDays', 'MacAlgorithms',
  'XksKeyConfiguration',
];

/** Output structures whose model order differs from the SDK's, by the member name that holds them. */
export const MODEL_ORDER: Readonly<Record<string, readonly string[]>> = { KeyMetadata: KEY_METADATA, ReplicaKeyMetadata: KEY_METADATA };

export function inModelOrder(value: CliValue, holder?: string): CliValue {
  if (Array.isArray(value)) return value.map((v) => inModelOrder(v, holder));
  if (typeof value !== 'object' || value === null) return value;
  const order = holder !== undefined ? MODEL_ORDER[holder] : undefined;
  const keys = Object.keys(value);
  if (order) keys.sort((a, b) => rank(order, a) - rank(order, b));
  const out: Record<string, CliValue> = {};
  for (const k of keys) out[k] = inModelOrder(value[k] as CliValue, k);
  return out;
}

/** Known members by model position; unknown ones keep their place after them (sort is stable). */
const rank = (order: readonly string[], key: string): number => {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
};
