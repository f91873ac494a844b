// Summarises a V8 .cpuprofile (node --cpu-prof): the functions with the most self time, their
// inclusive time, and self time by area of the code (our modules, dependencies, node internals,
// GC), so BENCHMARKS.md can say where a request's time goes.
// CLI: node --import tsx bench/profile-summary.ts <file.cpuprofile> [--top 15]

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface FunctionTime {
  readonly name: string;
  readonly location: string;
  readonly area: string;
  readonly selfMs: number;
  readonly selfPercent: number;
  readonly totalMs: number;
  readonly totalPercent: number;
}

export interface ProfileSummary {
  /** Sampled time in ms, idle excluded. */
  readonly busyMs: number;
  readonly idleMs: number;
  readonly top: readonly FunctionTime[];
  readonly areas: ReadonlyArray<{ readonly area: string; readonly selfMs: number; readonly selfPercent: number }>;
  /** Inclusive time of the `focus` functions that appear (by name; the busiest frame of that name). */
  readonly focus: ReadonlyArray<{ readonly name: string; readonly location: string; readonly totalMs: number; readonly totalPercent: number }>;
}

function locationOf(url: string, line: number, root: string): string {
  if (!url) return '';
  let path = url;
  if (url.startsWith('file://')) {
    try {
      path = relative(root, fileURLToPath(url));
    } catch {
      path = url;
    }
  }
  // tsx hands V8 whitespace-minified code, so line numbers of .ts files mean nothing: name the file.
  return path.endsWith('.ts') ? path : `${path}:${line + 1}`;
}

/** Which part of the system a frame belongs to, for the per-area breakdown. */
export function areaOf(functionName: string, url: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'V8/native (program)';
  if (functionName === '(idle)') return 'idle';
  if (!url) return functionName.startsWith('(') ? 'V8/native (program)' : 'native built-ins';
  if (url.startsWith('node:')) return 'node internals';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `dep: ${nm[1]}`;
  // The compiled build (dist/<area>/...) counts as the source it came from.
  const dist = /\/dist\/([^/]+)\//.exec(url);
  if (dist) return `src/${dist[1]}`;
  const src = /\/(src|bench)\/([^/]+)\//.exec(url);
  if (src) return `${src[1]}/${src[2]}`;
  return 'other';
}

export interface SummaryOptions {
  readonly top?: number;
  /** Repository root, to print locations relative to it. */
  readonly root?: string;
  /**
   * Only samples taken in this window, in microseconds of the monotonic clock V8 stamps profiles
   * with (the clock of process.hrtime), so start-up and set-up do not blur the steady state.
   */
  readonly window?: { readonly fromUs: number; readonly toUs: number };
  /** Function names (or `name@file`) whose inclusive time to report, e.g. the stages of a request. */
  readonly focus?: readonly string[];
}

export function summarizeProfile(profile: CpuProfile, opts: SummaryOptions = {}): ProfileSummary {
  const root = opts.root ?? process.cwd();
  const byId = new Map<number, CpuProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const keyOf = (n: CpuProfileNode) => `${n.callFrame.functionName}|${n.callFrame.url}|${n.callFrame.lineNumber}|${n.callFrame.columnNumber}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const frames = new Map<string, CpuProfileNode>();
  let idle = 0;
  let busy = 0;

  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const add = (id: number, us: number) => {
    const node = byId.get(id);
    if (!node || us <= 0) return;
    if (node.callFrame.functionName === '(idle)') {
      idle += us;
      return;
    }
    busy += us;
    const k = keyOf(node);
    frames.set(k, node);
    self.set(k, (self.get(k) ?? 0) + us);
    // Inclusive time: each distinct function on the stack once, so recursion is not double counted.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur);
      if (!f) break;
      const fk = keyOf(f);
      if (seen.has(fk)) continue;
      seen.add(fk);
      frames.set(fk, f);
      total.set(fk, (total.get(fk) ?? 0) + us);
    }
  };
  if (samples.length > 0) {
    // timeDeltas[i] is the gap between samples i-1 and i; as Chrome DevTools does, a sample owns
    // the interval up to the next one.
    let t = profile.startTime;
    for (let i = 0; i < samples.length; i++) {
      t += deltas[i] ?? 0;
      if (opts.window && (t < opts.window.fromUs || t > opts.window.toUs)) continue;
      add(samples[i] as number, deltas[i + 1] ?? 0);
    }
  } else {
    const interval = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
    const per = interval > 0 ? (profile.endTime - profile.startTime) / interval : 0;
    for (const n of profile.nodes) add(n.id, (n.hitCount ?? 0) * per);
  }

  const pct = (us: number) => (busy > 0 ? Math.round((us / busy) * 1000) / 10 : 0);
  const ms = (us: number) => Math.round(us / 100) / 10;
  const rows = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, opts.top ?? 15)
    .map(([k, us]): FunctionTime => {
      const f = frames.get(k) as CpuProfileNode;
      const t = total.get(k) ?? us;
      return {
        name: f.callFrame.functionName || '(anonymous)',
        location: locationOf(f.callFrame.url, f.callFrame.lineNumber, root),
        area: areaOf(f.callFrame.functionName, f.callFrame.url),
        selfMs: ms(us),
        selfPercent: pct(us),
        totalMs: ms(t),
        totalPercent: pct(t),
      };
    });
  const areaTotals = new Map<string, number>();
  for (const [k, us] of self) {
    const f = frames.get(k) as CpuProfileNode;
    const a = areaOf(f.callFrame.functionName, f.callFrame.url);
    areaTotals.set(a, (areaTotals.get(a) ?? 0) + us);
  }
  const areas = [...areaTotals.entries()].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, selfMs: ms(us), selfPercent: pct(us) }));
  const focus = (opts.focus ?? []).flatMap((name) => {
    // `name@file` picks the function of that name in a file whose URL ends with `file`.
    const [fn, file] = name.split('@') as [string, string | undefined];
    let best: [string, number] | undefined;
    for (const [k, us] of total) {
      const cf = frames.get(k)?.callFrame;
      const inFile = file === undefined || cf?.url.endsWith(file) || cf?.url.endsWith(file.replace(/\.ts$/, '.js'));
      if (cf?.functionName === fn && inFile && (!best || us > best[1])) best = [k, us];
    }
    if (!best) return [];
    const f = frames.get(best[0]) as CpuProfileNode;
    return [{ name, location: locationOf(f.callFrame.url, f.callFrame.lineNumber, root), totalMs: ms(best[1]), totalPercent: pct(best[1]) }];
  });
  return { busyMs: ms(busy), idleMs: ms(idle), top: rows, areas, focus };
}

export function formatSummary(s: ProfileSummary): string {
  const lines: string[] = [];
  lines.push(`busy ${s.busyMs} ms sampled (idle ${s.idleMs} ms not counted)`);
  lines.push('');
  lines.push(`${'self %'.padStart(7)} ${'self ms'.padStart(9)} ${'total %'.padStart(8)}  function  (location)`);
  for (const r of s.top) {
    lines.push(`${r.selfPercent.toFixed(1).padStart(7)} ${r.selfMs.toFixed(1).padStart(9)} ${r.totalPercent.toFixed(1).padStart(8)}  ${r.name}${r.location ? `  (${r.location})` : ''}`);
  }
  if (s.focus.length > 0) {
    lines.push('');
    lines.push('inclusive time of request stages:');
    for (const f of s.focus) lines.push(`${f.totalPercent.toFixed(1).padStart(7)} %  ${f.name}${f.location ? `  (${f.location})` : ''}`);
  }
  lines.push('');
  lines.push('self time by area:');
  for (const a of s.areas) lines.push(`${a.selfPercent.toFixed(1).padStart(7)} %  ${a.area}`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const topIdx = process.argv.indexOf('--top');
  const top = topIdx > 0 ? Number(process.argv[topIdx + 1]) : 15;
  if (!file) {
    process.stderr.write('usage: profile-summary.ts <file.cpuprofile> [--top 15]\n');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  process.stdout.write(formatSummary(summarizeProfile(profile, { top })) + '\n');
}
