// Seeds a data directory's audit trail with many events before a server starts on it, for the
// LookupEvents, context-query and `kontext audit verify` scenarios. The events go through the
// same durable sink the server uses (CloudTrail event, index terms, hash chain, signed digests
// every 10,000 events), in-process and many at a time, so the trail is one a server could have
// written and `kontext audit verify` accepts.

import { join } from 'node:path';
import { pino } from 'pino';
import { loadRootKey } from '../src/runtime/root-key-loader.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { DurableAuditSink } from '../src/audit/durable-audit-sink.ts';
import { loadAuditSigner } from '../src/audit/signing-key.ts';
import type { AuditRecord } from '../src/audit/audit-sink.ts';
import type { Caller } from '../src/identity/caller.ts';

export const SEED_TENANTS = 1000;
const PURPOSES = ['billing', 'search', 'export', 'backup'] as const;
const ROLES = 20;
const DAY_MS = 86_400_000;

export interface AuditSeedResult {
  readonly events: number;
  readonly ms: number;
}

function roleSession(accountId: string, r: number): Caller {
  const role = `service-${r}`;
  return {
    type: 'AssumedRole',
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${role}/session-${r}`,
    principalId: `AROABENCHROLE${String(r).padStart(7, '0')}:session-${r}`,
    accessKeyId: `ASIABENCHSESSION${String(r).padStart(4, '0')}`,
    userName: role,
    sessionIssuer: { type: 'Role', principalId: `AROABENCHROLE${String(r).padStart(7, '0')}`, arn: `arn:aws:iam::${accountId}:role/${role}`, accountId, userName: role },
    sessionCreatedAt: undefined,
  };
}

/**
 * Event i of the seeded trail: 40% Encrypt, 40% Decrypt, 20% GenerateDataKey by 20 role sessions
 * over the given keys; context tenant=tenant-<i mod 1000>, one of four purposes, data-class; one
 * in a hundred Decrypts is refused. Times spread evenly over the 30 days before `end`.
 */
export function seededRecord(i: number, total: number, end: number, accountId: string, keyArns: readonly string[], callers: readonly Caller[]): AuditRecord {
  const names = ['Encrypt', 'Decrypt', 'Encrypt', 'Decrypt', 'GenerateDataKey'] as const;
  const eventName = names[i % names.length] as string;
  const keyArn = keyArns[i % keyArns.length] as string;
  const at = end - 30 * DAY_MS + Math.floor((i * 30 * DAY_MS) / total);
  const denied = eventName === 'Decrypt' && i % 100 === 1;
  return {
    meta: { requestId: `bench-${i}`, sourceIp: `10.0.${(i >> 8) & 255}.${i & 255}`, userAgent: 'aws-sdk-js/3 kontext-bench-seed', receivedAt: at - 2, secureTransport: true },
    service: 'kms',
    eventName,
    region: 'us-east-1',
    caller: callers[i % callers.length] as Caller,
    readOnly: true,
    requestParameters: {
      keyId: keyArn,
      encryptionContext: { tenant: `tenant-${i % SEED_TENANTS}`, purpose: PURPOSES[(i >> 3) % PURPOSES.length] as string, 'data-class': i % 7 === 0 ? 'public' : 'pii' },
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      ...(eventName === 'GenerateDataKey' ? { keySpec: 'AES_256' } : {}),
    },
    responseElements: null,
    error: denied ? { code: 'AccessDeniedException', message: 'not authorized', reason: 'no statement allows the request' } : undefined,
    notes: { resources: [{ ARN: keyArn, accountId, type: 'AWS::KMS::Key' }], reason: undefined, extraRequestParameters: {} },
    completedAt: at,
  };
}

export async function seedAuditEvents(dataDir: string, events: number, o: { accountId: string; keyArns: readonly string[]; progress?: (line: string) => void }): Promise<AuditSeedResult> {
  const started = Date.now();
  const log = pino({ level: 'silent' });
  const { rootKey } = loadRootKey({}, dataDir, log);
  const store = openSqliteStore(join(dataDir, 'kontext.db'));
  const end = Date.now() - 60_000;
  try {
    // openAuditTrail's steps, with larger group-commit batches than a server uses (fewer fsyncs).
    const signer = await loadAuditSigner(store.meta, rootKey, () => Date.now());
    await store.audit.ready();
    const sink = await DurableAuditSink.open({
      repo: store.audit,
      signer,
      accountId: o.accountId,
      log,
      now: () => Date.now(),
      digestEveryEvents: 10_000,
      digestIntervalMs: 0,
      retentionMs: 0,
      maxBatch: 16_384,
    });
    const callers = Array.from({ length: ROLES }, (_, r) => roleSession(o.accountId, r));
    // Enough in flight for full group-commit batches, few enough to keep memory flat.
    const inFlight = 16_384;
    for (let from = 0; from < events; from += inFlight) {
      const batch: Array<Promise<void>> = [];
      for (let i = from; i < Math.min(events, from + inFlight); i++) batch.push(sink.record(seededRecord(i, events, end, o.accountId, o.keyArns, callers)));
      await Promise.all(batch);
      const done = Math.min(events, from + inFlight);
      if (o.progress && Math.floor(done / 100_000) > Math.floor(from / 100_000)) o.progress(`  ${done} events (${Math.round((Date.now() - started) / 1000)} s)`);
    }
    await sink.close();
  } finally {
    await store.close();
  }
  return { events, ms: Date.now() - started };
}
