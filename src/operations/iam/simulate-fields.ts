// Shapes shared by the policy simulators (IAM SimulateCustomPolicy / SimulatePrincipalPolicy and
// Kontext.SimulatePolicy): ContextEntries as the IAM model has them, and their conversion into the
// condition-key values the evaluator reads.

import { str, struct, REQUIRED } from '../validate.ts';
import { queryList } from './fields.ts';

export const CONTEXT_KEY_TYPES = ['string', 'stringList', 'numeric', 'numericList', 'boolean', 'booleanList', 'ip', 'ipList', 'binary', 'binaryList', 'date', 'dateList'] as const;

export const contextEntriesField = () =>
  queryList(
    struct({
      ContextKeyName: str({ min: 5, max: 256 }, REQUIRED),
      ContextKeyValues: queryList(str()),
      ContextKeyType: str({ enum: CONTEXT_KEY_TYPES }),
    }),
  );

export const simulationPolicyListField = () => queryList(str({ min: 1, max: 131072, pattern: /^[\u0009\u000A\u000D\u0020-\u00FF]+$/ }));
export const actionNamesField = () => queryList(str({ min: 3, max: 128 }), {}, REQUIRED);
export const resourceArnsField = () => queryList(str({ min: 1, max: 2048 }));

export interface ContextEntryInput {
  readonly ContextKeyName: string;
  readonly ContextKeyValues?: string[];
  readonly ContextKeyType?: string;
}

/** Condition-key values: list types as lists, single types as one value (several given: a list). */
export function contextEntryValues(entries: readonly ContextEntryInput[] | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const e of entries ?? []) {
    const type = e.ContextKeyType ?? 'string';
    const values = (e.ContextKeyValues ?? []).map((v) => (type.startsWith('boolean') ? v.toLowerCase() : v));
    out[e.ContextKeyName] = type.endsWith('List') || values.length !== 1 ? values : (values[0] as string);
  }
  return out;
}
