// Kontext.PutContextSchema: creates a context schema or stores the next version of it.

import { defineOperation } from '../operation.ts';
import { authorizeAccountAction } from '../kms/use-key.ts';
import { documentFromWire, schemaDocumentShape } from './schema-wire.ts';

export const putContextSchema = defineOperation({
  service: 'kontext',
  name: 'PutContextSchema',
  action: 'kontext:PutContextSchema',
  readOnly: false,
  input: schemaDocumentShape,
  async handle(input, ctx) {
    await authorizeAccountAction(ctx, 'kontext:PutContextSchema');
    const scope = { region: ctx.region, accountId: ctx.caller.accountId };
    const v = await ctx.services.guardrails.registry.put(scope, documentFromWire(input), ctx.services.now());
    return { SchemaName: v.name, Version: v.version, CreationDate: v.createdAt / 1000 };
  },
  requestParameters: (i) => ({ schemaName: i.SchemaName, mode: i.Mode, appliesTo: i.AppliesTo, fieldNames: (i.Fields ?? []).map((f) => f.Name) }),
  responseElements: (o) => ({ schemaName: o.SchemaName, version: o.Version }),
});
