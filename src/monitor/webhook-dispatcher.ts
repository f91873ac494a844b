// Delivers alerts to webhooks: a lane per webhook with a few deliveries in flight, each attempt
// bounded by a timeout, failures retried with exponential backoff (and jitter) on a timer so a
// slow or failing webhook holds up neither requests, nor other webhooks, nor its own later
// alerts. Each attempt's outcome is recorded on the alert. Pending work is bounded per webhook.

import { randomUUID } from 'node:crypto';
import type { DeliveryStatus } from './alert-record.ts';
import type { WebhookConfig } from './webhook-config.ts';
import { SIGNATURE_HEADER, signBody } from './webhook-signature.ts';

export interface DispatcherOptions {
  readonly webhooks: readonly WebhookConfig[];
  readonly timeoutMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
  /** Deliveries in flight per webhook. */
  readonly concurrency?: number;
  /** Deliveries queued or waiting to retry per webhook; beyond it new ones are dropped. */
  readonly maxPending?: number;
  readonly record: (alertId: string, status: DeliveryStatus) => Promise<void>;
  readonly onResult?: (webhook: string, result: 'delivered' | 'retry' | 'failed' | 'dropped') => void;
  readonly log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  readonly now: () => number;
  readonly fetch?: typeof fetch;
  readonly random?: () => number;
  readonly userAgent?: string;
}

interface Job {
  readonly alertId: string;
  readonly body: string;
  /** Attempts made so far. */
  attempts: number;
}

interface Lane {
  readonly hook: WebhookConfig;
  readonly queue: Job[];
  active: number;
  waiting: number;
}

/** Retry on no answer, a timeout, 408, 429 and 5xx; another 4xx is the receiver saying no. */
const retryable = (status: number | undefined): boolean => status === undefined || status === 408 || status === 429 || status >= 500;

export class WebhookDispatcher {
  readonly #o: DispatcherOptions;
  readonly #lanes = new Map<string, Lane>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #inflight = new Set<Promise<void>>();
  readonly #aborts = new Set<AbortController>();
  readonly #fetch: typeof fetch;
  readonly #random: () => number;
  #closed = false;

  constructor(o: DispatcherOptions) {
    this.#o = o;
    this.#fetch = o.fetch ?? fetch;
    this.#random = o.random ?? Math.random;
    for (const hook of o.webhooks) this.#lanes.set(hook.name, { hook, queue: [], active: 0, waiting: 0 });
  }

  get webhookNames(): string[] {
    return [...this.#lanes.keys()];
  }

  /** The backoff before attempt `attempts + 1`: base × 2^(attempts-1), capped, ±20% jitter. */
  delayAfter(attempts: number): number {
    const d = Math.min(this.#o.maxDelayMs, this.#o.baseDelayMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(d * (0.8 + 0.4 * this.#random()));
  }

  /** Queues one alert body for the named webhooks (every webhook when `names` is undefined). */
  deliver(alertId: string, body: string, names: readonly string[] | undefined, attemptsSoFar: Readonly<Record<string, number>> = {}): void {
    for (const name of names ?? this.#lanes.keys()) {
      const lane = this.#lanes.get(name);
      if (!lane) continue;
      const job: Job = { alertId, body, attempts: attemptsSoFar[name] ?? 0 };
      // After close the delivery stays `pending` in the store and resumes at the next start.
      if (this.#closed) continue;
      if (lane.queue.length + lane.waiting + lane.active >= (this.#o.maxPending ?? 1000)) {
        this.#settle(lane, job, { webhook: name, state: 'dropped', attempts: job.attempts, lastError: 'too many pending deliveries for this webhook' }, 'dropped');
        continue;
      }
      lane.queue.push(job);
      this.#pump(lane);
    }
  }

  #pump(lane: Lane): void {
    while (!this.#closed && lane.active < (this.#o.concurrency ?? 2) && lane.queue.length > 0) {
      const job = lane.queue.shift() as Job;
      lane.active++;
      const p = this.#attempt(lane, job).finally(() => {
        lane.active--;
        this.#inflight.delete(p);
        this.#pump(lane);
      });
      this.#inflight.add(p);
    }
  }

  async #attempt(lane: Lane, job: Job): Promise<void> {
    const hook = lane.hook;
    job.attempts++;
    const at = this.#o.now();
    const abort = new AbortController();
    this.#aborts.add(abort);
    const timer = setTimeout(() => abort.abort(new Error(`timed out after ${this.#o.timeoutMs} ms`)), this.#o.timeoutMs);
    let status: number | undefined;
    let error: string | undefined;
    try {
      const res = await this.#fetch(hook.url, {
        method: 'POST',
        redirect: 'manual',
        signal: abort.signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': this.#o.userAgent ?? 'kontext-webhook/0.1',
          [SIGNATURE_HEADER]: signBody(job.body, hook.secret),
          'x-kontext-alert-id': job.alertId,
          'x-kontext-delivery': randomUUID(),
          'x-kontext-attempt': String(job.attempts),
        },
        body: job.body,
      });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (err) {
      error = abort.signal.aborted ? String((abort.signal.reason as Error | undefined)?.message ?? 'aborted') : describe(err);
    } finally {
      clearTimeout(timer);
      this.#aborts.delete(abort);
    }
    const base = { webhook: hook.name, attempts: job.attempts, lastAttemptAt: at, ...(status !== undefined ? { lastStatus: status } : {}) };
    if (error === undefined) {
      this.#settle(lane, job, { ...base, state: 'delivered', deliveredAt: this.#o.now() }, 'delivered');
      return;
    }
    if (!retryable(status) || job.attempts >= this.#o.maxAttempts || this.#closed) {
      const final = !retryable(status) || job.attempts >= this.#o.maxAttempts;
      this.#settle(lane, job, { ...base, state: final ? 'failed' : 'pending', lastError: error }, final ? 'failed' : 'retry');
      if (final) this.#o.log.warn({ webhook: hook.name, alertId: job.alertId, attempts: job.attempts, error }, 'webhook delivery failed');
      return;
    }
    this.#settle(lane, job, { ...base, state: 'pending', lastError: error }, 'retry');
    lane.waiting++;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      lane.waiting--;
      lane.queue.push(job);
      this.#pump(lane);
    }, this.delayAfter(job.attempts));
    t.unref();
    this.#timers.add(t);
  }

  #settle(lane: Lane, job: Job, status: DeliveryStatus, result: 'delivered' | 'retry' | 'failed' | 'dropped'): void {
    this.#o.onResult?.(lane.hook.name, result);
    this.#o.record(job.alertId, status).catch((err: unknown) => this.#o.log.error({ err, alertId: job.alertId, webhook: lane.hook.name }, 'recording a webhook delivery failed'));
  }

  /**
   * Stops: cancels retry timers (those deliveries stay `pending` and resume at the next start),
   * gives attempts in flight `graceMs` to finish, then aborts them.
   */
  async close(graceMs: number): Promise<void> {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const lane of this.#lanes.values()) lane.queue.length = 0;
    if (this.#inflight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.#inflight]), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    for (const a of this.#aborts) a.abort(new Error('shutting down'));
    await Promise.allSettled([...this.#inflight]);
  }
}

function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  return err instanceof Error ? err.message : String(err);
}
