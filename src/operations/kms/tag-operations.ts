// TagResource, UntagResource, ListResourceTags.

import { defineOperation } from '../operation.ts';
import { REQUIRED, list, str } from '../validate.ts';
import { keyIdField, limitField, markerField, tagsField } from './fields.ts';
import { decodeMarker, pageOf } from './pagination.ts';
import { checkTags, mergeTags } from './tags.ts';
import { useKey } from './use-key.ts';

export const tagResource = defineOperation({
  service: 'kms',
  name: 'TagResource',
  action: 'kms:TagResource',
  readOnly: false,
  input: { KeyId: keyIdField(), Tags: { ...tagsField(), required: true as const } },
  async handle(input, ctx) {
    const key = await useKey(ctx, input.KeyId, 'kms:TagResource', {
      state: 'notPendingDeletion',
      facts: { 'aws:tagkeys': input.Tags.map((t) => t.TagKey) },
    });
    checkTags(input.Tags);
    await ctx.services.keys.save({ ...key, tags: mergeTags(key.tags, input.Tags) });
    return {};
  },
  requestParameters: (i) => ({ keyId: i.KeyId, tags: i.Tags.map((t) => ({ tagKey: t.TagKey, tagValue: t.TagValue })) }),
  responseElements: () => null,
});

export const untagResource = defineOperation({
  service: 'kms',
  name: 'UntagResource',
  action: 'kms:UntagResource',
  readOnly: false,
  input: { KeyId: keyIdField(), TagKeys: list(str({ min: 1, max: 128 }), {}, REQUIRED) },
  async handle(input, ctx) {
    const key = await useKey(ctx, input.KeyId, 'kms:UntagResource', { state: 'notPendingDeletion', facts: { 'aws:tagkeys': input.TagKeys } });
    const drop = new Set(input.TagKeys);
    await ctx.services.keys.save({ ...key, tags: key.tags.filter((t) => !drop.has(t.TagKey)) });
    return {};
  },
  requestParameters: (i) => ({ keyId: i.KeyId, tagKeys: i.TagKeys }),
  responseElements: () => null,
});

export const listResourceTags = defineOperation({
  service: 'kms',
  name: 'ListResourceTags',
  action: 'kms:ListResourceTags',
  readOnly: true,
  input: { KeyId: keyIdField(), Limit: limitField(), Marker: markerField() },
  async handle(input, ctx) {
    const key = await useKey(ctx, input.KeyId, 'kms:ListResourceTags', { state: 'any' });
    const limit = input.Limit ?? 50;
    const after = decodeMarker('tag', input.Marker);
    const sorted = [...key.tags].sort((a, b) => (a.TagKey < b.TagKey ? -1 : a.TagKey > b.TagKey ? 1 : 0));
    const rows = sorted.filter((t) => after === undefined || t.TagKey > after).slice(0, limit + 1);
    const page = pageOf(rows, limit, 'tag', (t) => t.TagKey);
    return { Tags: page.items, ...(page.NextMarker ? { NextMarker: page.NextMarker } : {}), Truncated: page.Truncated };
  },
  requestParameters: (i) => ({ keyId: i.KeyId }),
  responseElements: () => null,
});
