// ListGrants (the grants of one key, kms:ListGrants in the key policy) and ListRetirableGrants
// (grants in the region a principal of the caller's account may retire; an IAM-only permission).

import { KontextError } from '../../errors.ts';
import { accessDeniedError } from '../../policy/index.ts';
import { parsePrincipalArn } from '../../authz/principal-directory.ts';
import { isGrantId } from '../../grants/grant-token.ts';
import type { StoredGrant } from '../../store/grant-repository.ts';
import { defineOperation } from '../operation.ts';
import { REQUIRED } from '../validate.ts';
import { keyIdField, limitField, markerField } from './fields.ts';
import { grantIdField, grantListEntry, principalIdField } from './grant-fields.ts';
import { decodeMarker, encodeMarker } from './pagination.ts';
import { authorizeAccountAction, useKey } from './use-key.ts';

function afterSeq(marker: string | undefined): number | undefined {
  const decoded = decodeMarker('grant', marker);
  if (decoded === undefined) return undefined;
  if (!/^\d{1,15}$/.test(decoded)) throw new KontextError('InvalidMarkerException', 'The marker is not valid: use the NextMarker of a previous response');
  return Number(decoded);
}

function page(rows: StoredGrant[], limit: number) {
  const items = rows.slice(0, limit);
  const truncated = rows.length > limit;
  const last = items[items.length - 1];
  return {
    Grants: items.map((r) => grantListEntry(r.grant)),
    ...(truncated && last ? { NextMarker: encodeMarker('grant', String(last.seq)) } : {}),
    Truncated: truncated,
  };
}

export const listGrants = defineOperation({
  service: 'kms',
  name: 'ListGrants',
  action: 'kms:ListGrants',
  readOnly: true,
  input: { Limit: limitField(), Marker: markerField(), KeyId: keyIdField(), GrantId: grantIdField(), GranteePrincipal: principalIdField() },
  async handle(input, ctx) {
    const key = await useKey(ctx, input.KeyId, 'kms:ListGrants', { state: 'any', facts: { 'kms:grantisforawsresource': 'false' } });
    if (input.GrantId !== undefined && !isGrantId(input.GrantId)) throw new KontextError('InvalidGrantIdException', `Invalid grant ID: ${input.GrantId}`);
    const limit = input.Limit ?? 50;
    const rows = await ctx.services.grants.listForKey(key, { limit: limit + 1, after: afterSeq(input.Marker) }, {
      ...(input.GrantId !== undefined ? { grantId: input.GrantId } : {}),
      ...(input.GranteePrincipal !== undefined ? { granteePrincipal: input.GranteePrincipal } : {}),
    });
    return page(rows, limit);
  },
  requestParameters: (i) => ({
    keyId: i.KeyId,
    ...(i.GrantId !== undefined ? { grantId: i.GrantId } : {}),
    ...(i.GranteePrincipal !== undefined ? { granteePrincipal: i.GranteePrincipal } : {}),
    ...(i.Limit !== undefined ? { limit: i.Limit } : {}),
    ...(i.Marker !== undefined ? { marker: i.Marker } : {}),
  }),
  responseElements: () => null,
});

export const listRetirableGrants = defineOperation({
  service: 'kms',
  name: 'ListRetirableGrants',
  action: 'kms:ListRetirableGrants',
  readOnly: true,
  input: { Limit: limitField(), Marker: markerField(), RetiringPrincipal: principalIdField(REQUIRED) },
  async handle(input, ctx) {
    await authorizeAccountAction(ctx, 'kms:ListRetirableGrants');
    // "You can specify any principal in your AWS account": other accounts' grants stay private.
    const principal = parsePrincipalArn(input.RetiringPrincipal);
    if (principal && principal.accountId !== ctx.caller.accountId) {
      throw accessDeniedError(
        { principalArn: ctx.caller.arn, action: 'kms:ListRetirableGrants', denial: 'noIdentityPolicy' },
        `the retiring principal ${input.RetiringPrincipal} is not in the caller's account`,
      );
    }
    const limit = input.Limit ?? 50;
    const rows = await ctx.services.grants.listByRetiringPrincipal(ctx.region, input.RetiringPrincipal, { limit: limit + 1, after: afterSeq(input.Marker) });
    return page(rows, limit);
  },
  requestParameters: (i) => ({
    retiringPrincipal: i.RetiringPrincipal,
    ...(i.Limit !== undefined ? { limit: i.Limit } : {}),
    ...(i.Marker !== undefined ? { marker: i.Marker } : {}),
  }),
  responseElements: () => null,
});
