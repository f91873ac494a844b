// CreateAlias, UpdateAlias, DeleteAlias, ListAliases. Aliases are regional and belong to an
// account; `alias/aws/` is reserved for AWS managed keys.

import { KontextError } from '../../errors.ts';
import { aliasArn } from '../../keys/key-record.ts';
import { parseKeyRef } from '../../keys/key-ref.ts';
import { StoreConflict } from '../../store/store.ts';
import type { KeyRecord } from '../../keys/key-record.ts';
import { defineOperation, type OperationContext } from '../operation.ts';
import { aliasNameField, keyIdField, limitField, markerField, optionalKeyIdField } from './fields.ts';
import { epochSeconds } from './key-metadata.ts';
import { decodeMarker, pageOf } from './pagination.ts';
import { authorizeAccountAction, authorizeKey } from './use-key.ts';

export const MAX_ALIASES_PER_KEY = 50;

function checkAliasName(name: string): void {
  if (!name.startsWith('alias/') || name.length <= 6) {
    throw new KontextError('ValidationException', `Alias must start with the prefix "alias/": '${name}'`);
  }
  if (name.startsWith('alias/aws/')) {
    throw new KontextError('InvalidAliasNameException', `Alias names beginning with 'alias/aws/' are reserved for AWS managed keys: '${name}'`);
  }
}

/** Targets of aliases are keys named by id or key ARN, never another alias. */
async function targetKey(ctx: OperationContext, keyIdParam: string, action: string): Promise<KeyRecord> {
  const ref = parseKeyRef(keyIdParam);
  if (ref.kind !== 'key') throw new KontextError('ValidationException', `An alias must point to a key id or key ARN, not an alias: '${keyIdParam}'`);
  const { key } = await ctx.services.keys.resolve({ region: ctx.region, accountId: ctx.caller.accountId }, keyIdParam);
  await authorizeKey(ctx, key, action, { state: 'notPendingDeletion' });
  return key;
}

async function checkAliasLimit(ctx: OperationContext, key: KeyRecord): Promise<void> {
  const existing = await ctx.services.store.aliases.list(key.region, key.accountId, key.keyId, { limit: MAX_ALIASES_PER_KEY, after: undefined });
  if (existing.length >= MAX_ALIASES_PER_KEY) throw new KontextError('LimitExceededException', `A KMS key can have at most ${MAX_ALIASES_PER_KEY} aliases`);
}

export const createAlias = defineOperation({
  service: 'kms',
  name: 'CreateAlias',
  action: 'kms:CreateAlias',
  readOnly: false,
  input: { AliasName: aliasNameField(), TargetKeyId: keyIdField() },
  async handle(input, ctx) {
    checkAliasName(input.AliasName);
    const arn = aliasArn(ctx.region, ctx.caller.accountId, input.AliasName);
    await authorizeAccountAction(ctx, 'kms:CreateAlias', undefined, arn);
    const key = await targetKey(ctx, input.TargetKeyId, 'kms:CreateAlias');
    await checkAliasLimit(ctx, key);
    const now = ctx.services.now();
    try {
      await ctx.services.store.aliases.create({ aliasName: input.AliasName, accountId: ctx.caller.accountId, region: ctx.region, targetKeyId: key.keyId, creationDate: now, lastUpdatedDate: now });
    } catch (err) {
      if (err instanceof StoreConflict) throw new KontextError('AlreadyExistsException', `An alias with the name ${arn} already exists`);
      throw err;
    }
    return {};
  },
  requestParameters: (i) => ({ aliasName: i.AliasName, targetKeyId: i.TargetKeyId }),
  responseElements: () => null,
});

export const updateAlias = defineOperation({
  service: 'kms',
  name: 'UpdateAlias',
  action: 'kms:UpdateAlias',
  readOnly: false,
  input: { AliasName: aliasNameField(), TargetKeyId: keyIdField() },
  async handle(input, ctx) {
    checkAliasName(input.AliasName);
    const alias = await ctx.services.store.aliases.get(ctx.region, ctx.caller.accountId, input.AliasName);
    if (!alias) throw new KontextError('NotFoundException', `Alias ${aliasArn(ctx.region, ctx.caller.accountId, input.AliasName)} is not found.`);
    await authorizeAccountAction(ctx, 'kms:UpdateAlias', undefined, aliasArn(ctx.region, ctx.caller.accountId, input.AliasName));
    const current = await ctx.services.keys.getById(ctx.region, ctx.caller.accountId, alias.targetKeyId);
    await authorizeKey(ctx, current, 'kms:UpdateAlias', { state: 'any' });
    const next = await targetKey(ctx, input.TargetKeyId, 'kms:UpdateAlias');
    if (next.keyId !== current.keyId) await checkAliasLimit(ctx, next);
    await ctx.services.store.aliases.put({ ...alias, targetKeyId: next.keyId, lastUpdatedDate: ctx.services.now() });
    return {};
  },
  requestParameters: (i) => ({ aliasName: i.AliasName, targetKeyId: i.TargetKeyId }),
  responseElements: () => null,
});

export const deleteAlias = defineOperation({
  service: 'kms',
  name: 'DeleteAlias',
  action: 'kms:DeleteAlias',
  readOnly: false,
  input: { AliasName: aliasNameField() },
  async handle(input, ctx) {
    checkAliasName(input.AliasName);
    const alias = await ctx.services.store.aliases.get(ctx.region, ctx.caller.accountId, input.AliasName);
    if (!alias) throw new KontextError('NotFoundException', `Alias ${aliasArn(ctx.region, ctx.caller.accountId, input.AliasName)} is not found.`);
    await authorizeAccountAction(ctx, 'kms:DeleteAlias', undefined, aliasArn(ctx.region, ctx.caller.accountId, input.AliasName));
    const key = await ctx.services.keys.getById(ctx.region, ctx.caller.accountId, alias.targetKeyId);
    await authorizeKey(ctx, key, 'kms:DeleteAlias', { state: 'any' });
    await ctx.services.store.aliases.delete(ctx.region, ctx.caller.accountId, input.AliasName);
    return {};
  },
  requestParameters: (i) => ({ aliasName: i.AliasName }),
  responseElements: () => null,
});

export const listAliases = defineOperation({
  service: 'kms',
  name: 'ListAliases',
  action: 'kms:ListAliases',
  readOnly: true,
  input: { KeyId: optionalKeyIdField(), Limit: limitField(), Marker: markerField() },
  async handle(input, ctx) {
    await authorizeAccountAction(ctx, 'kms:ListAliases');
    let keyId: string | undefined;
    if (input.KeyId !== undefined) {
      const ref = parseKeyRef(input.KeyId);
      if (ref.kind !== 'key') throw new KontextError('InvalidArnException', `KeyId must be a key id or key ARN: '${input.KeyId}'`);
      keyId = (await ctx.services.keys.resolve({ region: ctx.region, accountId: ctx.caller.accountId }, input.KeyId)).key.keyId;
    }
    const limit = input.Limit ?? 100;
    const after = decodeMarker('alias', input.Marker);
    const rows = await ctx.services.store.aliases.list(ctx.region, ctx.caller.accountId, keyId, { limit: limit + 1, after });
    const page = pageOf(rows, limit, 'alias', (a) => a.aliasName);
    return {
      Aliases: page.items.map((a) => ({
        AliasName: a.aliasName,
        AliasArn: aliasArn(a.region, a.accountId, a.aliasName),
        TargetKeyId: a.targetKeyId,
        CreationDate: epochSeconds(a.creationDate),
        LastUpdatedDate: epochSeconds(a.lastUpdatedDate),
      })),
      ...(page.NextMarker ? { NextMarker: page.NextMarker } : {}),
      Truncated: page.Truncated,
    };
  },
  requestParameters: (i) => ({ ...(i.KeyId !== undefined ? { keyId: i.KeyId } : {}), ...(i.Limit !== undefined ? { limit: i.Limit } : {}) }),
  responseElements: () => null,
});
