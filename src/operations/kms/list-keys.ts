// ListKeys: every key of the caller's account in the request's region, in pages.

import { defineOperation } from '../operation.ts';
import { limitField, markerField } from './fields.ts';
import { decodeMarker, pageOf } from './pagination.ts';
import { authorizeAccountAction } from './use-key.ts';

export const listKeys = defineOperation({
  service: 'kms',
  name: 'ListKeys',
  action: 'kms:ListKeys',
  readOnly: true,
  input: ({ Limit: limitField(), Marker: markerField() }),
  async handle(input, ctx) {
    await authorizeAccountAction(ctx, 'kms:ListKeys');
    const limit = input.Limit ?? 100;
    const after = decodeMarker('key', input.Marker);
    const rows = await ctx.services.store.keys.list(ctx.region, ctx.caller.accountId, { limit: limit + 1, after });
    const page = pageOf(rows, limit, 'key', (k) => k.keyId);
    return {
      Keys: page.items.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })),
      ...(page.NextMarker ? { NextMarker: page.NextMarker } : {}),
      Truncated: page.Truncated,
    };
  },
  requestParameters: (i) => ({ ...(i.Limit !== undefined ? { limit: i.Limit } : {}), ...(i.Marker !== undefined ? { marker: i.Marker } : {}) }),
  responseElements: () => null,
});
