// EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion: the key-state machine.

import { KontextError } from '../../errors.ts';
import { DAY_MS } from '../../keys/key-record.ts';
import { defineOperation } from '../operation.ts';
import { int } from '../validate.ts';
import { keyIdField } from './fields.ts';
import { epochSeconds } from './key-metadata.ts';
import { useKey } from './use-key.ts';

const keyOnly = () => ({ KeyId: keyIdField() });

export const enableKey = defineOperation({
  service: 'kms',
  name: 'EnableKey',
  action: 'kms:EnableKey',
  readOnly: false,
  input: keyOnly(),
  async handle(input, ctx) {
    const key = await useKey(ctx, input.KeyId, 'kms:EnableKey', { state: 'notPendingDeletion' });
    if (key.keyState !== 'Enabled') await ctx.services.keys.save({ ...key, keyState: 'Enabled' });
    return {};
  },
  requestParameters: (i) => ({ keyId: i.KeyId }),
  responseElements: () => null,
});

export const disableKey = defineOperation({
  service: 'kms',
  name: 'DisableKey',
  action: 'kms:DisableKey',
  readOnly: false,
  input: keyOnly(),
  async handle(input, ctx) {
    const key = await useKey(ctx, input.KeyId, 'kms:DisableKey', { state: 'notPendingDeletion' });
    if (key.keyState !== 'Disabled') await ctx.services.keys.save({ ...key, keyState: 'Disabled' });
    return {};
  },
  requestParameters: (i) => ({ keyId: i.KeyId }),
  responseElements: () => null,
});

export const scheduleKeyDeletion = defineOperation({
  service: 'kms',
  name: 'ScheduleKeyDeletion',
  action: 'kms:ScheduleKeyDeletion',
  readOnly: false,
  input: ({ KeyId: keyIdField(), PendingWindowInDays: int({ min: 1, max: 365 }) }),
  async handle(input, ctx) {
    const key = await useKey(ctx, input.KeyId, 'kms:ScheduleKeyDeletion', { state: 'notPendingDeletion' });
    const days = input.PendingWindowInDays ?? 30;
    if (days < 7 || days > 30) {
      throw new KontextError('ValidationException', `1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30`);
    }
    const deletionDate = ctx.services.now() + days * DAY_MS;
    await ctx.services.keys.save({ ...key, keyState: 'PendingDeletion', deletionDate, pendingDeletionWindowInDays: days });
    return { KeyId: key.arn, DeletionDate: epochSeconds(deletionDate), KeyState: 'PendingDeletion', PendingWindowInDays: days };
  },
  requestParameters: (i) => ({ keyId: i.KeyId, ...(i.PendingWindowInDays !== undefined ? { pendingWindowInDays: i.PendingWindowInDays } : {}) }),
  responseElements: (o) => ({ keyId: o.KeyId, deletionDate: new Date(o.DeletionDate * 1000).toISOString(), keyState: o.KeyState, pendingWindowInDays: o.PendingWindowInDays }),
});

export const cancelKeyDeletion = defineOperation({
  service: 'kms',
  name: 'CancelKeyDeletion',
  action: 'kms:CancelKeyDeletion',
  readOnly: false,
  input: keyOnly(),
  async handle(input, ctx) {
    const key = await useKey(ctx, input.KeyId, 'kms:CancelKeyDeletion', { state: 'any' });
    if (key.keyState !== 'PendingDeletion') throw new KontextError('KMSInvalidStateException', `${key.arn} is not pending deletion.`);
    // As in AWS, a key whose deletion is cancelled comes back Disabled.
    await ctx.services.keys.save({ ...key, keyState: 'Disabled', deletionDate: undefined, pendingDeletionWindowInDays: undefined });
    return { KeyId: key.arn };
  },
  requestParameters: (i) => ({ keyId: i.KeyId }),
  responseElements: (o) => ({ keyId: o.KeyId }),
});
