// Kontext.GetAuditPublicKey: the key that verifies the trail's digests, to pin outside the server
// (as CloudTrail's ListPublicKeys serves its digest keys).

import { KontextError } from '../../errors.ts';
import { readAuditPublicKey } from '../../audit/signing-key.ts';
import { defineOperation } from '../operation.ts';
import { authorizeAccountAction } from '../kms/use-key.ts';

export const getAuditPublicKey = defineOperation({
  service: 'kontext',
  name: 'GetAuditPublicKey',
  action: 'kontext:GetAuditPublicKey',
  readOnly: true,
  input: {},
  async handle(_i, ctx) {
    await authorizeAccountAction(ctx, 'kontext:GetAuditPublicKey');
    const key = await readAuditPublicKey(ctx.services.store.meta);
    if (!key) throw new KontextError('NotFoundException', 'The audit trail has no signing key: the server has not run with auditing on');
    return {
      PublicKey: key.der.toString('base64'),
      PublicKeyPem: key.key.export({ type: 'spki', format: 'pem' }).toString(),
      Fingerprint: key.fingerprint,
      SignatureAlgorithm: key.algorithm,
      CreationDate: key.createdAt / 1000,
    };
  },
  requestParameters: () => null,
  responseElements: () => null,
});
