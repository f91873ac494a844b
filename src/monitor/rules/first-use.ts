// FirstUse: a context value never seen before for a context key on a key (and, with PerPrincipal,
// for that principal). During the learning period after the rule was created, values are learned
// without alerting. Successful calls only: a failed Decrypt with a made-up context proves nothing
// was used (FailureBurst watches those).

import type { FirstUseParameters } from '../alert-rule.ts';
import { LruMap } from '../lru-map.ts';
import type { MonitoredEvent } from '../monitored-event.ts';
import { isNumber, pairsOf, subjectLine, type AlertDraft, type RuleEvaluator } from './evaluator.ts';

const SEP = '\u0000';

export class FirstUseEvaluator implements RuleEvaluator {
  readonly #p: FirstUseParameters;
  readonly #learnUntil: number;
  readonly #keys: ReadonlySet<string> | undefined;
  /** key ARN, context key, value [, principal] → last seen (epoch ms). */
  readonly #seen: LruMap<string, number>;

  constructor(p: FirstUseParameters, ruleCreatedAt: number) {
    this.#p = p;
    this.#learnUntil = ruleCreatedAt + p.LearningPeriodSeconds * 1000;
    this.#keys = p.ContextKeys.length > 0 ? new Set(p.ContextKeys) : undefined;
    this.#seen = new LruMap(p.MaxEntries);
  }

  get entries(): number {
    return this.#seen.size;
  }

  get evictions(): number {
    return this.#seen.evictions;
  }

  evaluate(ev: MonitoredEvent): AlertDraft | undefined {
    if (ev.errorCode !== undefined || ev.uses.length === 0) return undefined;
    const learning = ev.time < this.#learnUntil;
    const fresh: string[] = [];
    let freshKey: string | undefined;
    for (const use of ev.uses) {
      for (const [k, v] of Object.entries(use.context)) {
        if (this.#keys && !this.#keys.has(k)) continue;
        const id = this.#p.PerPrincipal ? use.keyArn + SEP + k + SEP + v + SEP + ev.principal : use.keyArn + SEP + k + SEP + v;
        const known = this.#seen.get(id) !== undefined;
        this.#seen.set(id, ev.time);
        if (!known && !learning) {
          fresh.push(`${k}=${v}`);
          freshKey ??= use.keyArn;
        }
      }
    }
    if (fresh.length === 0) return undefined;
    const keyArn = freshKey ?? ev.keyArn;
    const who = this.#p.PerPrincipal ? ` by ${ev.principal}` : '';
    return {
      time: ev.time,
      summary: `First use of encryption context ${fresh.join(', ')} on key ${keyArn}${who} (${ev.eventName})`,
      subject: { ...subjectLine(ev), ...(keyArn !== undefined ? { keyArn } : {}) },
      evidence: {
        eventIds: [ev.eventId],
        count: 1,
        details: { newContext: fresh, eventName: ev.eventName, perPrincipal: this.#p.PerPrincipal },
      },
    };
  }

  snapshot(): unknown {
    return [...this.#seen.entries()];
  }

  restore(state: unknown): void {
    for (const [k, v] of pairsOf(state, isNumber)) this.#seen.set(k, v);
  }
}
