// Field shapes of the grant operations, with the kms-2014-11-01 model's constraints, and the
// GrantListEntry response shape.

import { list, str, stringMap, struct, REQUIRED } from '../validate.ts';
import { GRANT_OPERATIONS, type GrantRecord } from '../../grants/grant-record.ts';
import { epochSeconds } from './key-metadata.ts';

export const principalIdField = <R extends boolean = false>(required?: R) => str({ min: 1, max: 256, pattern: /^[\w+=,.@:/-]+$/ }, required);
export const grantIdField = <R extends boolean = false>(required?: R) => str({ min: 1, max: 128 }, required);
export const grantTokenField = () => str({ min: 1, max: 8192 });
export const grantNameField = () => str({ min: 1, max: 256, pattern: /^[a-zA-Z0-9:/_-]+$/ });
export const grantOperationsField = () => list(str({ enum: GRANT_OPERATIONS }), {}, REQUIRED);
export const grantConstraintsField = () => struct({ EncryptionContextSubset: stringMap(), EncryptionContextEquals: stringMap() });

/** GrantListEntry, in the model's member order. */
export function grantListEntry(g: GrantRecord): Record<string, unknown> {
  return {
    KeyId: g.keyArn,
    GrantId: g.grantId,
    ...(g.name !== undefined ? { Name: g.name } : {}),
    CreationDate: epochSeconds(g.creationDate),
    GranteePrincipal: g.granteePrincipal,
    ...(g.retiringPrincipal !== undefined ? { RetiringPrincipal: g.retiringPrincipal } : {}),
    IssuingAccount: g.issuingAccount,
    Operations: [...g.operations],
    ...(g.constraints
      ? {
          Constraints: {
            ...(g.constraints.encryptionContextSubset ? { EncryptionContextSubset: g.constraints.encryptionContextSubset } : {}),
            ...(g.constraints.encryptionContextEquals ? { EncryptionContextEquals: g.constraints.encryptionContextEquals } : {}),
          },
        }
      : {}),
  };
}
