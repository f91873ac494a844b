// Schema documents for the unit tests.

import type { ContextSchemaDocument } from './schema-document.ts';

export const KEY_A = '11111111-2222-3333-4444-555555555555';
export const KEY_B = '66666666-7777-8888-9999-000000000000';

export function schemaDoc(over: Partial<ContextSchemaDocument> = {}): ContextSchemaDocument {
  return {
    name: 'payments',
    description: '',
    mode: 'enforce',
    appliesTo: { keyIds: [], aliasPatterns: ['alias/payments-*'], tags: [] },
    fields: [
      { name: 'customer_id', required: true, pattern: '^cust_[0-9]+$' },
      { name: 'department', required: false, enum: ['finance', 'hr'] },
      { name: 'note', required: false, maxLength: 10 },
    ],
    allowOtherKeys: false,
    ...over,
  };
}
