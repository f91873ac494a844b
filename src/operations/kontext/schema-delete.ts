// Kontext.DeleteContextSchema: stops a schema applying (a tombstone version); its history stays
// readable with GetContextSchema and ListContextSchemas.

import { defineOperation } from '../operation.ts';
import { authorizeAccountAction } from '../kms/use-key.ts';
import { schemaNameField } from './schema-wire.ts';

export const deleteContextSchema = defineOperation({
  service: 'kontext',
  name: 'DeleteContextSchema',
  action: 'kontext:DeleteContextSchema',
  readOnly: false,
  input: { SchemaName: schemaNameField() },
  async handle(input, ctx) {
    await authorizeAccountAction(ctx, 'kontext:DeleteContextSchema');
    const v = await ctx.services.guardrails.registry.delete({ region: ctx.region, accountId: ctx.caller.accountId }, input.SchemaName, ctx.services.now());
    return { SchemaName: v.name, Version: v.version };
  },
  requestParameters: (i) => ({ schemaName: i.SchemaName }),
  responseElements: (o) => ({ schemaName: o.SchemaName, version: o.Version }),
});
