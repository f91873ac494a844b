// Kontext.VerifyAuditTrail: runs the offline verifier against the live store with the stored
// public key. For independent assurance, verify an export with a key pinned elsewhere.

import { KontextError } from '../../errors.ts';
import { readAuditPublicKey } from '../../audit/signing-key.ts';
import { storeTrailSource } from '../../audit/store-trail-source.ts';
import { verifyTrail } from '../../audit/verify-trail.ts';
import { defineOperation } from '../operation.ts';
import { authorizeAccountAction } from '../kms/use-key.ts';

export const verifyAuditTrail = defineOperation({
  service: 'kontext',
  name: 'VerifyAuditTrail',
  action: 'kontext:VerifyAuditTrail',
  readOnly: true,
  input: {},
  async handle(_i, ctx) {
    await authorizeAccountAction(ctx, 'kontext:VerifyAuditTrail');
    const key = await readAuditPublicKey(ctx.services.store.meta);
    if (!key) throw new KontextError('NotFoundException', 'The audit trail has no signing key: the server has not run with auditing on');
    const r = await verifyTrail(storeTrailSource(ctx.services.store.audit), new Map([[key.fingerprint, key.key]]));
    return {
      Valid: r.ok,
      TrailStartSequence: r.trailStartSequence,
      ...(r.firstSequence !== undefined ? { FirstSequence: r.firstSequence } : {}),
      ...(r.lastSequence !== undefined ? { LastSequence: r.lastSequence } : {}),
      EventsChecked: r.eventsChecked,
      DigestsChecked: r.digestsChecked,
      SealedThrough: r.sealedThrough,
      UnsealedEvents: r.unsealedEvents,
      PublicKeyFingerprint: key.fingerprint,
      Problems: r.problems.map((p) => ({
        Kind: p.kind,
        Message: p.message,
        ...(p.seq !== undefined ? { Sequence: p.seq } : {}),
        ...(p.eventId !== undefined ? { EventId: p.eventId } : {}),
        ...(p.digest !== undefined ? { Digest: p.digest } : {}),
      })),
    };
  },
  requestParameters: () => null,
  responseElements: () => null,
});
