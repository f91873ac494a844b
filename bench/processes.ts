// Child processes of the bench: CPU pinning with taskset, the Kontext and baseline servers (ready
// line detection from their log file, so the bench never has to drain a busy log pipe), and the
// per-process CPU and memory figures read from /proc.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..');
/** The tree whose Kontext server is measured: this one, or another checkout (to compare commits). */
export const SERVER_ROOT = resolve(process.env['KONTEXT_BENCH_SERVER_ROOT'] || REPO_ROOT);

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

export interface Pinning {
  readonly available: boolean;
  readonly serverCpu: number | undefined;
  readonly generatorCpu: number | undefined;
  readonly note: string;
}

export function pinning(cpus: number): Pinning {
  if (!hasTaskset) return { available: false, serverCpu: undefined, generatorCpu: undefined, note: 'taskset not found: processes are NOT pinned, server and generator share all cores' };
  if (cpus < 2) return { available: false, serverCpu: undefined, generatorCpu: undefined, note: 'only one CPU: processes are NOT pinned, server and generator share it' };
  return { available: true, serverCpu: 0, generatorCpu: 1, note: 'server pinned to CPU 0, load generator to CPU 1 (taskset)' };
}

/** Spawns `node <args>`, under `taskset -c <cpu>` when a CPU is given (taskset execs, so the pid is node's). */
export function spawnNode(cpu: number | undefined, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; stdout?: number | 'pipe' | 'ignore' } = {}): ChildProcess {
  const out = opts.stdout ?? 'pipe';
  const stdio: ['ignore', number | 'pipe' | 'ignore', number | 'pipe' | 'ignore'] = ['ignore', out, out];
  const env = opts.env ?? process.env;
  return cpu === undefined
    ? spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio })
    : spawn('taskset', ['-c', String(cpu), process.execPath, ...args], { cwd: REPO_ROOT, env, stdio });
}

export interface ServerHandle {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Milliseconds from spawn to the ready line (from the line's own timestamp when it has one). */
  readonly startupMs: number;
  readonly logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts a server whose stdout and stderr go to `logFile`, and waits for the line matching `ready`
 * (its first group is the URL). Pino lines carry an ISO `time`, which gives the ready moment to
 * the millisecond; otherwise the moment the bench saw the line.
 */
export async function startLoggedServer(opts: {
  cpu: number | undefined;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  ready: RegExp;
  timeoutMs?: number;
}): Promise<ServerHandle> {
  const fd = openSync(opts.logFile, 'w');
  const spawnedAt = Date.now();
  const child = spawnNode(opts.cpu, opts.args, { env: opts.env, stdout: fd });
  closeSync(fd);
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  let exitCode: number | null | undefined;
  child.once('exit', (code) => (exitCode = code));
  const deadline = spawnedAt + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const text = readFileSync(opts.logFile, 'utf8');
    for (const line of text.split('\n')) {
      const m = opts.ready.exec(line);
      if (m?.[1]) {
        let readyAt = Date.now();
        try {
          const t = (JSON.parse(line) as { time?: string }).time;
          if (t) readyAt = Date.parse(t);
        } catch {
          // not a JSON log line: keep the observed time
        }
        const stop = async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        };
        return { url: m[1], pid: child.pid as number, child, startupMs: readyAt - spawnedAt, logFile: opts.logFile, stop };
      }
    }
    if (exitCode !== undefined) throw new Error(`server exited with ${exitCode} before it was ready; log: ${opts.logFile}\n${text.slice(-2000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after ${opts.timeoutMs ?? 30_000} ms; log: ${opts.logFile}\n${text.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** What `npm start` runs: the compiled build in dist/ when it is current (see ensureBuilt). */
export const KONTEXT_BIN = join(SERVER_ROOT, 'bin/kontext.js');

/** Builds dist/ in the server's checkout, as `npm install` does, so the bench measures the compiled server. */
export function ensureBuilt(): void {
  const r = spawnSync('npm', ['run', 'build'], { cwd: SERVER_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed in ${SERVER_ROOT}:\n${r.stdout}${r.stderr}`);
}

export function kontextServerArgs(dataDir: string, extra: readonly string[], nodeFlags: readonly string[] = []): string[] {
  return [...nodeFlags, KONTEXT_BIN, 'server', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, ...extra];
}

const CLK_TCK = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

export interface ProcSample {
  /** Epoch ms of the reading. */
  readonly at: number;
  /** User + system CPU seconds so far. */
  readonly cpuSeconds: number;
  /** Resident set size now, MB. */
  readonly rssMb: number;
  /** Peak resident set size since start (VmHWM), MB. */
  readonly peakRssMb: number;
}

/** Reads /proc/<pid>/stat and /proc/<pid>/status; undefined off Linux or once the process is gone. */
export function procSample(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { at: Date.now(), cpuSeconds: ticks / CLK_TCK, rssMb: Math.round(kb('VmRSS') / 102.4) / 10, peakRssMb: Math.round(kb('VmHWM') / 102.4) / 10 };
  } catch {
    return undefined;
  }
}

/** CPU use between two samples, percent of one core. */
export function cpuPercent(a: ProcSample | undefined, b: ProcSample | undefined): number | undefined {
  if (!a || !b || b.at <= a.at) return undefined;
  return Math.round(((b.cpuSeconds - a.cpuSeconds) / ((b.at - a.at) / 1000)) * 100);
}
