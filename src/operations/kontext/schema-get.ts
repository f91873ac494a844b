// Kontext.GetContextSchema: the current version of a schema, or any earlier version by number.

import { defineOperation } from '../operation.ts';
import { int } from '../validate.ts';
import { authorizeAccountAction } from '../kms/use-key.ts';
import { schemaNameField, versionToWire } from './schema-wire.ts';

export const getContextSchema = defineOperation({
  service: 'kontext',
  name: 'GetContextSchema',
  action: 'kontext:GetContextSchema',
  readOnly: true,
  input: { SchemaName: schemaNameField(), Version: int({ min: 1 }) },
  async handle(input, ctx) {
    await authorizeAccountAction(ctx, 'kontext:GetContextSchema');
    const v = await ctx.services.guardrails.registry.get({ region: ctx.region, accountId: ctx.caller.accountId }, input.SchemaName, input.Version);
    return { Schema: versionToWire(v) };
  },
  requestParameters: (i) => ({ schemaName: i.SchemaName, ...(i.Version !== undefined ? { version: i.Version } : {}) }),
  responseElements: () => null,
});
