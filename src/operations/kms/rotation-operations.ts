// EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations.
// Automatic rotation runs in the key sweep (KeyService.sweep) when the period has elapsed.

import { KontextError } from '../../errors.ts';
import { DAY_MS } from '../../keys/key-record.ts';
import { MAX_ON_DEMAND_ROTATIONS } from '../../keys/key-service.ts';
import { defineOperation } from '../operation.ts';
import { int } from '../validate.ts';
import { keyIdField, limitField, markerField } from './fields.ts';
import { epochSeconds } from './key-metadata.ts';
import { decodeMarker, pageOf } from './pagination.ts';
import { useKey } from './use-key.ts';

export const DEFAULT_ROTATION_PERIOD_DAYS = 365;

export const enableKeyRotation = defineOperation({
  service: 'kms',
  name: 'EnableKeyRotation',
  action: 'kms:EnableKeyRotation',
  readOnly: false,
  input: { KeyId: keyIdField(), RotationPeriodInDays: int({ min: 90, max: 2560 }) },
  async handle(input, ctx) {
    const period = input.RotationPeriodInDays ?? DEFAULT_ROTATION_PERIOD_DAYS;
    const key = await useKey(ctx, input.KeyId, 'kms:EnableKeyRotation', { state: 'usable', facts: { 'kms:rotationperiodindays': String(period) } });
    const now = ctx.services.now();
    await ctx.services.keys.save({ ...key, rotationEnabled: true, rotationPeriodInDays: period, nextRotationDate: now + period * DAY_MS });
    return {};
  },
  requestParameters: (i) => ({ keyId: i.KeyId, ...(i.RotationPeriodInDays !== undefined ? { rotationPeriodInDays: i.RotationPeriodInDays } : {}) }),
  responseElements: () => null,
});

export const disableKeyRotation = defineOperation({
  service: 'kms',
  name: 'DisableKeyRotation',
  action: 'kms:DisableKeyRotation',
  readOnly: false,
  input: { KeyId: keyIdField() },
  async handle(input, ctx) {
    const key = await useKey(ctx, input.KeyId, 'kms:DisableKeyRotation', { state: 'usable' });
    await ctx.services.keys.save({ ...key, rotationEnabled: false, rotationPeriodInDays: undefined, nextRotationDate: undefined });
    return {};
  },
  requestParameters: (i) => ({ keyId: i.KeyId }),
  responseElements: () => null,
});

export const getKeyRotationStatus = defineOperation({
  service: 'kms',
  name: 'GetKeyRotationStatus',
  action: 'kms:GetKeyRotationStatus',
  readOnly: true,
  input: { KeyId: keyIdField() },
  async handle(input, ctx) {
    const key = await useKey(ctx, input.KeyId, 'kms:GetKeyRotationStatus', { state: 'any' });
    return {
      KeyRotationEnabled: key.rotationEnabled,
      KeyId: key.arn,
      ...(key.rotationEnabled && key.rotationPeriodInDays !== undefined ? { RotationPeriodInDays: key.rotationPeriodInDays } : {}),
      ...(key.rotationEnabled && key.nextRotationDate !== undefined ? { NextRotationDate: epochSeconds(key.nextRotationDate) } : {}),
    };
  },
  requestParameters: (i) => ({ keyId: i.KeyId }),
  responseElements: () => null,
});

export const rotateKeyOnDemand = defineOperation({
  service: 'kms',
  name: 'RotateKeyOnDemand',
  action: 'kms:RotateKeyOnDemand',
  readOnly: false,
  input: { KeyId: keyIdField() },
  async handle(input, ctx) {
    const key = await useKey(ctx, input.KeyId, 'kms:RotateKeyOnDemand', { state: 'usable' });
    if (key.onDemandRotations >= MAX_ON_DEMAND_ROTATIONS) {
      throw new KontextError('LimitExceededException', `${key.arn} has reached the maximum of ${MAX_ON_DEMAND_ROTATIONS} on-demand rotations`);
    }
    await ctx.services.keys.save(ctx.services.keys.rotated(key, 'ON_DEMAND', ctx.services.now()));
    return { KeyId: key.arn };
  },
  requestParameters: (i) => ({ keyId: i.KeyId }),
  responseElements: (o) => ({ keyId: o.KeyId }),
});

export const listKeyRotations = defineOperation({
  service: 'kms',
  name: 'ListKeyRotations',
  action: 'kms:ListKeyRotations',
  readOnly: true,
  input: { KeyId: keyIdField(), Limit: limitField(), Marker: markerField() },
  async handle(input, ctx) {
    const key = await useKey(ctx, input.KeyId, 'kms:ListKeyRotations', { state: 'any' });
    const limit = input.Limit ?? 100;
    const after = decodeMarker('rotation', input.Marker);
    const rotations = key.versions.filter((v) => v.rotationType !== undefined && (after === undefined || v.version > Number(after)));
    const page = pageOf(rotations.slice(0, limit + 1), limit, 'rotation', (v) => String(v.version));
    return {
      Rotations: page.items.map((v) => ({ KeyId: key.arn, RotationDate: epochSeconds(v.createdAt), RotationType: v.rotationType })),
      ...(page.NextMarker ? { NextMarker: page.NextMarker } : {}),
      Truncated: page.Truncated,
    };
  },
  requestParameters: (i) => ({ keyId: i.KeyId }),
  responseElements: () => null,
});
