// FailureBurst: Threshold or more failed calls (InvalidCiphertextException, AccessDenied, ...)
// from one principal or one source address within a sliding window — someone probing contexts or
// permissions. After an alert the group starts counting afresh and stays quiet for one window.

import { eventErrorCode } from '../../audit/cloudtrail-event.ts';
import { MAX_EVIDENCE_IDS } from '../alert-record.ts';
import type { FailureBurstParameters } from '../alert-rule.ts';
import { LruMap } from '../lru-map.ts';
import type { MonitoredEvent } from '../monitored-event.ts';
import { pairsOf, type AlertDraft, type RuleEvaluator } from './evaluator.ts';

interface Group {
  /** Times of the failures in the window, oldest first (at most Threshold). */
  t: number[];
  /** Their event ids, parallel to `t`. */
  ids: string[];
  quietUntil: number;
}

const isGroup = (v: unknown): v is Group => {
  if (typeof v !== 'object' || v === null) return false;
  const g = v as Partial<Group>;
  return Array.isArray(g.t) && Array.isArray(g.ids) && g.t.length === g.ids.length && typeof g.quietUntil === 'number';
};

export class FailureBurstEvaluator implements RuleEvaluator {
  readonly #p: FailureBurstParameters;
  readonly #codes: ReadonlySet<string>;
  readonly #windowMs: number;
  readonly #groups: LruMap<string, Group>;

  constructor(p: FailureBurstParameters) {
    this.#p = p;
    // Either spelling of AccessDenied matches: the audit trail logs KMS's AccessDeniedException as AccessDenied.
    this.#codes = new Set(p.ErrorCodes.map(eventErrorCode));
    this.#windowMs = p.WindowSeconds * 1000;
    this.#groups = new LruMap(p.MaxEntries);
  }

  get entries(): number {
    return this.#groups.size;
  }

  get evictions(): number {
    return this.#groups.evictions;
  }

  evaluate(ev: MonitoredEvent): AlertDraft | undefined {
    if (ev.errorCode === undefined || !this.#codes.has(ev.errorCode)) return undefined;
    const id = this.#p.GroupBy === 'principal' ? ev.principal : ev.sourceIp;
    let g = this.#groups.get(id);
    if (!g) {
      g = { t: [], ids: [], quietUntil: 0 };
      this.#groups.set(id, g);
    }
    const from = ev.time - this.#windowMs;
    while (g.t.length > 0 && (g.t[0] as number) <= from) {
      g.t.shift();
      g.ids.shift();
    }
    g.t.push(ev.time);
    g.ids.push(ev.eventId);
    if (g.t.length > this.#p.Threshold) {
      g.t.shift();
      g.ids.shift();
    }
    if (g.t.length < this.#p.Threshold || ev.time < g.quietUntil) return undefined;
    const first = g.t[0] as number;
    const ids = g.ids.slice(-MAX_EVIDENCE_IDS);
    const count = g.t.length;
    g.t = [];
    g.ids = [];
    g.quietUntil = ev.time + this.#windowMs;
    const who = this.#p.GroupBy === 'principal' ? `principal ${ev.principal}` : `source ${ev.sourceIp}`;
    return {
      time: ev.time,
      summary: `Failure burst from ${who}: ${count} failed calls (${[...this.#codes].join(', ')}) within ${this.#p.WindowSeconds}s`,
      subject: {
        ...(this.#p.GroupBy === 'principal' ? { principal: ev.principal } : { sourceIp: ev.sourceIp }),
        ...(ev.keyArn !== undefined ? { keyArn: ev.keyArn } : {}),
      },
      evidence: {
        eventIds: ids,
        count,
        windowStart: first,
        windowEnd: ev.time,
        details: { groupBy: this.#p.GroupBy, threshold: this.#p.Threshold, lastErrorCode: ev.errorCode, lastEventName: ev.eventName },
      },
    };
  }

  snapshot(): unknown {
    return [...this.#groups.entries()];
  }

  restore(state: unknown): void {
    for (const [k, g] of pairsOf(state, isGroup)) this.#groups.set(k, { t: [...g.t], ids: [...g.ids], quietUntil: g.quietUntil });
  }
}
