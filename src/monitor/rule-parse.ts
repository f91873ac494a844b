// Validates an alert rule document (from Kontext.PutAlertRule or the rules file) and fills in its
// defaults. Problems come back as data, each naming its field; nothing here throws.

import { parseCidr } from '../policy/ip-address.ts';
import {
  DEFAULT_CONFIG_CHANGE_EVENTS,
  DEFAULT_FAILURE_CODES,
  DEFAULT_KEY_STATE_CODES,
  DEFAULT_MAX_ALERTS_PER_HOUR,
  DEFAULT_MAX_ENTRIES,
  DEFAULT_SEVERITY,
  GROUP_BY,
  MAX_MAX_ENTRIES,
  RULE_KINDS,
  SEVERITIES,
  type AlertRuleDocument,
  type EventMatch,
  type GroupBy,
  type HoursUtc,
  type ParametersByKind,
  type RuleKind,
} from './alert-rule.ts';
import { DocReader, memberPath, type DocIssue, type Obj } from './doc-reader.ts';

export const RULE_NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;
const MAX_WINDOW_SECONDS = 30 * 86_400;
const MAX_REGEX_LENGTH = 512;
const NAME_ITEM = { min: 1, max: 256 };
const ARN_ITEM = { min: 1, max: 2048 };

export type RuleParseResult = { readonly rule: AlertRuleDocument; readonly issues?: undefined } | { readonly rule?: undefined; readonly issues: readonly DocIssue[] };

const COMMON_MEMBERS = ['RuleName', 'Kind', 'Description', 'Enabled', 'Severity', 'Match', 'Parameters', 'Webhooks', 'MaxAlertsPerHour'];

export function parseAlertRule(input: unknown): RuleParseResult {
  const r = new DocReader();
  const o = r.object(input, '');
  if (!o) return { issues: r.issues };
  r.onlyMembers(o, '', COMMON_MEMBERS);
  const RuleName = r.string(o, 'RuleName', '', { required: true, min: 1, max: 128, pattern: RULE_NAME_PATTERN });
  const kindText = r.string(o, 'Kind', '', { required: true, oneOf: RULE_KINDS });
  const Description = r.string(o, 'Description', '', { max: 1024 }) ?? '';
  const Enabled = r.boolean(o, 'Enabled', '', true);
  const Match = readMatch(r, o['Match']);
  const Webhooks = r.stringList(o, 'Webhooks', '', { max: 20, item: { min: 1, max: 64, pattern: RULE_NAME_PATTERN } });
  const MaxAlertsPerHour = r.number(o, 'MaxAlertsPerHour', '', DEFAULT_MAX_ALERTS_PER_HOUR, { integer: true, min: 1, max: 100_000 });
  if (!(RULE_KINDS as readonly string[]).includes(kindText)) return { issues: r.issues };
  const Kind = kindText as RuleKind;
  const Severity = (r.string(o, 'Severity', '', { oneOf: SEVERITIES }) ?? DEFAULT_SEVERITY[Kind]) as AlertRuleDocument['Severity'];
  const params = o['Parameters'] ?? {};
  const p = r.object(params, 'parameters');
  const Parameters = p ? PARAMETER_READERS[Kind](r, p) : undefined;
  if (r.issues.length > 0 || !Parameters) return { issues: r.issues };
  const rule = {
    RuleName,
    Kind,
    Description,
    Enabled,
    Severity,
    Match,
    ...(Webhooks ? { Webhooks } : {}),
    MaxAlertsPerHour,
    Parameters,
  } as AlertRuleDocument;
  return { rule };
}

function readMatch(r: DocReader, v: unknown): EventMatch {
  if (v === undefined || v === null) return {};
  const o = r.object(v, 'match');
  if (!o) return {};
  r.onlyMembers(o, 'match', ['EventNames', 'KeyArns', 'PrincipalArns', 'PrincipalArnPattern']);
  const EventNames = r.stringList(o, 'EventNames', 'match', { min: 1, max: 100, item: NAME_ITEM });
  const KeyArns = r.stringList(o, 'KeyArns', 'match', { min: 1, max: 100, item: ARN_ITEM });
  const PrincipalArns = r.stringList(o, 'PrincipalArns', 'match', { min: 1, max: 100, item: ARN_ITEM });
  const PrincipalArnPattern = readRegex(r, o, 'PrincipalArnPattern', 'match');
  return {
    ...(EventNames ? { EventNames } : {}),
    ...(KeyArns ? { KeyArns } : {}),
    ...(PrincipalArns ? { PrincipalArns } : {}),
    ...(PrincipalArnPattern !== undefined ? { PrincipalArnPattern } : {}),
  };
}

function readRegex(r: DocReader, o: Obj, name: string, path: string): string | undefined {
  const v = r.string(o, name, path, { min: 1, max: MAX_REGEX_LENGTH });
  if (v === undefined) return undefined;
  try {
    new RegExp(v, 'u');
  } catch (err) {
    r.issue('invalid_value', memberPath(path, name), `Member must be a valid regular expression: ${(err as Error).message}`);
  }
  return v;
}

const P = 'parameters';
const windowSeconds = (r: DocReader, o: Obj, fallback: number) => r.number(o, 'WindowSeconds', P, fallback, { above: 0, max: MAX_WINDOW_SECONDS });
const maxEntries = (r: DocReader, o: Obj) => r.number(o, 'MaxEntries', P, DEFAULT_MAX_ENTRIES, { integer: true, min: 1, max: MAX_MAX_ENTRIES });
const dedupeSeconds = (r: DocReader, o: Obj) => r.number(o, 'DedupeSeconds', P, 300, { min: 0, max: MAX_WINDOW_SECONDS });

type ParameterReader<K extends RuleKind> = (r: DocReader, o: Obj) => ParametersByKind[K];

const PARAMETER_READERS: { readonly [K in RuleKind]: ParameterReader<K> } = {
  FirstUse(r, o) {
    r.onlyMembers(o, P, ['ContextKeys', 'PerPrincipal', 'LearningPeriodSeconds', 'MaxEntries']);
    return {
      ContextKeys: r.stringList(o, 'ContextKeys', P, { max: 50, item: { min: 1, max: 2048 } }) ?? [],
      PerPrincipal: r.boolean(o, 'PerPrincipal', P, false),
      LearningPeriodSeconds: r.number(o, 'LearningPeriodSeconds', P, 86_400, { min: 0, max: 365 * 86_400 }),
      MaxEntries: maxEntries(r, o),
    };
  },
  RateSpike(r, o) {
    r.onlyMembers(o, P, ['ContextKey', 'WindowSeconds', 'Factor', 'MinCount', 'BaselineWindows', 'MaxEntries']);
    const ContextKey = r.string(o, 'ContextKey', P, { min: 1, max: 2048 });
    return {
      ...(ContextKey !== undefined ? { ContextKey } : {}),
      WindowSeconds: windowSeconds(r, o, 300),
      Factor: r.number(o, 'Factor', P, 5, { above: 1, max: 1_000_000 }),
      MinCount: r.number(o, 'MinCount', P, 20, { integer: true, min: 1, max: 100_000_000 }),
      BaselineWindows: r.number(o, 'BaselineWindows', P, 12, { integer: true, min: 1, max: 10_000 }),
      MaxEntries: maxEntries(r, o),
    };
  },
  FailureBurst(r, o) {
    r.onlyMembers(o, P, ['ErrorCodes', 'GroupBy', 'Threshold', 'WindowSeconds', 'MaxEntries']);
    return {
      ErrorCodes: r.stringList(o, 'ErrorCodes', P, { min: 1, max: 50, item: NAME_ITEM }) ?? [...DEFAULT_FAILURE_CODES],
      GroupBy: (r.string(o, 'GroupBy', P, { oneOf: GROUP_BY }) ?? 'principal') as GroupBy,
      Threshold: r.number(o, 'Threshold', P, 10, { integer: true, min: 1, max: 1_000_000 }),
      WindowSeconds: windowSeconds(r, o, 60),
      MaxEntries: maxEntries(r, o),
    };
  },
  OutsideAllowed(r, o) {
    r.onlyMembers(o, P, ['AllowedPrincipals', 'AllowedPrincipalPattern', 'AllowedSourceCidrs', 'AllowedHoursUtc', 'DedupeSeconds', 'MaxEntries']);
    const AllowedPrincipals = r.stringList(o, 'AllowedPrincipals', P, { min: 1, max: 100, item: ARN_ITEM });
    const AllowedPrincipalPattern = readRegex(r, o, 'AllowedPrincipalPattern', P);
    const AllowedSourceCidrs = r.stringList(o, 'AllowedSourceCidrs', P, { min: 1, max: 100, item: { min: 1, max: 64 } });
    AllowedSourceCidrs?.forEach((c, i) => {
      if (!parseCidr(c)) r.issue('invalid_value', `${memberPath(P, 'AllowedSourceCidrs')}.${i + 1}.member`, `Member must be an IPv4 or IPv6 address or CIDR range: '${c}'`);
    });
    const AllowedHoursUtc = readHours(r, o['AllowedHoursUtc']);
    if (!AllowedPrincipals && AllowedPrincipalPattern === undefined && !AllowedSourceCidrs && !AllowedHoursUtc) {
      r.issue('required', P, 'Member must set at least one of AllowedPrincipals, AllowedPrincipalPattern, AllowedSourceCidrs, AllowedHoursUtc');
    }
    return {
      ...(AllowedPrincipals ? { AllowedPrincipals } : {}),
      ...(AllowedPrincipalPattern !== undefined ? { AllowedPrincipalPattern } : {}),
      ...(AllowedSourceCidrs ? { AllowedSourceCidrs } : {}),
      ...(AllowedHoursUtc ? { AllowedHoursUtc } : {}),
      DedupeSeconds: dedupeSeconds(r, o),
      MaxEntries: maxEntries(r, o),
    };
  },
  KeyStateUse(r, o) {
    r.onlyMembers(o, P, ['ErrorCodes', 'DedupeSeconds', 'MaxEntries']);
    return {
      ErrorCodes: r.stringList(o, 'ErrorCodes', P, { min: 1, max: 50, item: NAME_ITEM }) ?? [...DEFAULT_KEY_STATE_CODES],
      DedupeSeconds: dedupeSeconds(r, o),
      MaxEntries: maxEntries(r, o),
    };
  },
  ConfigChange(r, o) {
    r.onlyMembers(o, P, ['EventNames', 'IncludeFailed']);
    return {
      EventNames: r.stringList(o, 'EventNames', P, { min: 1, max: 100, item: NAME_ITEM }) ?? [...DEFAULT_CONFIG_CHANGE_EVENTS],
      IncludeFailed: r.boolean(o, 'IncludeFailed', P, false),
    };
  },
};

function readHours(r: DocReader, v: unknown): HoursUtc | undefined {
  if (v === undefined || v === null) return undefined;
  const path = memberPath(P, 'AllowedHoursUtc');
  const o = r.object(v, path);
  if (!o) return undefined;
  r.onlyMembers(o, path, ['Start', 'End']);
  const Start = r.optionalNumber(o, 'Start', path, { integer: true, min: 0, max: 23 });
  const End = r.optionalNumber(o, 'End', path, { integer: true, min: 1, max: 24 });
  if (Start === undefined) r.issue('required', memberPath(path, 'Start'), 'Member must not be null');
  if (End === undefined) r.issue('required', memberPath(path, 'End'), 'Member must not be null');
  if (Start === undefined || End === undefined) return undefined;
  if (Start === End % 24) r.issue('invalid_value', path, 'Member must allow some hours but not all: Start and End are the same hour');
  return { Start, End };
}
