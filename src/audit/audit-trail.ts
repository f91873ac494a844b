// Opens the durable audit trail for a server: the digest signing key (created on first start),
// the store's writer, and the group-commit sink with its digest and retention timers.

import type { Logger } from 'pino';
import type { RootKey } from '../crypto/root-key.ts';
import type { Store } from '../store/store.ts';
import { DurableAuditSink } from './durable-audit-sink.ts';
import { loadAuditSigner } from './signing-key.ts';

export interface AuditTrailSettings {
  /** Seal a digest after this many events. */
  readonly digestEveryEvents: number;
  /** Seal a digest this often when events are unsealed (seconds). */
  readonly digestIntervalSeconds: number;
  /** Remove events older than this many days (0 keeps everything). */
  readonly retentionDays: number;
}

export interface OpenAuditTrail {
  readonly store: Store;
  readonly rootKey: RootKey;
  readonly accountId: string;
  readonly log: Logger;
  readonly now: () => number;
  readonly settings: AuditTrailSettings;
}

export async function openAuditTrail(o: OpenAuditTrail): Promise<DurableAuditSink> {
  const signer = await loadAuditSigner(o.store.meta, o.rootKey, o.now);
  await o.store.audit.ready();
  return DurableAuditSink.open({
    repo: o.store.audit,
    signer,
    accountId: o.accountId,
    log: o.log,
    now: o.now,
    digestEveryEvents: o.settings.digestEveryEvents,
    digestIntervalMs: o.settings.digestIntervalSeconds * 1000,
    retentionMs: o.settings.retentionDays * 86_400_000,
  });
}
