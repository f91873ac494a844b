// What each rule kind implements: look at one event (already past the rule's Match filter) and
// maybe draft an alert; export and import its learned state; report its size. Time is the
// event's, never the wall clock, so replaying events gives the same alerts.

import type { AlertEvidence, AlertSubject } from '../alert-record.ts';
import type { MonitoredEvent } from '../monitored-event.ts';

export interface AlertDraft {
  readonly time: number;
  readonly summary: string;
  readonly subject: AlertSubject;
  readonly evidence: AlertEvidence;
}

export interface RuleEvaluator {
  evaluate(ev: MonitoredEvent): AlertDraft | undefined;
  /** JSON-safe learned state, or undefined for a kind that learns nothing. */
  snapshot(): unknown;
  /** Loads what `snapshot` returned (from a save of the same rule definition); bad input is ignored. */
  restore(state: unknown): void;
  /** Entries held now (bounded by the rule's MaxEntries). */
  readonly entries: number;
  /** Entries evicted to stay within the bound, since the evaluator was made. */
  readonly evictions: number;
}

/** Snapshots are lists of [key, value] pairs, least recently used first. */
export function pairsOf<V>(state: unknown, isValue: (v: unknown) => v is V): Array<[string, V]> {
  if (!Array.isArray(state)) return [];
  const out: Array<[string, V]> = [];
  for (const item of state) {
    if (Array.isArray(item) && item.length === 2 && typeof item[0] === 'string' && isValue(item[1])) out.push([item[0], item[1]]);
  }
  return out;
}

export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Who and what an event was about, as an alert names it. */
export function subjectLine(ev: MonitoredEvent): AlertSubject {
  return {
    ...(ev.keyArn !== undefined ? { keyArn: ev.keyArn } : {}),
    principal: ev.principal,
    sourceIp: ev.sourceIp,
  };
}
