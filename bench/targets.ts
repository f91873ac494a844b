// The performance targets, checked against a run: met, missed, or not measurable yet (and
// then what is missing, with the closest interim number the run does have).

import type { ResultRow, SpecialRow } from './report.ts';

export type TargetStatus = 'met' | 'missed' | 'not measurable yet';

export interface Target {
  readonly target: string;
  readonly status: TargetStatus;
  readonly detail: string;
}

type Skipped = ReadonlyArray<{ readonly scenario: string; readonly why: readonly string[] }>;

const at = (rows: readonly ResultRow[], scenario: string, connections = 32) => rows.find((r) => r.scenario === scenario && r.connections === connections);
const pct = (a: number, b: number) => Math.round((a / b) * 1000) / 10;

function unavailable(scenario: string, skipped: Skipped): string {
  const s = skipped.find((x) => x.scenario === scenario);
  return s ? `${scenario}: ${s.why.join('; ')}` : `${scenario} was not run`;
}

/** `busy`: the machine had other work during the run (load average), which no target verdict survives. */
export function evaluateTargets(rows: readonly ResultRow[], special: readonly SpecialRow[], skipped: Skipped, busy?: string, auditEvents = 1_000_000): Target[] {
  const out: Target[] = [];
  const baseline = at(rows, 'baseline');
  const full = at(rows, 'encrypt-full-path');
  const fullDecrypt = at(rows, 'decrypt-full-path');
  const encrypt = at(rows, 'encrypt');
  const decrypt = at(rows, 'decrypt');

  {
    const target = 'Encrypt on the full path >= 60% of the bare baseline req/s at 32 connections';
    const interim = encrypt && baseline ? ` Interim: Encrypt on today's default path is ${pct(encrypt.rps, baseline.rps)}% of baseline.` : '';
    if (full && baseline) {
      const p = pct(full.rps, baseline.rps);
      out.push({ target, status: p >= 60 ? 'met' : 'missed', detail: `${p}% (${full.rps} vs ${baseline.rps} req/s)` });
    } else out.push({ target, status: 'not measurable yet', detail: `${unavailable(full ? 'baseline' : 'encrypt-full-path', skipped)}.${interim}` });
  }
  {
    const target = 'p99 <= 10 ms at 32 connections, Encrypt and Decrypt on the full path';
    const interim = encrypt && decrypt ? ` Interim on the default path: Encrypt p99 ${encrypt.latencyMs.p99} ms, Decrypt p99 ${decrypt.latencyMs.p99} ms.` : '';
    if (full && fullDecrypt) {
      const worst = Math.max(full.latencyMs.p99, fullDecrypt.latencyMs.p99);
      out.push({ target, status: worst <= 10 ? 'met' : 'missed', detail: `Encrypt p99 ${full.latencyMs.p99} ms, Decrypt p99 ${fullDecrypt.latencyMs.p99} ms` });
    } else out.push({ target, status: 'not measurable yet', detail: `${unavailable(full ? 'decrypt-full-path' : 'encrypt-full-path', skipped)}.${interim}` });
  }
  {
    const target = 'Durable audit costs < 15% of throughput versus audit off';
    const off = at(rows, 'encrypt-audit-off');
    const pairs = special.find((x) => x.scenario === 'audit-cost');
    if (pairs) {
      out.push({ target, status: pairs.value < 15 ? 'met' : 'missed', detail: `${pairs.value}%, ${pairs.detail}` });
    } else if (full && off) {
      const cost = Math.round((1 - full.rps / off.rps) * 1000) / 10;
      out.push({ target, status: cost < 15 ? 'met' : 'missed', detail: `${cost}% (${full.rps} with audit vs ${off.rps} req/s without)` });
    } else out.push({ target, status: 'not measurable yet', detail: unavailable(full ? 'encrypt-audit-off' : 'encrypt-full-path', skipped) });
  }
  {
    const target = 'Server RSS <= 200 MB during the load runs, with 10,000 keys';
    const kontext = rows.filter((r) => r.group !== 'baseline' && r.serverPeakRssMb !== undefined);
    if (kontext.length > 0) {
      const peak = Math.max(...kontext.map((r) => r.serverPeakRssMb as number));
      out.push({ target, status: peak <= 200 ? 'met' : 'missed', detail: `peak ${peak} MB (VmHWM) over ${kontext.length} Kontext runs` });
    } else out.push({ target, status: 'not measurable yet', detail: 'no Kontext load run in this selection' });
  }
  {
    const target = 'Context-filtered audit query over 1,000,000 events <= 50 ms';
    // One query at a time (1 connection): the time a query takes, judged by its p99.
    const q = at(rows, 'audit-query', 1);
    const l = at(rows, 'lookup-events', 1);
    const lookup = l ? ` (LookupEvents EventName=Decrypt: p50 ${l.latencyMs.p50} ms, p99 ${l.latencyMs.p99} ms)` : '';
    if (q && auditEvents < 1_000_000) out.push({ target, status: 'not measurable yet', detail: `this run had ${auditEvents} events, not 1,000,000: p50 ${q.latencyMs.p50} ms, p99 ${q.latencyMs.p99} ms${lookup}` });
    else if (q) out.push({ target, status: q.latencyMs.p99 <= 50 ? 'met' : 'missed', detail: `p50 ${q.latencyMs.p50} ms, p99 ${q.latencyMs.p99} ms${lookup}` });
    else out.push({ target, status: 'not measurable yet', detail: unavailable('audit-query', skipped) });
  }
  {
    const target = 'Verifying 1,000,000 events <= 10 s';
    const v = special.find((s) => s.scenario === 'audit-verify');
    if (v && auditEvents < 1_000_000) out.push({ target, status: 'not measurable yet', detail: `this run had ${auditEvents} events, not 1,000,000: ${v.value} ${v.unit}` });
    else if (v) out.push({ target, status: v.value <= 10_000 ? 'met' : 'missed', detail: `${v.value} ${v.unit}: ${v.detail}` });
    else out.push({ target, status: 'not measurable yet', detail: unavailable('audit-verify', skipped) });
  }
  return busy ? out.map((t) => (t.status === 'not measurable yet' ? t : { ...t, detail: `${t.detail} — ${busy}` })) : out;
}
