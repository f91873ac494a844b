// OutsideAllowed: a call by a principal not in the allowed set, from an address outside the
// allowed ranges, or at an hour (UTC) outside the allowed span. One alert per principal, address
// and kind of violation within DedupeSeconds.

import { cidrContains, parseCidr, parseIp, type Cidr } from '../../policy/ip-address.ts';
import { compileWildcard, type WildcardMatcher } from '../../policy/wildcard.ts';
import type { OutsideAllowedParameters } from '../alert-rule.ts';
import { LruMap } from '../lru-map.ts';
import type { MonitoredEvent } from '../monitored-event.ts';
import { isNumber, pairsOf, subjectLine, type AlertDraft, type RuleEvaluator } from './evaluator.ts';

const SEP = '\u0000';

export class OutsideAllowedEvaluator implements RuleEvaluator {
  readonly #p: OutsideAllowedParameters;
  readonly #principals: readonly WildcardMatcher[] | undefined;
  readonly #principalPattern: RegExp | undefined;
  readonly #cidrs: readonly Cidr[] | undefined;
  /** violation, principal, address → last alert (epoch ms). */
  readonly #alerted: LruMap<string, number>;

  constructor(p: OutsideAllowedParameters) {
    this.#p = p;
    this.#principals = p.AllowedPrincipals?.map((a) => compileWildcard(a));
    this.#principalPattern = p.AllowedPrincipalPattern === undefined ? undefined : new RegExp(p.AllowedPrincipalPattern, 'u');
    this.#cidrs = p.AllowedSourceCidrs?.map((c) => parseCidr(c)).filter((c): c is Cidr => c !== undefined);
    this.#alerted = new LruMap(p.MaxEntries);
  }

  get entries(): number {
    return this.#alerted.size;
  }

  get evictions(): number {
    return this.#alerted.evictions;
  }

  evaluate(ev: MonitoredEvent): AlertDraft | undefined {
    const violations: string[] = [];
    if (this.#principals || this.#principalPattern) {
      const ok = (this.#principals?.some((m) => m.test(ev.principal)) ?? false) || (this.#principalPattern?.test(ev.principal) ?? false);
      if (!ok) violations.push('principal');
    }
    if (this.#cidrs) {
      const ip = parseIp(ev.sourceIp);
      if (!ip || !this.#cidrs.some((c) => cidrContains(c, ip))) violations.push('sourceIp');
    }
    const hours = this.#p.AllowedHoursUtc;
    let hour: number | undefined;
    if (hours) {
      hour = new Date(ev.time).getUTCHours();
      const inside = hours.Start < hours.End ? hour >= hours.Start && hour < hours.End : hour >= hours.Start || hour < hours.End;
      if (!inside) violations.push('hours');
    }
    if (violations.length === 0) return undefined;
    const id = violations.join(',') + SEP + ev.principal + SEP + ev.sourceIp;
    const last = this.#alerted.get(id);
    if (last !== undefined && ev.time - last < this.#p.DedupeSeconds * 1000) return undefined;
    this.#alerted.set(id, ev.time);
    const parts = violations.map((v) => (v === 'principal' ? `principal ${ev.principal} is not allowed` : v === 'sourceIp' ? `source ${ev.sourceIp} is outside the allowed ranges` : `hour ${hour} UTC is outside the allowed hours`));
    return {
      time: ev.time,
      summary: `${ev.eventName} outside the allowed set: ${parts.join('; ')}`,
      subject: subjectLine(ev),
      evidence: { eventIds: [ev.eventId], count: 1, details: { violations, eventName: ev.eventName, ...(hour !== undefined ? { hourUtc: hour } : {}) } },
    };
  }

  snapshot(): unknown {
    return [...this.#alerted.entries()];
  }

  restore(state: unknown): void {
    for (const [k, v] of pairsOf(state, isNumber)) this.#alerted.set(k, v);
  }
}
