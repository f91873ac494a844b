// The bench's printed report: one Markdown table of the load runs (pasteable into BENCHMARKS.md),
// then the one-off measurements, the baseline ratio, what was skipped and why, and the targets.

import type { Target } from './targets.ts';

export interface ResultRow {
  readonly scenario: string;
  readonly group: string;
  readonly title: string;
  /** Server configuration beyond the defaults (environment settings and flags), empty for defaults. */
  readonly server: string;
  readonly connections: number;
  readonly rps: number;
  readonly ok: number;
  readonly errors: Record<string, number>;
  readonly errorCount: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number; readonly mean: number };
  readonly serverCpuPercent: number | undefined;
  /** Server CPU time per answered request, microseconds (CPU % / req/s). */
  readonly serverCpuUsPerRequest: number | undefined;
  readonly generatorCpuPercent: number;
  /** Which side ran out of CPU first: server, GENERATOR (the run measures the generator), or latency (neither). */
  readonly bound: string;
  readonly serverRssMb: number | undefined;
  readonly serverPeakRssMb: number | undefined;
  readonly measuredMs: number;
  /** Unmeasured time and answers before the window. */
  readonly warmup: { readonly ms: number; readonly requests: number };
}

export interface SpecialRow {
  readonly scenario: string;
  readonly title: string;
  readonly value: number;
  readonly unit: string;
  readonly detail: string;
}

const cell = (v: number | string | undefined) => (v === undefined ? '?' : String(v));

export function formatTable(
  rows: readonly ResultRow[],
  special: readonly SpecialRow[],
  skipped: ReadonlyArray<{ scenario: string; why: readonly string[] }>,
  targets: readonly Target[],
  ratio: { readonly rps: number | undefined; readonly cpu: number | undefined },
  machine: { cores: number; cpuModel: string; node: string; pinning: string; commit: string },
): string {
  const out: string[] = [];
  out.push(`Machine: ${machine.cores} cores, ${machine.cpuModel}, Node ${machine.node}; ${machine.pinning}; commit ${machine.commit}`);
  out.push('');
  out.push('| scenario | conns | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | server CPU % | server µs CPU/req | gen CPU % | bound | server RSS MB (peak) |');
  out.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|');
  for (const r of rows) {
    out.push(
      `| ${r.scenario} | ${r.connections} | ${r.rps} | ${r.latencyMs.p50} | ${r.latencyMs.p90} | ${r.latencyMs.p99} | ${r.latencyMs.max} | ${r.errorCount} | ${cell(r.serverCpuPercent)} | ${cell(r.serverCpuUsPerRequest)} | ${r.generatorCpuPercent} | ${r.bound} | ${cell(r.serverRssMb)} (${cell(r.serverPeakRssMb)}) |`,
    );
  }
  const withErrors = rows.filter((r) => r.errorCount > 0);
  if (withErrors.length > 0) {
    out.push('');
    for (const r of withErrors) out.push(`errors in ${r.scenario} c=${r.connections}: ${JSON.stringify(r.errors)}`);
  }
  if (special.length > 0) {
    out.push('');
    for (const s of special) out.push(`- ${s.scenario}: ${s.value} ${s.unit} — ${s.detail}`);
  }
  out.push('');
  if (ratio.rps === undefined) out.push('Baseline ratio: not measured (needs both baseline and encrypt at 32 connections)');
  else {
    out.push(`Baseline ratio: Kontext Encrypt = ${ratio.rps}% of the bare node:http baseline's req/s at 32 connections`);
    if (ratio.cpu !== undefined) out.push(`By server CPU per request: Kontext Encrypt costs ${Math.round(10000 / ratio.cpu) / 100}x the baseline's CPU per request (= ${ratio.cpu}% of its throughput if both were CPU-bound)`);
  }
  if (skipped.length > 0) {
    out.push('');
    out.push('Not run:');
    for (const s of skipped) out.push(`- ${s.scenario}: not available yet: ${s.why.join('; ')}`);
  }
  if (targets.length > 0) {
    out.push('');
    out.push('Targets:');
    for (const t of targets) out.push(`- [${t.status}] ${t.target}: ${t.detail}`);
  }
  return out.join('\n');
}
