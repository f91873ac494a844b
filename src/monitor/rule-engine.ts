// Evaluates alert rules over the audit stream, off the request path: the audit trail hands over
// each committed batch (enqueue, O(1) per event, never blocking); a loop evaluates the queue in
// chunks, yielding to I/O between them. The queue is bounded: when it is full, new events are
// dropped and counted, so a flood costs bounded memory and the requests never wait.

import type { StoredAlertRule } from './alert-rule.ts';
import { CompiledRule, ruleKey, type LimitedDraft } from './compiled-rule.ts';
import type { CommittedAuditEvent } from '../audit/audit-sink.ts';
import { monitoredEvent, type MonitoredEvent } from './monitored-event.ts';
import type { RuleStateRow } from '../store/alert-repository.ts';

export interface RuleEngineOptions {
  readonly queueSize: number;
  /** Events evaluated before yielding to I/O. */
  readonly chunk?: number;
  readonly raise: (rule: StoredAlertRule, draft: LimitedDraft) => Promise<void>;
  readonly onSuppressed?: (rule: StoredAlertRule) => void;
  readonly onDropped?: (n: number) => void;
  readonly onEvaluated?: (n: number) => void;
  /** Sees every event read, before the rules (metrics counted from the audit stream). */
  readonly onEvent?: (ev: MonitoredEvent) => void;
  readonly log: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export class RuleEngine {
  readonly #o: RuleEngineOptions;
  readonly #byAccount = new Map<string, CompiledRule[]>();
  readonly #byKey = new Map<string, CompiledRule>();
  #queue: CommittedAuditEvent[] = [];
  #head = 0;
  #running: Promise<void> | undefined;
  #scheduled = false;
  #dropped = 0;
  #evictionsOfRemoved = 0;

  constructor(o: RuleEngineOptions) {
    this.#o = o;
  }

  /** Installs or replaces a rule; learned state is restored when it was learned under the same definition. */
  install(rule: StoredAlertRule, saved?: RuleStateRow): CompiledRule {
    const compiled = new CompiledRule(rule);
    if (saved && saved.fingerprint === compiled.fingerprint && saved.state !== null) {
      try {
        compiled.evaluator.restore(JSON.parse(saved.state));
      } catch (err) {
        this.#o.log.warn({ err, rule: rule.document.RuleName }, 'alert rule state could not be restored; learning afresh');
      }
    }
    this.#detach(compiled.key);
    this.#byKey.set(compiled.key, compiled);
    const list = this.#byAccount.get(rule.accountId) ?? [];
    list.push(compiled);
    this.#byAccount.set(rule.accountId, list);
    return compiled;
  }

  remove(accountId: string, name: string): boolean {
    return this.#detach(ruleKey(accountId, name));
  }

  #detach(key: string): boolean {
    const old = this.#byKey.get(key);
    if (!old) return false;
    this.#evictionsOfRemoved += old.evaluator.evictions;
    this.#byKey.delete(key);
    const list = (this.#byAccount.get(old.rule.accountId) ?? []).filter((r) => r !== old);
    if (list.length > 0) this.#byAccount.set(old.rule.accountId, list);
    else this.#byAccount.delete(old.rule.accountId);
    return true;
  }

  rule(accountId: string, name: string): CompiledRule | undefined {
    return this.#byKey.get(ruleKey(accountId, name));
  }

  /** The account's rules by name (every account's when none is given). */
  rules(accountId?: string): CompiledRule[] {
    const list = accountId === undefined ? [...this.#byKey.values()] : [...(this.#byAccount.get(accountId) ?? [])];
    return list.sort((a, b) => (a.rule.document.RuleName < b.rule.document.RuleName ? -1 : a.rule.document.RuleName > b.rule.document.RuleName ? 1 : 0));
  }

  get queueDepth(): number {
    return this.#queue.length - this.#head;
  }

  get dropped(): number {
    return this.#dropped;
  }

  get stateEntries(): number {
    let n = 0;
    for (const r of this.#byKey.values()) n += r.evaluator.entries;
    return n;
  }

  get stateEvictions(): number {
    let n = this.#evictionsOfRemoved;
    for (const r of this.#byKey.values()) n += r.evaluator.evictions;
    return n;
  }

  /** Called by the audit trail after a batch is durable. Never throws, never waits. */
  enqueue(events: readonly CommittedAuditEvent[]): void {
    const room = this.#o.queueSize - this.queueDepth;
    const take = Math.min(room, events.length);
    for (let i = 0; i < take; i++) this.#queue.push(events[i] as CommittedAuditEvent);
    if (take < events.length) {
      const n = events.length - take;
      this.#dropped += n;
      this.#o.onDropped?.(n);
    }
    if (take > 0) this.#schedule();
  }

  /** Resolves when every event queued so far has been evaluated. */
  async drain(): Promise<void> {
    while (this.queueDepth > 0 || this.#running) await (this.#running ?? this.#start());
  }

  #schedule(): void {
    if (this.#scheduled || this.#running) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#start();
    });
  }

  #start(): Promise<void> {
    this.#running ??= this.#loop().finally(() => {
      this.#running = undefined;
      if (this.queueDepth > 0) this.#schedule();
    });
    return this.#running;
  }

  async #loop(): Promise<void> {
    const chunk = this.#o.chunk ?? 256;
    while (this.queueDepth > 0) {
      const end = Math.min(this.#queue.length, this.#head + chunk);
      let n = 0;
      for (; this.#head < end; this.#head++, n++) {
        const c = this.#queue[this.#head] as CommittedAuditEvent;
        await this.#evaluate(c);
      }
      this.#o.onEvaluated?.(n);
      if (this.#head >= this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
      } else if (this.#head > 4096) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  async #evaluate(c: CommittedAuditEvent): Promise<void> {
    let ev;
    try {
      ev = monitoredEvent(c);
    } catch (err) {
      this.#o.log.error({ err, seq: c.seq }, 'alert rules: event could not be read');
      return;
    }
    if (this.#o.onEvent) {
      try {
        this.#o.onEvent(ev);
      } catch (err) {
        this.#o.log.error({ err, seq: c.seq }, 'monitor: event observer failed');
      }
    }
    for (const account of ev.accounts) {
      const rules = this.#byAccount.get(account);
      if (!rules) continue;
      for (const rule of rules) {
        let out: LimitedDraft | 'suppressed' | undefined;
        try {
          out = rule.evaluate(ev);
        } catch (err) {
          this.#o.log.error({ err, rule: rule.rule.document.RuleName, seq: c.seq }, 'alert rule failed on an event');
          continue;
        }
        if (out === 'suppressed') this.#o.onSuppressed?.(rule.rule);
        else if (out) {
          await this.#o.raise(rule.rule, out).catch((err: unknown) => this.#o.log.error({ err, rule: rule.rule.document.RuleName }, 'raising an alert failed'));
        }
      }
    }
  }

  /** State rows for saving: every rule's, or only those whose state changed since `markSaved`. */
  stateRows(savedAt: number, onlyDirty: boolean): RuleStateRow[] {
    const rows: RuleStateRow[] = [];
    for (const r of this.#byKey.values()) if (!onlyDirty || r.dirty) rows.push(stateRowOf(r, savedAt));
    return rows;
  }

  stateRow(accountId: string, name: string, savedAt: number): RuleStateRow | undefined {
    const r = this.#byKey.get(ruleKey(accountId, name));
    return r && stateRowOf(r, savedAt);
  }

  markSaved(rows: readonly RuleStateRow[]): void {
    for (const row of rows) {
      const r = this.#byKey.get(ruleKey(row.accountId, row.ruleName));
      if (r && r.fingerprint === row.fingerprint) r.dirty = false;
    }
  }
}

function stateRowOf(r: CompiledRule, savedAt: number): RuleStateRow {
  const snap = r.evaluator.snapshot();
  return {
    accountId: r.rule.accountId,
    ruleName: r.rule.document.RuleName,
    fingerprint: r.fingerprint,
    createdAt: r.rule.createdAt,
    savedAt,
    state: snap === undefined ? null : JSON.stringify(snap),
  };
}
