// Kontext.ListContextSchemas: the current schemas of the account and region by name, or with
// SchemaName, every version of that schema (its history, deletions included).

import { KontextError } from '../../errors.ts';
import { defineOperation } from '../operation.ts';
import { str } from '../validate.ts';
import { authorizeAccountAction } from '../kms/use-key.ts';
import { limitField, markerField } from '../kms/fields.ts';
import { decodeMarker, pageOf } from '../kms/pagination.ts';
import { summaryToWire } from './schema-wire.ts';

export const listContextSchemas = defineOperation({
  service: 'kontext',
  name: 'ListContextSchemas',
  action: 'kontext:ListContextSchemas',
  readOnly: true,
  input: { SchemaName: str({ min: 1, max: 128, pattern: /^[A-Za-z0-9_.-]+$/ }), Limit: limitField(), Marker: markerField() },
  async handle(input, ctx) {
    await authorizeAccountAction(ctx, 'kontext:ListContextSchemas');
    const scope = { region: ctx.region, accountId: ctx.caller.accountId };
    const registry = ctx.services.guardrails.registry;
    const limit = input.Limit ?? 100;
    if (input.SchemaName === undefined) {
      const rows = await registry.listCurrent(scope, decodeMarker('schema', input.Marker), limit + 1);
      const page = pageOf(rows, limit, 'schema', (v) => v.name);
      return { Schemas: page.items.map(summaryToWire), ...(page.NextMarker ? { NextMarker: page.NextMarker } : {}), Truncated: page.Truncated };
    }
    const after = decodeMarker('schema-version', input.Marker);
    if (after !== undefined && !/^\d+$/.test(after)) throw new KontextError('InvalidMarkerException', 'The marker is not valid: use the NextMarker of a previous response');
    const rows = await registry.listVersions(scope, input.SchemaName, after === undefined ? undefined : Number(after), limit + 1);
    const page = pageOf(rows, limit, 'schema-version', (v) => String(v.version));
    return { Schemas: page.items.map(summaryToWire), ...(page.NextMarker ? { NextMarker: page.NextMarker } : {}), Truncated: page.Truncated };
  },
  requestParameters: (i) => ({
    ...(i.SchemaName !== undefined ? { schemaName: i.SchemaName } : {}),
    ...(i.Limit !== undefined ? { limit: i.Limit } : {}),
    ...(i.Marker !== undefined ? { marker: i.Marker } : {}),
  }),
  responseElements: () => null,
});
