// Field shapes shared by the KMS operations, with the constraints of the kms-2014-11-01 model.

import { blob, bool, int, list, str, stringMap, struct, REQUIRED } from '../validate.ts';

export const keyIdField = () => str({ min: 1, max: 2048 }, REQUIRED);
export const optionalKeyIdField = () => str({ min: 1, max: 2048 });
export const encryptionContextField = () => stringMap();
export const grantTokensField = () => list(str({ min: 1, max: 8192 }), { min: 0, max: 10 });
export const ENCRYPTION_ALGORITHMS = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'] as const;
export const encryptionAlgorithmField = () => str({ enum: ENCRYPTION_ALGORITHMS });
export const ciphertextBlobField = () => blob({ min: 1, max: 6144 }, REQUIRED);
export const plaintextField = () => blob({ min: 1, max: 4096 }, REQUIRED);
export const dryRunField = () => bool();
export const markerField = () => str({ min: 1, max: 1024, pattern: /^[\u0020-\u00FF]*$/ });
export const limitField = () => int({ min: 1, max: 1000 });
export const descriptionField = () => str({ min: 0, max: 8192 });
export const ALIAS_NAME_PATTERN = /^[a-zA-Z0-9:/_-]+$/;
export const aliasNameField = () => str({ min: 1, max: 256, pattern: ALIAS_NAME_PATTERN }, REQUIRED);
export const policyField = () => str({ min: 1, max: 131072, pattern: /^[\u0009\u000A\u000D\u0020-\u00FF]+$/ });
export const tagsField = () =>
  list(struct({ TagKey: str({ min: 1, max: 128 }, REQUIRED), TagValue: str({ min: 0, max: 256 }, REQUIRED) }));
export const DATA_KEY_SPECS = ['AES_256', 'AES_128'] as const;
