// A rule made ready to run: its Match filter compiled, its kind's evaluator built, its hourly
// alert limit, and a fingerprint of its definition (learned state is kept only for the same one).

import { createHash } from 'node:crypto';
import { compileWildcard } from '../policy/wildcard.ts';
import type { AlertRuleDocument, EventMatch, StoredAlertRule } from './alert-rule.ts';
import type { MonitoredEvent } from './monitored-event.ts';
import type { AlertDraft, RuleEvaluator } from './rules/evaluator.ts';
import { FirstUseEvaluator } from './rules/first-use.ts';
import { RateSpikeEvaluator } from './rules/rate-spike.ts';
import { FailureBurstEvaluator } from './rules/failure-burst.ts';
import { OutsideAllowedEvaluator } from './rules/outside-allowed.ts';
import { KeyStateUseEvaluator } from './rules/key-state-use.ts';
import { ConfigChangeEvaluator } from './rules/config-change.ts';

const HOUR_MS = 3_600_000;

/** Canonical JSON (sorted members) so the same definition always hashes the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** What the learned state depends on: the kind, the filter and the parameters (not the name, severity or webhooks). */
export const ruleFingerprint = (d: AlertRuleDocument): string =>
  createHash('sha256').update(canonical({ Kind: d.Kind, Match: d.Match, Parameters: d.Parameters })).digest('hex').slice(0, 32);

export function compileMatch(m: EventMatch): (ev: MonitoredEvent) => boolean {
  const names = m.EventNames ? new Set(m.EventNames) : undefined;
  const keys = m.KeyArns?.map((p) => compileWildcard(p));
  const principals = m.PrincipalArns?.map((p) => compileWildcard(p));
  const pattern = m.PrincipalArnPattern === undefined ? undefined : new RegExp(m.PrincipalArnPattern, 'u');
  return (ev) =>
    (names === undefined || names.has(ev.eventName)) &&
    (keys === undefined || (ev.keyArn !== undefined && keys.some((k) => k.test(ev.keyArn as string)))) &&
    (principals === undefined || principals.some((p) => p.test(ev.principal))) &&
    (pattern === undefined || pattern.test(ev.principal));
}

export function buildEvaluator(d: AlertRuleDocument, createdAt: number): RuleEvaluator {
  switch (d.Kind) {
    case 'FirstUse':
      return new FirstUseEvaluator(d.Parameters, createdAt);
    case 'RateSpike':
      return new RateSpikeEvaluator(d.Parameters);
    case 'FailureBurst':
      return new FailureBurstEvaluator(d.Parameters);
    case 'OutsideAllowed':
      return new OutsideAllowedEvaluator(d.Parameters);
    case 'KeyStateUse':
      return new KeyStateUseEvaluator(d.Parameters);
    case 'ConfigChange':
      return new ConfigChangeEvaluator(d.Parameters);
  }
}

export type LimitedDraft = AlertDraft & { readonly suppressedBefore: number };

export class CompiledRule {
  readonly rule: StoredAlertRule;
  readonly fingerprint: string;
  readonly evaluator: RuleEvaluator;
  readonly #match: (ev: MonitoredEvent) => boolean;
  #hour = -1;
  #raisedThisHour = 0;
  #suppressed = 0;
  /** Learned state changed since the last save. */
  dirty = false;

  constructor(rule: StoredAlertRule) {
    this.rule = rule;
    this.fingerprint = ruleFingerprint(rule.document);
    this.evaluator = buildEvaluator(rule.document, rule.createdAt);
    this.#match = compileMatch(rule.document.Match);
  }

  get key(): string {
    return ruleKey(this.rule.accountId, this.rule.document.RuleName);
  }

  /**
   * Runs the rule on one event. Returns the alert to raise, `'suppressed'` when the rule's hourly
   * limit held one back, or undefined.
   */
  evaluate(ev: MonitoredEvent): LimitedDraft | 'suppressed' | undefined {
    if (!this.rule.document.Enabled || !this.#match(ev)) return undefined;
    const draft = this.evaluator.evaluate(ev);
    if (this.evaluator.entries > 0) this.dirty = true;
    if (!draft) return undefined;
    const hour = Math.floor(ev.time / HOUR_MS);
    if (hour !== this.#hour) {
      this.#hour = hour;
      this.#raisedThisHour = 0;
    }
    if (this.#raisedThisHour >= this.rule.document.MaxAlertsPerHour) {
      this.#suppressed++;
      return 'suppressed';
    }
    this.#raisedThisHour++;
    const suppressedBefore = this.#suppressed;
    this.#suppressed = 0;
    return { ...draft, suppressedBefore };
  }
}

export const ruleKey = (accountId: string, name: string): string => `${accountId}/${name}`;
