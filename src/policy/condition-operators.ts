// The condition operators as a table. Each entry says how one policy value is prepared and tested
// against one request value; the generic rules (missing keys, IfExists, set qualifiers, OR across
// values) live in condition.ts and never look at operator names.
// Semantics: IAM User Guide, "IAM JSON policy elements: Condition operators".

import { cidrContains, parseCidr, parseIp } from './ip-address.ts';
import { compileArnPattern } from './arn-pattern.ts';
import { partsToString } from './policy-template.ts';
import { compileWildcardParts, type StepMeter, type WildcardPart } from './wildcard.ts';

/** Tests one request value; `undefined` means the key is absent (only presence operators see that). */
export type ValueTest = (requestValue: string | undefined, meter?: StepMeter) => boolean;

export interface ConditionOperator {
  readonly name: string;
  /** Negated operators are true when no policy value matches (and when the key is absent). */
  readonly negated: boolean;
  /** Policy variables are substituted only for String and ARN operators. */
  readonly acceptsVariables: boolean;
  /** Null looks at whether the key is present, not at its value. */
  readonly testsPresence: boolean;
  /** Prepares one policy value, or returns undefined when it is not valid for this operator. */
  readonly prepare: (value: readonly WildcardPart[]) => ValueTest | undefined;
}

type Prepare = ConditionOperator['prepare'];

const stringEquals: Prepare = (parts) => {
  const expected = partsToString(parts);
  return (v) => v === expected;
};
const stringEqualsIgnoreCase: Prepare = (parts) => {
  const expected = partsToString(parts).toLowerCase();
  return (v) => v !== undefined && v.toLowerCase() === expected;
};
const stringLike: Prepare = (parts) => {
  const matcher = compileWildcardParts(parts);
  return (v, meter) => v !== undefined && matcher.test(v, meter);
};
const arnLike: Prepare = (parts) => {
  const matcher = compileArnPattern(parts);
  return (v, meter) => v !== undefined && matcher.test(v, meter);
};

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const parseNumber = (text: string): number | undefined => (NUMBER.test(text.trim()) ? Number(text) : undefined);
const numeric =
  (compare: (request: number, policy: number) => boolean): Prepare =>
  (parts) => {
    const policy = parseNumber(partsToString(parts));
    if (policy === undefined) return undefined;
    return (v) => {
      const request = v === undefined ? undefined : parseNumber(v);
      return request !== undefined && compare(request, policy);
    };
  };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** ISO 8601 (a missing zone means UTC) or epoch seconds, as aws:CurrentTime and aws:EpochTime. */
export function parseDate(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  if (!ISO_DATE.test(t)) return undefined;
  const zoned = t.length === 10 || /(Z|[+-]\d{2}:?\d{2})$/.test(t) ? t : `${t}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : ms;
}
const date =
  (compare: (request: number, policy: number) => boolean): Prepare =>
  (parts) => {
    const policy = parseDate(partsToString(parts));
    if (policy === undefined) return undefined;
    return (v) => {
      const request = v === undefined ? undefined : parseDate(v);
      return request !== undefined && compare(request, policy);
    };
  };

const bool: Prepare = (parts) => {
  const expected = partsToString(parts).toLowerCase();
  if (expected !== 'true' && expected !== 'false') return undefined;
  return (v) => v !== undefined && v.toLowerCase() === expected;
};

const ipAddress: Prepare = (parts) => {
  const cidr = parseCidr(partsToString(parts).trim());
  if (!cidr) return undefined;
  return (v) => {
    const address = v === undefined ? undefined : parseIp(v.trim());
    return address !== undefined && cidrContains(cidr, address);
  };
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const binaryEquals: Prepare = (parts) => {
  const text = partsToString(parts);
  if (!BASE64.test(text)) return undefined;
  const expected = Buffer.from(text, 'base64');
  return (v) => v !== undefined && BASE64.test(v) && Buffer.from(v, 'base64').equals(expected);
};

/** Null: true asks for an absent key, false for a present one. */
const nullCheck: Prepare = (parts) => {
  const text = partsToString(parts).toLowerCase();
  if (text !== 'true' && text !== 'false') return undefined;
  const wantAbsent = text === 'true';
  return (v) => (v === undefined) === wantAbsent;
};

interface Entry {
  readonly prepare: Prepare;
  readonly negated?: boolean;
  readonly variables?: boolean;
  readonly presence?: boolean;
}

const ENTRIES: Readonly<Record<string, Entry>> = {
  StringEquals: { prepare: stringEquals, variables: true },
  StringNotEquals: { prepare: stringEquals, negated: true, variables: true },
  StringEqualsIgnoreCase: { prepare: stringEqualsIgnoreCase, variables: true },
  StringNotEqualsIgnoreCase: { prepare: stringEqualsIgnoreCase, negated: true, variables: true },
  StringLike: { prepare: stringLike, variables: true },
  StringNotLike: { prepare: stringLike, negated: true, variables: true },
  // ArnEquals and ArnLike behave the same: both take wildcards per ARN component.
  ArnEquals: { prepare: arnLike, variables: true },
  ArnLike: { prepare: arnLike, variables: true },
  ArnNotEquals: { prepare: arnLike, negated: true, variables: true },
  ArnNotLike: { prepare: arnLike, negated: true, variables: true },
  NumericEquals: { prepare: numeric((r, p) => r === p) },
  NumericNotEquals: { prepare: numeric((r, p) => r === p), negated: true },
  NumericLessThan: { prepare: numeric((r, p) => r < p) },
  NumericLessThanEquals: { prepare: numeric((r, p) => r <= p) },
  NumericGreaterThan: { prepare: numeric((r, p) => r > p) },
  NumericGreaterThanEquals: { prepare: numeric((r, p) => r >= p) },
  DateEquals: { prepare: date((r, p) => r === p) },
  DateNotEquals: { prepare: date((r, p) => r === p), negated: true },
  DateLessThan: { prepare: date((r, p) => r < p) },
  DateLessThanEquals: { prepare: date((r, p) => r <= p) },
  DateGreaterThan: { prepare: date((r, p) => r > p) },
  DateGreaterThanEquals: { prepare: date((r, p) => r >= p) },
  Bool: { prepare: bool },
  BinaryEquals: { prepare: binaryEquals },
  IpAddress: { prepare: ipAddress },
  NotIpAddress: { prepare: ipAddress, negated: true },
  Null: { prepare: nullCheck, presence: true },
};

export const CONDITION_OPERATORS: ReadonlyMap<string, ConditionOperator> = new Map(
  Object.entries(ENTRIES).map(([name, e]) => [
    name.toLowerCase(),
    {
      name,
      negated: e.negated === true,
      acceptsVariables: e.variables === true,
      testsPresence: e.presence === true,
      prepare: e.prepare,
    },
  ]),
);

export type SetQualifier = 'ForAllValues' | 'ForAnyValue';

export interface ParsedOperator {
  readonly operator: ConditionOperator;
  readonly qualifier: SetQualifier | undefined;
  readonly ifExists: boolean;
  /** Canonical spelling, e.g. `ForAllValues:StringEqualsIfExists`. */
  readonly canonical: string;
}

/** `[ForAllValues:|ForAnyValue:]<Operator>[IfExists]`; undefined for an operator AWS does not know. */
export function parseOperatorName(text: string): ParsedOperator | undefined {
  const colon = text.indexOf(':');
  const prefix = colon < 0 ? '' : text.slice(0, colon).toLowerCase();
  let qualifier: SetQualifier | undefined;
  if (prefix === 'forallvalues') qualifier = 'ForAllValues';
  else if (prefix === 'foranyvalue') qualifier = 'ForAnyValue';
  else if (colon >= 0) return undefined;
  let base = (colon < 0 ? text : text.slice(colon + 1)).toLowerCase();
  const ifExists = base.endsWith('ifexists');
  if (ifExists) base = base.slice(0, -'ifexists'.length);
  const operator = CONDITION_OPERATORS.get(base);
  if (!operator) return undefined;
  const canonical = `${qualifier ? `${qualifier}:` : ''}${operator.name}${ifExists ? 'IfExists' : ''}`;
  return { operator, qualifier, ifExists, canonical };
}
