// KeyStateUse: a call refused because its key is disabled or pending deletion (DisabledException,
// KMSInvalidStateException) — something still depends on a key someone meant to retire. One
// alert per key, principal and error within DedupeSeconds.

import type { KeyStateUseParameters } from '../alert-rule.ts';
import { LruMap } from '../lru-map.ts';
import type { MonitoredEvent } from '../monitored-event.ts';
import { isNumber, pairsOf, subjectLine, type AlertDraft, type RuleEvaluator } from './evaluator.ts';

const SEP = '\u0000';

export class KeyStateUseEvaluator implements RuleEvaluator {
  readonly #p: KeyStateUseParameters;
  readonly #codes: ReadonlySet<string>;
  readonly #alerted: LruMap<string, number>;

  constructor(p: KeyStateUseParameters) {
    this.#p = p;
    this.#codes = new Set(p.ErrorCodes);
    this.#alerted = new LruMap(p.MaxEntries);
  }

  get entries(): number {
    return this.#alerted.size;
  }

  get evictions(): number {
    return this.#alerted.evictions;
  }

  evaluate(ev: MonitoredEvent): AlertDraft | undefined {
    if (ev.errorCode === undefined || !this.#codes.has(ev.errorCode)) return undefined;
    const id = (ev.keyArn ?? '') + SEP + ev.principal + SEP + ev.errorCode;
    const last = this.#alerted.get(id);
    if (last !== undefined && ev.time - last < this.#p.DedupeSeconds * 1000) return undefined;
    this.#alerted.set(id, ev.time);
    return {
      time: ev.time,
      summary: `${ev.eventName} of key ${ev.keyArn ?? '(unknown)'} by ${ev.principal} refused with ${ev.errorCode}: the key is disabled or pending deletion`,
      subject: subjectLine(ev),
      evidence: { eventIds: [ev.eventId], count: 1, details: { errorCode: ev.errorCode, eventName: ev.eventName } },
    };
  }

  snapshot(): unknown {
    return [...this.#alerted.entries()];
  }

  restore(state: unknown): void {
    for (const [k, v] of pairsOf(state, isNumber)) this.#alerted.set(k, v);
  }
}
