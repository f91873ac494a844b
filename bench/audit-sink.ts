// The durable audit trail alone: CPU per event recorded through DurableAuditSink on a database
// file, with 32 records in flight as 32 connections would keep them (each waits for its batch to
// be durable, as a request does). Prints CPU µs per event (process time, so the number moves less
// than wall time on a shared machine) and events/s, three runs.
//
//   node --import tsx bench/audit-sink.ts [events=30000] [inFlight=32]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { DurableAuditSink } from '../src/audit/durable-audit-sink.ts';
import { loadAuditSigner } from '../src/audit/signing-key.ts';
import { loadRootKey } from '../src/runtime/root-key-loader.ts';
import type { Caller } from '../src/identity/caller.ts';
import { seededRecord } from './audit-seed.ts';

const ACCOUNT = '123456789012';
const events = Number(process.argv[2] ?? 30_000);
const inFlight = Number(process.argv[3] ?? 32);
const keyArns = Array.from({ length: 50 }, (_, i) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const caller: Caller = {
  type: 'AssumedRole',
  accountId: ACCOUNT,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/session`,
  principalId: 'AROABENCHROLE0000001:session',
  accessKeyId: 'ASIABENCHSESSION0001',
  userName: 'app',
  sessionIssuer: { type: 'Role', principalId: 'AROABENCHROLE0000001', arn: `arn:aws:iam::${ACCOUNT}:role/app`, accountId: ACCOUNT, userName: 'app' },
  sessionCreatedAt: undefined,
};

async function run(): Promise<{ usPerEvent: number; perSecond: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'kontext-audit-sink-'));
  const log = pino({ level: 'silent' });
  const store = openSqliteStore(join(dir, 'kontext.db'));
  try {
    const { rootKey } = loadRootKey({}, dir, log);
    const signer = await loadAuditSigner(store.meta, rootKey, () => Date.now());
    await store.audit.ready();
    const sink = await DurableAuditSink.open({ repo: store.audit, signer, accountId: ACCOUNT, log, now: () => Date.now(), digestEveryEvents: 10_000, digestIntervalMs: 0, retentionMs: 0 });
    const end = Date.now();
    let next = 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    // `inFlight` closed loops, like connections: each records, waits until durable, records again.
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < events) await sink.record(seededRecord(next++, events, end, ACCOUNT, keyArns, [caller]));
      }),
    );
    const elapsed = performance.now() - started;
    const used = process.cpuUsage(cpu);
    await sink.close();
    return { usPerEvent: (used.user + used.system) / events, perSecond: (events * 1000) / elapsed };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (let i = 0; i < Number(process.env["RUNS"] ?? 3); i++) {
  const r = await run();
  process.stdout.write(`${events} events, ${inFlight} in flight: ${r.usPerEvent.toFixed(1)} µs CPU per event, ${Math.round(r.perSecond)} events/s\n`);
}
