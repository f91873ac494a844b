// ListKeys: every key of the caller's account in the request's region, in pages.

import { defineOperation } from '../operation.ts';
import { limitField, markerField } from './fields.ts';
import { decodeMarker, pageOf } from './pagination.ts';
import { authorizeAccountAction } from './use-key.ts';
import { keyArn } from '../../keys/key-record.ts';

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
    // Ids only: the ARN follows from them, and decoding every key document (policy, versions)
    // for a page cost ~3 ms of CPU and most of the server's memory peak with 10,000 keys.
    const ids = await ctx.services.store.keys.listIds(ctx.region, ctx.caller.accountId, { limit: limit + 1, after });
    const page = pageOf(ids, limit, 'key', (id) => id);
    return {
      Keys: page.items.map((id) => ({ KeyId: id, KeyArn: keyArn(ctx.region, ctx.caller.accountId, id) })),
      ...(page.NextMarker ? { NextMarker: page.NextMarker } : {}),
      Truncated: page.Truncated,
    };
  },
  requestParameters: (i) => ({ ...(i.Limit !== undefined ? { limit: i.Limit } : {}), ...(i.Marker !== undefined ? { marker: i.Marker } : {}) }),
  responseElements: () => null,
});
