// What the request pipeline hands the audit trail for every call, and the sink interface that
// makes it durable. `record` resolves only once the event is durable.

import type { Caller } from '../identity/caller.ts';
import type { CloudTrailEvent } from './cloudtrail-event.ts';
import type { AuditNotes, RequestMeta, ServiceName } from '../operations/operation.ts';

export interface AuditRecord {
  readonly meta: RequestMeta;
  readonly service: ServiceName;
  readonly eventName: string;
  readonly region: string;
  /** Undefined when the request failed authentication. */
  readonly caller: Caller | undefined;
  /** The access key id a request that failed authentication claimed to use. */
  readonly claimedAccessKeyId?: string | undefined;
  readonly readOnly: boolean;
  readonly requestParameters: Record<string, unknown> | null;
  readonly responseElements: Record<string, unknown> | null;
  readonly error: { readonly code: string; readonly message: string; readonly reason: string | undefined } | undefined;
  readonly notes: AuditNotes;
  /** Epoch ms the call completed. */
  readonly completedAt: number;
}

/** An event as it became durable: its place in the chain, its time (epoch ms) and the record. */
export interface CommittedAuditEvent {
  readonly seq: number;
  readonly time: number;
  readonly event: CloudTrailEvent;
}

/** Told about the trail after each commit (monitoring). Must return at once: queue work, never block. */
export interface AuditObserver {
  /** A batch is durable; its events in chain order. */
  committed?(events: readonly CommittedAuditEvent[]): void;
  /** A batch commit ended: its size, how long it took, whether it succeeded. */
  batchWritten?(events: number, seconds: number, ok: boolean): void;
}

export interface AuditSink {
  record(event: AuditRecord): Promise<void>;
  close(): Promise<void>;
  /** Adds an observer of commits (sinks that keep nothing have none to report). */
  subscribe?(observer: AuditObserver): void;
}

/** A sink that keeps nothing: for deployments that turn the audit trail off, and for tests. */
export const discardingAuditSink: AuditSink = {
  async record() {},
  async close() {},
};
