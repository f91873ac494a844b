// ConfigChange: every change to a key policy, a grant, a context schema or an alert rule (the
// event names are configurable). Stateless; the rule's hourly limit bounds a flood.

import type { ConfigChangeParameters } from '../alert-rule.ts';
import type { MonitoredEvent } from '../monitored-event.ts';
import { subjectLine, type AlertDraft, type RuleEvaluator } from './evaluator.ts';

export class ConfigChangeEvaluator implements RuleEvaluator {
  readonly #p: ConfigChangeParameters;
  readonly #names: ReadonlySet<string>;

  constructor(p: ConfigChangeParameters) {
    this.#p = p;
    this.#names = new Set(p.EventNames);
  }

  readonly entries = 0;
  readonly evictions = 0;

  evaluate(ev: MonitoredEvent): AlertDraft | undefined {
    if (!this.#names.has(ev.eventName)) return undefined;
    if (ev.errorCode !== undefined && !this.#p.IncludeFailed) return undefined;
    const on = ev.keyArn !== undefined ? ` on key ${ev.keyArn}` : '';
    const outcome = ev.errorCode !== undefined ? ` (failed: ${ev.errorCode})` : '';
    return {
      time: ev.time,
      summary: `${ev.eventName}${on} by ${ev.principal}${outcome}`,
      subject: subjectLine(ev),
      evidence: { eventIds: [ev.eventId], count: 1, details: { eventName: ev.eventName, eventSource: ev.eventSource, ...(ev.errorCode !== undefined ? { errorCode: ev.errorCode } : {}) } },
    };
  }

  snapshot(): unknown {
    return undefined;
  }

  restore(): void {}
}
