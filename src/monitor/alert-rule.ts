// What an alert rule is: a kind, a filter on the audit events it watches, and the kind's
// parameters. The document is stored and listed in this normalized shape (defaults filled in),
// the same shape the rules file and Kontext.PutAlertRule take.

export const RULE_KINDS = ['FirstUse', 'RateSpike', 'FailureBurst', 'OutsideAllowed', 'KeyStateUse', 'ConfigChange'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Which events a rule looks at; every given member must match. */
export interface EventMatch {
  /** Exact CloudTrail event names (`Decrypt`). */
  readonly EventNames?: readonly string[];
  /** Key ARN wildcard patterns (`*` and `?`). */
  readonly KeyArns?: readonly string[];
  /** Principal ARN wildcard patterns. */
  readonly PrincipalArns?: readonly string[];
  /** A regular expression the principal ARN must match. */
  readonly PrincipalArnPattern?: string;
}

export interface FirstUseParameters {
  /** Context keys whose values are learned; empty: every key. */
  readonly ContextKeys: readonly string[];
  /** Learn values per principal too, so a value new to this principal alerts. */
  readonly PerPrincipal: boolean;
  /** Values seen within this long after the rule was created are learned without alerting. */
  readonly LearningPeriodSeconds: number;
  readonly MaxEntries: number;
}

export interface RateSpikeParameters {
  /** Split the rate by this context key's value as well as by key; absent: by key only. */
  readonly ContextKey?: string;
  readonly WindowSeconds: number;
  /** Alert when the window's count exceeds the baseline times this. */
  readonly Factor: number;
  /** ...and is at least this. */
  readonly MinCount: number;
  /** Windows of history a series needs before it can alert (its baseline's memory). */
  readonly BaselineWindows: number;
  readonly MaxEntries: number;
}

export const GROUP_BY = ['principal', 'sourceIp'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface FailureBurstParameters {
  /** CloudTrail error codes counted (AccessDeniedException is logged as AccessDenied). */
  readonly ErrorCodes: readonly string[];
  readonly GroupBy: GroupBy;
  readonly Threshold: number;
  readonly WindowSeconds: number;
  readonly MaxEntries: number;
}

export interface HoursUtc {
  /** First allowed hour, 0-23. */
  readonly Start: number;
  /** Hour the allowed span ends (exclusive), 1-24; less than Start wraps past midnight. */
  readonly End: number;
}

export interface OutsideAllowedParameters {
  readonly AllowedPrincipals?: readonly string[];
  readonly AllowedPrincipalPattern?: string;
  readonly AllowedSourceCidrs?: readonly string[];
  readonly AllowedHoursUtc?: HoursUtc;
  /** One alert per principal, source and violation within this long. */
  readonly DedupeSeconds: number;
  readonly MaxEntries: number;
}

export interface KeyStateUseParameters {
  readonly ErrorCodes: readonly string[];
  readonly DedupeSeconds: number;
  readonly MaxEntries: number;
}

export interface ConfigChangeParameters {
  readonly EventNames: readonly string[];
  /** Also alert on attempts that failed. */
  readonly IncludeFailed: boolean;
}

export interface ParametersByKind {
  FirstUse: FirstUseParameters;
  RateSpike: RateSpikeParameters;
  FailureBurst: FailureBurstParameters;
  OutsideAllowed: OutsideAllowedParameters;
  KeyStateUse: KeyStateUseParameters;
  ConfigChange: ConfigChangeParameters;
}

interface RuleCommon {
  readonly RuleName: string;
  readonly Description: string;
  readonly Enabled: boolean;
  readonly Severity: Severity;
  readonly Match: EventMatch;
  /** Webhook names to deliver to; absent: every configured webhook. */
  readonly Webhooks?: readonly string[];
  /** Alerts beyond this many in an hour are counted, not raised. */
  readonly MaxAlertsPerHour: number;
}

export type AlertRuleDocument = { [K in RuleKind]: RuleCommon & { readonly Kind: K; readonly Parameters: ParametersByKind[K] } }[RuleKind];

export type RuleSource = 'file' | 'api';

/** A rule as the engine holds it: the document, whose rule it is, and when it began. */
export interface StoredAlertRule {
  readonly accountId: string;
  readonly source: RuleSource;
  readonly document: AlertRuleDocument;
  /** Epoch ms the rule (this definition of it) was created: learning periods start here. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

export const DEFAULT_CONFIG_CHANGE_EVENTS = [
  'PutKeyPolicy',
  'CreateGrant',
  'RevokeGrant',
  'RetireGrant',
  'PutContextSchema',
  'DeleteContextSchema',
  'PutAlertRule',
  'DeleteAlertRule',
] as const;

export const DEFAULT_FAILURE_CODES = ['InvalidCiphertextException', 'AccessDenied'] as const;
export const DEFAULT_KEY_STATE_CODES = ['DisabledException', 'KMSInvalidStateException'] as const;
export const DEFAULT_MAX_ENTRIES = 10_000;
export const MAX_MAX_ENTRIES = 1_000_000;
export const DEFAULT_MAX_ALERTS_PER_HOUR = 60;

export const DEFAULT_SEVERITY: Readonly<Record<RuleKind, Severity>> = {
  FirstUse: 'medium',
  RateSpike: 'medium',
  FailureBurst: 'high',
  OutsideAllowed: 'high',
  KeyStateUse: 'medium',
  ConfigChange: 'low',
};
