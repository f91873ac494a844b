// Shared fixtures for the audit unit tests: records as the pipeline builds them, a signer (one
// RSA key per test process: generation is slow), and a sink over an in-memory SQLite store.

import { randomBytes } from 'node:crypto';
import { RootKey } from '../crypto/root-key.ts';
import { rootCaller, type Caller } from '../identity/caller.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { AuditRecord } from './audit-sink.ts';
import type { AuditSigner } from './digest.ts';
import { DurableAuditSink, type DurableAuditSinkOptions } from './durable-audit-sink.ts';
import { loadAuditSigner, type AuditPublicKey } from './signing-key.ts';

export const ACCOUNT = '111122223333';
export const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export const silentLog = { info() {}, warn() {}, error() {} } as unknown as DurableAuditSinkOptions['log'];

export function record(over: Partial<AuditRecord> & { context?: Record<string, string> } = {}): AuditRecord {
  const { context, ...rest } = over;
  return {
    meta: { requestId: 'req-1', sourceIp: '192.0.2.10', userAgent: 'aws-sdk-js/3 test', receivedAt: 1_700_000_000_000, secureTransport: false },
    service: 'kms',
    eventName: 'Decrypt',
    region: 'us-east-1',
    caller: rootCaller(ACCOUNT, 'AKIAEXAMPLEROOT00001'),
    readOnly: true,
    requestParameters: { encryptionContext: context ?? { customer_id: 'cust_98765' }, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
    responseElements: null,
    error: undefined,
    notes: { resources: [{ ARN: KEY_ARN, accountId: ACCOUNT, type: 'AWS::KMS::Key' }], reason: undefined, extraRequestParameters: {} },
    completedAt: 1_700_000_000_500,
    ...rest,
  };
}

export const assumedRole: Caller = {
  type: 'AssumedRole',
  accountId: ACCOUNT,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/analyst/alice-session`,
  principalId: 'AROAEXAMPLEROLE00001:alice-session',
  accessKeyId: 'ASIAEXAMPLESESSION01',
  userName: 'analyst',
  sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEROLE00001', arn: `arn:aws:iam::${ACCOUNT}:role/analyst`, accountId: ACCOUNT, userName: 'analyst' },
  sessionCreatedAt: 1_699_999_000_000,
};

const rootKey = new RootKey(randomBytes(32));
let signing: Promise<AuditSigner & { publicKey: AuditPublicKey }> | undefined;

/** One signing key for the whole test file, stored in a scratch store. */
export function testSigner(): Promise<AuditSigner & { publicKey: AuditPublicKey }> {
  signing ??= (async () => {
    const store = openSqliteStore(':memory:');
    const s = await loadAuditSigner(store.meta, rootKey, () => 1_700_000_000_000);
    await store.close();
    return s;
  })();
  return signing;
}

export async function trustedKeys(): Promise<Map<string, import('node:crypto').KeyObject>> {
  const s = await testSigner();
  return new Map([[s.publicKey.fingerprint, s.publicKey.key]]);
}

export interface SinkFixture {
  readonly store: SqliteStore;
  readonly sink: DurableAuditSink;
  readonly clock: { now: number };
}

export async function openSink(over: Partial<DurableAuditSinkOptions> = {}, store: SqliteStore = openSqliteStore(':memory:')): Promise<SinkFixture> {
  const clock = { now: 1_700_000_000_000 };
  const sink = await DurableAuditSink.open({
    repo: store.audit,
    signer: await testSigner(),
    accountId: ACCOUNT,
    log: silentLog,
    now: () => clock.now,
    digestEveryEvents: 1_000_000,
    digestIntervalMs: 0,
    retentionMs: 0,
    ...over,
  });
  return { store, sink, clock };
}
