// The IAM actions a policy can name for KMS (AWS KMS API permissions reference) and for Kontext's
// own operations: an action outside these lists never matches a request.

export const KMS_ACTIONS: readonly string[] = [
  'CancelKeyDeletion', 'ConnectCustomKeyStore', 'CreateAlias', 'CreateCustomKeyStore', 'CreateGrant', 'CreateKey', 'Decrypt',
  'DeleteAlias', 'DeleteCustomKeyStore', 'DeleteImportedKeyMaterial', 'DeriveSharedSecret', 'DescribeCustomKeyStores', 'DescribeKey',
  'DisableKey', 'DisableKeyRotation', 'DisconnectCustomKeyStore', 'EnableKey', 'EnableKeyRotation', 'Encrypt', 'GenerateDataKey',
  'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'GenerateRandom',
  'GetKeyPolicy', 'GetKeyRotationStatus', 'GetParametersForImport', 'GetPublicKey', 'ImportKeyMaterial', 'ListAliases', 'ListGrants',
  'ListKeyPolicies', 'ListKeyRotations', 'ListKeys', 'ListResourceTags', 'ListRetirableGrants', 'PutKeyPolicy', 'ReEncryptFrom',
  'ReEncryptTo', 'ReplicateKey', 'RetireGrant', 'RevokeGrant', 'RotateKeyOnDemand', 'ScheduleKeyDeletion', 'Sign',
  'SynchronizeMultiRegionKey', 'TagResource', 'UntagResource', 'UpdateAlias', 'UpdateCustomKeyStore', 'UpdateKeyDescription',
  'UpdatePrimaryRegion', 'Verify', 'VerifyMac',
].map((a) => `kms:${a}`);

export const KONTEXT_ACTIONS: readonly string[] = [
  'PutContextSchema', 'GetContextSchema', 'ListContextSchemas', 'DeleteContextSchema', 'LintPolicy',
  'QueryAuditEvents', 'VerifyAuditTrail', 'GetAuditPublicKey', 'GetContextUsage', 'SimulatePolicy',
  'PutAlertRule', 'ListAlertRules', 'DeleteAlertRule', 'ListAlerts', 'AcknowledgeAlert',
].map((a) => `kontext:${a}`);

/** Lower-cased, for the case-insensitive comparison IAM makes. */
export const KNOWN_ACTIONS: ReadonlyMap<string, readonly string[]> = new Map([
  ['kms', KMS_ACTIONS.map((a) => a.toLowerCase())],
  ['kontext', KONTEXT_ACTIONS.map((a) => a.toLowerCase())],
]);
