// `npm run bench`: starts real servers (Kontext on a fresh seeded SQLite data dir, and the bare
// baseline), drives them from a separate load-generator process pinned to another core, and prints
// one table plus bench/results/<date>.json. `npm run bench -- --help` lists the options.

import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { KONTEXT, SCENARIOS, defaultDurationSeconds, selectScenarios, type LoadScenario, type Scenario, type ServerSetup, type SpecialScenario } from './scenarios.ts';
import { auditDataset, CACHE_ROOT, type AuditDataset } from './datasets.ts';
import { ensureBuilt, KONTEXT_BIN, kontextServerArgs, pinning, procSample, cpuPercent, REPO_ROOT, SERVER_ROOT, spawnNode, startLoggedServer, type Pinning, type ServerHandle } from './processes.ts';
import { seedKeys } from './seed-keys.ts';
import { BENCH_ADMIN, WorkloadBuilder, type BuiltWorkload } from './workloads.ts';
import { missing, probeCapabilities, staticCapabilities, type Capabilities } from './capabilities.ts';
import type { LoadJob, LoadResult } from './load-generator.ts';
import { formatSummary, summarizeProfile, type CpuProfile, type ProfileSummary } from './profile-summary.ts';
import { evaluateTargets, type Target } from './targets.ts';
import { formatTable, type ResultRow, type SpecialRow } from './report.ts';

// The SDK clients only set up the runs; their notice about future Node versions is noise here.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

const REGION = 'us-east-1';
const ACCOUNT_ID = '123456789012';

const HELP = `npm run bench -- [options]
  --scenario <names>     comma-separated scenario or group names (default: all)
                         ${[...new Set(SCENARIOS.flatMap((s) => [s.name, s.group]))].join(', ')}
  --duration <s>         measured seconds per run (default: 2/3/5/3 s at 1/8/32/64 connections)
  --warmup <s>           unmeasured seconds before each run (default 1; a server's first run
                         also until 3,000 answers, at most 6 s, so its code is optimized; 0: none)
  --connections <list>   connection counts, e.g. 1,8,32,64 (default: per scenario)
  --payload <bytes>      plaintext size for Encrypt/Decrypt/ReEncrypt (default 256, max 4096)
  --keys <n>             keys seeded into the data dir before start (default 10000)
  --audit-events <n>     events in the audit dataset (default 1000000); seeded once and cached in
                         ${CACHE_ROOT}
  --no-cache             seed the audit dataset in the run's temp dir and delete it afterwards
  --client <raw|http>    generator HTTP client: minimal keep-alive (raw, default) or node:http Agent
  --log-level <level>    server log level (default info, as in production)
  --server-env <K=V,..>  extra environment for every Kontext server, e.g. KONTEXT_AUDIT_MODE=off
  --profile              instead of the scenarios: Encrypt (or the first --scenario) at 32
                         connections under --cpu-prof,
                         then the top functions by self time
  --out <file>           results file (default bench/results/<date>.json, <date>.<scenarios>.json
                         when --scenario is given)
  --wait-quiet <min>     first wait up to this many minutes for the 1-minute load average to
                         drop below 1 (other work on the machine skews every number)
  --keep                 keep the temporary data directories and logs
Environment: KONTEXT_BENCH_SERVER_ROOT=<checkout> measures the server of another checkout (to
compare commits) with this tree's harness.`;

interface Options {
  scenarios: Scenario[];
  scenarioSpec: string | undefined;
  durationS: number | undefined;
  warmupS: number;
  connections: number[] | undefined;
  payload: number;
  keys: number;
  auditEvents: number;
  cache: boolean;
  client: 'raw' | 'http';
  logLevel: string;
  serverEnv: Record<string, string>;
  profile: boolean;
  out: string | undefined;
  keep: boolean;
  waitQuietMin: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      payload: { type: 'string' },
      keys: { type: 'string' },
      'audit-events': { type: 'string' },
      'no-cache': { type: 'boolean' },
      client: { type: 'string' },
      'log-level': { type: 'string' },
      'server-env': { type: 'string' },
      profile: { type: 'boolean' },
      out: { type: 'string' },
      keep: { type: 'boolean' },
      'wait-quiet': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP + '\n');
    process.exit(0);
  }
  const positive = (v: string | undefined, name: string, d: number | undefined): number | undefined => {
    if (v === undefined) return d;
    const n = Number(v);
    if (!(n > 0)) throw new Error(`--${name} must be a positive number: '${v}'`);
    return n;
  };
  const connections = values.connections?.split(',').map((c) => {
    const n = Number(c);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--connections must list positive integers: '${values.connections}'`);
    return n;
  });
  const payload = positive(values.payload, 'payload', 256) as number;
  if (!Number.isInteger(payload) || payload > 4096) throw new Error(`--payload must be an integer from 1 to 4096: '${values.payload}'`);
  const client = values.client ?? 'raw';
  if (client !== 'raw' && client !== 'http') throw new Error(`--client must be raw or http: '${client}'`);
  return {
    scenarios: selectScenarios(values.scenario),
    scenarioSpec: values.scenario,
    durationS: positive(values.duration, 'duration', undefined),
    warmupS: values.warmup === '0' ? 0 : (positive(values.warmup, 'warmup', 1) as number),
    connections,
    payload,
    keys: values.keys === '0' ? 0 : (positive(values.keys, 'keys', 10_000) as number),
    auditEvents: positive(values['audit-events'], 'audit-events', 1_000_000) as number,
    cache: !(values['no-cache'] ?? false),
    client,
    logLevel: values['log-level'] ?? 'info',
    serverEnv: Object.fromEntries(
      (values['server-env'] ?? '')
        .split(',')
        .filter(Boolean)
        .map((kv) => {
          const eq = kv.indexOf('=');
          if (eq <= 0) throw new Error(`--server-env takes NAME=value pairs: '${kv}'`);
          return [kv.slice(0, eq), kv.slice(eq + 1)];
        }),
    ),
    profile: values.profile ?? false,
    out: values.out,
    keep: values.keep ?? false,
    waitQuietMin: positive(values['wait-quiet'], 'wait-quiet', 0) as number,
  };
}

function machine(pin: Pinning) {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const git = (args: string[]) => spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  return {
    cores: availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    pinning: pin.note,
    commit: `${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain', '--untracked-files=no']) ? ' (with uncommitted changes)' : ''}${SERVER_ROOT !== REPO_ROOT ? `; server from ${SERVER_ROOT}` : ''}`,
  };
}

const log = (line: string) => process.stderr.write(line + '\n');

/** The server environment: no inherited KONTEXT_* settings, the bench admin, the chosen log level. */
function serverEnv(opts: Options, extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('KONTEXT_')) env[k] = v;
  return {
    ...env,
    KONTEXT_ADMIN_ACCESS_KEY_ID: BENCH_ADMIN.accessKeyId,
    KONTEXT_ADMIN_SECRET_ACCESS_KEY: BENCH_ADMIN.secretAccessKey,
    KONTEXT_LOG_LEVEL: opts.logLevel,
    ...opts.serverEnv,
    ...extra,
  };
}

/** A private copy of a prepared data directory, so runs never change the template or the cache. */
function copyDataset(work: string, from: string, name: string): string {
  const dataDir = join(work, `data-${name}`);
  rmSync(dataDir, { recursive: true, force: true });
  cpSync(from, dataDir, { recursive: true });
  return dataDir;
}

async function startKontext(work: string, template: string, name: string, setup: ServerSetup, opts: Options, pin: Pinning, nodeFlags: readonly string[] = []): Promise<ServerHandle> {
  const dataDir = copyDataset(work, template, name);
  const server = await startLoggedServer({
    cpu: pin.serverCpu,
    args: kontextServerArgs(dataDir, setup.args, nodeFlags),
    env: serverEnv(opts, setup.env),
    logFile: join(work, `server-${name}.log`),
    ready: /Kontext ready on (http:\/\/[^"\s]+)/,
  });
  // The production build, as `npm start` runs it: a server on the TypeScript sources means dist/ is stale.
  if (!readFileSync(server.logFile, 'utf8').includes('"runtime":"compiled"')) log(`warning: ${name} runs the TypeScript sources, not the compiled build (dist/ older than src/?)`);
  return server;
}

async function startBaseline(work: string, pin: Pinning): Promise<ServerHandle> {
  return startLoggedServer({
    cpu: pin.serverCpu,
    args: ['--import', 'tsx', join(REPO_ROOT, 'bench/baseline-server.ts')],
    env: process.env,
    logFile: join(work, 'server-baseline.log'),
    ready: /Baseline ready on (http:\/\/\S+)/,
  });
}

/** Times `kontext audit verify` over a data directory, pinned where the server runs. */
function verifyTrail(dataDir: string, pin: Pinning): { ok: boolean; ms: number; detail: string } {
  const args = [KONTEXT_BIN, 'audit', 'verify', '--data-dir', dataDir, '--json'];
  const started = Date.now();
  const r = pin.serverCpu === undefined
    ? spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync('taskset', ['-c', String(pin.serverCpu), process.execPath, ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Date.now() - started;
  let detail = '';
  try {
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    const counts = Object.entries(report).filter(([, v]) => typeof v === 'number').map(([k, v]) => `${k} ${v}`);
    detail = counts.join(', ');
  } catch {
    detail = (r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' ');
  }
  return { ok: r.status === 0, ms, detail };
}

/** One generator run against a server; server CPU is read from /proc at the window's edges. */
interface GeneratorRun {
  readonly result: LoadResult;
  readonly serverCpu: number | undefined;
  readonly rss: number | undefined;
  readonly peakRss: number | undefined;
  /** The measured window on the monotonic clock, microseconds (to cut a CPU profile to it). */
  readonly windowUs: { readonly fromUs: number; readonly toUs: number };
}

/** Servers that have had their first (longer) warm-up. */
const warmedServers = new WeakSet<ServerHandle>();

async function runGenerator(work: string, server: ServerHandle, built: BuiltWorkload, connections: number, opts: Options, pin: Pinning, scenarioDurationS?: number): Promise<GeneratorRun> {
  const durationS = opts.durationS ?? scenarioDurationS ?? defaultDurationSeconds(connections);
  const job: LoadJob = {
    url: server.url,
    connections,
    warmupMs: opts.warmupS * 1000,
    // A freshly started server runs its first requests unoptimized: its first run also warms up by
    // count (bounded); later runs on the same server need the time-based warm-up only.
    warmupRequests: opts.warmupS > 0 && !warmedServers.has(server) ? 3000 : 0,
    maxWarmupMs: opts.warmupS > 0 && !warmedServers.has(server) ? 6000 : 0,
    durationMs: durationS * 1000,
    requests: built.requests,
    credentials: built.credentials,
    region: REGION,
    client: opts.client,
    expectField: built.expectField,
  };
  warmedServers.add(server);
  const jobFile = join(work, 'job.json');
  writeFileSync(jobFile, JSON.stringify(job));
  const child = spawnNode(pin.generatorCpu, ['--import', 'tsx', join(REPO_ROOT, 'bench/load-generator.ts'), jobFile]);
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  let start: ReturnType<typeof procSample>;
  let end: ReturnType<typeof procSample>;
  let result: LoadResult | undefined;
  const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
  let fromUs = 0;
  let toUs = 0;
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    const msg = JSON.parse(line) as { event: string };
    if (msg.event === 'measure-start') {
      fromUs = monotonicUs();
      start = procSample(server.pid);
    } else if (msg.event === 'measure-end') {
      toUs = monotonicUs();
      end = procSample(server.pid);
    }
    else if (msg.event === 'result') result = msg as LoadResult;
  });
  const code = await new Promise<number | null>((res) => child.once('exit', res));
  await new Promise((r) => setImmediate(r));
  if (code !== 0 || !result) throw new Error(`load generator failed (exit ${code}): ${stderr.slice(-2000)}`);
  return { result, serverCpu: cpuPercent(start, end), rss: end?.rssMb, peakRss: end?.peakRssMb, windowUs: { fromUs, toUs } };
}

function boundBy(serverCpu: number | undefined, generatorCpu: number): string {
  if (serverCpu !== undefined && serverCpu >= 85) return 'server';
  if (generatorCpu >= 85) return 'GENERATOR';
  return 'latency';
}

async function runLoadScenario(s: LoadScenario, server: ServerHandle, builder: WorkloadBuilder | undefined, work: string, opts: Options, pin: Pinning, rows: ResultRow[]): Promise<GeneratorRun[]> {
  const runs: GeneratorRun[] = [];
  const built = builder
    ? await builder.build(s.workload, { principal: s.principal, keyPolicy: s.keyPolicy, payload: opts.payload })
    : await baselineWorkload(opts);
  for (const connections of opts.connections ?? s.connections) {
    const run = await runGenerator(work, server, built, connections, opts, pin, s.durationS);
    runs.push(run);
    const { result, serverCpu, rss, peakRss } = run;
    const row: ResultRow = {
      scenario: s.name,
      group: s.group,
      title: s.title,
      server: [...Object.entries(s.server.env).map(([k, v]) => `${k}=${v}`), ...s.server.args].join(' '),
      connections,
      rps: result.rps,
      ok: result.ok,
      errors: result.errors,
      errorCount: Object.values(result.errors).reduce((a, b) => a + b, 0),
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.mean },
      serverCpuPercent: serverCpu,
      serverCpuUsPerRequest: serverCpu === undefined || result.rps === 0 ? undefined : Math.round((serverCpu / 100) * (1e6 / result.rps)),
      generatorCpuPercent: result.generatorCpuPercent,
      bound: boundBy(serverCpu, result.generatorCpuPercent),
      serverRssMb: rss,
      serverPeakRssMb: peakRss,
      measuredMs: result.measuredMs,
      warmup: result.warmup,
    };
    rows.push(row);
    const errs = row.errorCount > 0 ? `  errors ${JSON.stringify(row.errors)}` : '';
    log(`  ${s.name.padEnd(18)} c=${String(connections).padEnd(3)} ${String(row.rps).padStart(6)} req/s  p50 ${row.latencyMs.p50} ms  p99 ${row.latencyMs.p99} ms  server ${serverCpu ?? '?'}%  gen ${row.generatorCpuPercent}%  rss ${rss ?? '?'} MB${errs}`);
  }
  return runs;
}

/** The baseline gets the Encrypt bodies Kontext gets (no server to set up keys on). */
async function baselineWorkload(opts: Options): Promise<BuiltWorkload> {
  const { randomBytes, randomUUID } = await import('node:crypto');
  const { BENCH_CONTEXT } = await import('./workloads.ts');
  const requests = Array.from({ length: 8 }, () => ({
    target: 'TrentService.Encrypt',
    body: JSON.stringify({ KeyId: randomUUID(), Plaintext: randomBytes(opts.payload).toString('base64'), EncryptionContext: BENCH_CONTEXT }),
  }));
  return { requests, expectField: 'CiphertextBlob', credentials: BENCH_ADMIN };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

const AUDIT_COST_PAIRS = 5;

/**
 * The cost of durable audit, robust to a noisy machine: the full-path Encrypt on a server with
 * audit on and one with audit off (both up, both pinned to the server core, one loaded at a time),
 * run in alternating pairs; the cost is the median of the pairs' throughput differences.
 */
async function runAuditCost(s: SpecialScenario, work: string, template: string, keyIds: string[], opts: Options, pin: Pinning): Promise<SpecialRow> {
  log(`audit on/off pairs (${AUDIT_COST_PAIRS}, Encrypt full path at 32 connections)`);
  const onSetup = (SCENARIOS.find((x) => x.name === 'encrypt-full-path') as LoadScenario).server;
  const offSetup = (SCENARIOS.find((x) => x.name === 'encrypt-audit-off') as LoadScenario).server;
  const servers: ServerHandle[] = [];
  try {
    servers.push(await startKontext(work, template, 'audit-pair-on', onSetup, opts, pin));
    servers.push(await startKontext(work, template, 'audit-pair-off', offSetup, opts, pin));
    const built = [];
    for (const server of servers) built.push(await new WorkloadBuilder(server.url, REGION, ACCOUNT_ID, keyIds).build('encrypt', { principal: 'assumed-role', keyPolicy: 'context-conditions', payload: opts.payload }));
    // Server CPU % tells a CPU-bound pair from one waiting on the disk (fsync) with the core idle.
    const pairs: Array<{ on: number; off: number; costPercent: number; onCpu: number | undefined; offCpu: number | undefined }> = [];
    for (let i = 0; i < AUDIT_COST_PAIRS; i++) {
      const on = await runGenerator(work, servers[0] as ServerHandle, built[0] as BuiltWorkload, 32, opts, pin);
      const off = await runGenerator(work, servers[1] as ServerHandle, built[1] as BuiltWorkload, 32, opts, pin);
      const costPercent = Math.round((1 - on.result.rps / off.result.rps) * 1000) / 10;
      pairs.push({ on: on.result.rps, off: off.result.rps, costPercent, onCpu: on.serverCpu, offCpu: off.serverCpu });
      log(`  pair ${i + 1}: ${on.result.rps} req/s with audit (server CPU ${on.serverCpu ?? '?'}%), ${off.result.rps} without (${off.serverCpu ?? '?'}%): ${costPercent}%`);
    }
    const sorted = pairs.map((p) => p.costPercent).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] as number;
    return { scenario: s.name, title: s.title, value: median, unit: '%', detail: `median of ${pairs.length} alternating pairs (req/s with/without audit, server CPU %): ${pairs.map((p) => `${p.on}/${p.off} (${p.onCpu ?? '?'}/${p.offCpu ?? '?'} %) ${p.costPercent}%`).join(', ')}` };
  } finally {
    for (const server of servers) await server.stop();
  }
}

async function runProfile(opts: Options, pin: Pinning, work: string, template: string, keyIds: string[]): Promise<void> {
  const profDir = join(work, 'profile');
  mkdirSync(profDir, { recursive: true });
  // --scenario picks what to profile (its first Kontext load scenario); Encrypt by default.
  const chosen = opts.scenarioSpec ? opts.scenarios.find((s): s is LoadScenario => s.kind === 'load' && s.server.target === 'kontext') : undefined;
  const scenario = chosen ?? (SCENARIOS.find((s) => s.name === 'encrypt') as LoadScenario);
  const server = await startKontext(work, template, 'profile', scenario.server, opts, pin, ['--cpu-prof', '--cpu-prof-dir', profDir]);
  const rows: ResultRow[] = [];
  let window: { fromUs: number; toUs: number } | undefined;
  try {
    const builder = new WorkloadBuilder(server.url, REGION, ACCOUNT_ID, keyIds);
    const runs = await runLoadScenario({ ...scenario, connections: [32] }, server, builder, work, { ...opts, connections: (opts.connections ?? [32]).slice(0, 1) }, pin, rows);
    window = runs[0]?.windowUs;
  } finally {
    await server.stop();
  }
  // One profile per thread: CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread.
  const files = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')).sort();
  const file = files.find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f));
  if (!file) throw new Error(`no main-thread .cpuprofile written in ${profDir} (did the server exit cleanly?)`);
  // The stages of a request, outermost first (names as they appear in src/ and node:http).
  const focus = [
    'parserOnHeadersComplete@_http_common',
    'handleRequest@http-server.ts',
    'authenticate@sigv4-authenticator.ts',
    'execute@pipeline.ts',
    'useKey@use-key.ts',
    'authorizeKey@use-key.ts',
    'encrypt@key-service.ts',
    'seal@symmetric.ts',
    'record@durable-audit-sink.ts',
    '#writeBatch@durable-audit-sink.ts',
    'sqliteTransaction@transaction.js',
    'fdatasync',
    'LOG@pino/lib/tools.js',
    'send@http-server.ts',
  ];
  const summarize = (f: string, top: number) => summarizeProfile(JSON.parse(readFileSync(join(profDir, f), 'utf8')) as CpuProfile, { top, root: REPO_ROOT, focus, ...(window ? { window } : {}) });
  const summary: ProfileSummary = summarize(file, 15);
  const seconds = window ? (window.toUs - window.fromUs) / 1e6 : undefined;
  const perRequest = seconds && rows[0]?.rps ? ` = ${Math.round((summary.busyMs * 1000) / (rows[0].rps * seconds))} µs per request` : '';
  let text = `Kontext server, ${rows[0]?.scenario ?? scenario.name} at ${rows[0]?.connections ?? 32} connections under --cpu-prof (${rows[0]?.rps ?? '?'} req/s while profiling); samples of the measured window only\n\nmain thread: ${formatSummary(summary).replace(/ms sampled/, `ms sampled${perRequest}`)}\n`;
  for (const worker of files.filter((f) => f !== file)) {
    const w = summarize(worker, 5);
    text += `\nworker thread ${worker.split('.').at(-3)}: busy ${w.busyMs} ms in the window; top: ${w.top.map((r) => `${r.name} ${r.selfPercent}%`).join(', ')}\n`;
  }
  process.stdout.write('\n' + text);
  mkdirSync(join(REPO_ROOT, 'bench/results'), { recursive: true });
  const out = opts.out ?? join(REPO_ROOT, 'bench/results', `${today()}-profile.txt`);
  writeFileSync(out, text);
  log(`profile summary written to ${out}${opts.keep ? `; profile: ${join(profDir, file)}` : ''}`);
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const pin = pinning(availableParallelism());
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'kontext-bench-'));
  if (opts.waitQuietMin > 0) {
    const until = Date.now() + opts.waitQuietMin * 60_000;
    while ((loadavg()[0] ?? 0) >= 1 && Date.now() < until) {
      log(`waiting for a quiet machine: 1-minute load average ${loadavg()[0]?.toFixed(2)}`);
      await new Promise((r) => setTimeout(r, 15_000));
    }
  }
  const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
  log(`kontext bench: ${pin.note}`);
  log(`load average at start ${loadAtStart.join(' ')}${(loadAtStart[0] ?? 0) > 0.5 * availableParallelism() ? ' — the machine is busy with other work: numbers will be low and noisy' : ''}`);
  log(`work dir ${work}`);
  try {
    const template = join(work, 'template');
    const selected = opts.profile ? [] : opts.scenarios;
    const needsKontext = opts.profile || selected.some((s) => s.kind !== 'load' || s.server.target === 'kontext');
    let keyIds: string[] = [];
    let seedMs = 0;
    if (needsKontext) {
      ensureBuilt();
      const seeded = await seedKeys(template, opts.keys, { region: REGION, accountId: ACCOUNT_ID });
      keyIds = seeded.keyIds;
      seedMs = seeded.ms;
      log(`seeded ${opts.keys} keys in ${seedMs} ms`);
    }
    if (opts.profile) {
      await runProfile(opts, pin, work, template, keyIds);
      return;
    }

    const caps: Capabilities = staticCapabilities();
    const rows: ResultRow[] = [];
    const special: SpecialRow[] = [];
    const skipped: Array<{ scenario: string; title: string; why: string[] }> = [];
    const skip = (s: Scenario, why: string[]) => {
      skipped.push({ scenario: s.name, title: s.title, why });
      log(`  SKIP ${s.name}: not available yet: ${why.join('; ')}`);
    };
    const loads = selected.filter((s): s is LoadScenario => s.kind === 'load');
    const verify = selected.find((s) => s.kind === 'audit-verify');

    // The 1,000,000-event data directory, prepared on first use.
    let audit: AuditDataset | undefined;
    const auditData = async (): Promise<AuditDataset> => {
      audit ??= await auditDataset({ events: opts.auditEvents, keys: opts.keys, region: REGION, accountId: ACCOUNT_ID, useCache: opts.cache, workDir: work, log });
      return audit;
    };

    // The baseline first, then each Kontext configuration the selected scenarios need: the default
    // one first (it also answers the capability probes), the 1,000,000-event one last.
    for (const s of loads.filter((x) => x.server.target === 'baseline')) {
      log(`baseline server`);
      const server = await startBaseline(work, pin);
      try {
        await runLoadScenario(s, server, undefined, work, opts, pin, rows);
      } finally {
        await server.stop();
      }
    }
    const setupKey = (s: ServerSetup) => JSON.stringify([s.dataset, s.args, s.env, s.instance ?? '']);
    const groups = new Map<string, { setup: ServerSetup; scenarios: LoadScenario[] }>([[setupKey(KONTEXT), { setup: KONTEXT, scenarios: [] }]]);
    const kontextLoads = loads.filter((s) => s.server.target === 'kontext');
    for (const s of [...kontextLoads.filter((x) => x.server.dataset === 'keys'), ...kontextLoads.filter((x) => x.server.dataset === 'audit')]) {
      const g = groups.get(setupKey(s.server)) ?? { setup: s.server, scenarios: [] };
      g.scenarios.push(s);
      groups.set(setupKey(s.server), g);
    }
    if (verify && ![...groups.values()].some((g) => g.setup.dataset === 'audit')) groups.set('verify-only', { setup: { ...KONTEXT, dataset: 'audit' }, scenarios: [] });
    let probed = false;
    for (const [key, { setup, scenarios }] of groups) {
      const isDefault = key === setupKey(KONTEXT);
      if (isDefault && !needsKontext) continue;
      // Gaps in switches and CLI commands are known before anything starts; behaviour is probed below.
      const runnable = scenarios.filter((s) => {
        const why = missing(s.requires.filter((c) => caps.has(c)), caps);
        if (why.length > 0) skip(s, why);
        return why.length === 0;
      });
      const verifyHere = setup.dataset === 'audit' && verify !== undefined;
      if (!isDefault && runnable.length === 0 && !verifyHere) continue;
      const described = [setup.dataset === 'audit' ? `${opts.auditEvents} audit events` : '', ...Object.entries(setup.env).map(([k, v]) => `${k}=${v}`), ...setup.args, setup.instance ? `own instance: ${setup.instance}` : ''].filter(Boolean).join(' ');
      const name = isDefault ? 'default' : described.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      let dataset = template;
      if (setup.dataset === 'audit') {
        try {
          dataset = (await auditData()).dir;
        } catch (err) {
          const why = [`seeding the audit events failed: ${err instanceof Error ? err.message : String(err)}`];
          for (const s of runnable) skip(s, why);
          if (verify) skip(verify, why);
          continue;
        }
      }
      let server: ServerHandle | undefined;
      if (runnable.length > 0 || isDefault) {
        log(`kontext server (${isDefault ? 'default configuration' : described})`);
        server = await startKontext(work, dataset, name, setup, opts, pin);
        if (setup.dataset === 'audit') {
          special.push({ scenario: 'startup-audit', title: 'start-up to ready line with the audit dataset', value: server.startupMs, unit: 'ms', detail: `one start on ${opts.auditEvents} events and ${opts.keys} keys` });
          log(`  start-up with ${opts.auditEvents} events: ${server.startupMs} ms`);
        }
        try {
          const builder = new WorkloadBuilder(server.url, REGION, ACCOUNT_ID, keyIds);
          if (!probed) {
            for (const [c, state] of await probeCapabilities(server.url, REGION, builder)) caps.set(c, state);
            probed = true;
            for (const [c, state] of caps) log(`  capability ${c}: ${state.available ? 'yes' : 'no'} (${state.why})`);
          }
          for (const s of runnable) {
            const why = missing(s.requires, caps);
            if (why.length > 0) {
              skip(s, why);
              continue;
            }
            try {
              await runLoadScenario(s, server, builder, work, opts, pin, rows);
            } catch (err) {
              skip(s, [`setup failed: ${err instanceof Error ? err.message : String(err)}`]);
            }
          }
        } finally {
          await server.stop();
        }
      }
      if (verifyHere && verify) {
        const why = missing(verify.requires, caps);
        if (why.length > 0) skip(verify, why);
        else {
          // On the data the server just ran on (its own query events included), or a fresh copy.
          const dir = server ? join(work, `data-${name}`) : copyDataset(work, dataset, 'verify');
          const r = verifyTrail(dir, pin);
          log(`  kontext audit verify: ${r.ok ? 'ok' : 'FAILED'} in ${r.ms} ms${r.detail ? ` (${r.detail})` : ''}`);
          if (r.ok) special.push({ scenario: verify.name, title: verify.title, value: r.ms, unit: 'ms', detail: `kontext audit verify --data-dir, pinned to the server's core${r.detail ? `; ${r.detail}` : ''}` });
          else skip(verify, [`kontext audit verify failed: ${r.detail}`]);
        }
      }
    }

    for (const s of selected.filter((x): x is SpecialScenario => x.kind === 'audit-cost')) {
      const why = missing(s.requires, caps);
      if (why.length > 0) skip(s, why);
      else special.push(await runAuditCost(s, work, template, keyIds, opts, pin));
    }

    for (const s of selected.filter((x) => x.kind === 'startup')) {
      log(`start-up with ${opts.keys} keys`);
      const samples: number[] = [];
      for (let i = 0; i < 3; i++) {
        const server = await startKontext(work, template, 'startup', KONTEXT, opts, pin);
        samples.push(server.startupMs);
        const rss = procSample(server.pid)?.rssMb;
        await server.stop();
        log(`  start-up ${server.startupMs} ms (rss at ready ${rss ?? '?'} MB)`);
      }
      const sorted = [...samples].sort((a, b) => a - b);
      special.push({ scenario: s.name, title: s.title, value: sorted[1] as number, unit: 'ms', detail: `median of 3 starts with ${opts.keys} keys (${samples.join(', ')} ms), spawn to ready line` });
    }
    if (audit) special.push({ scenario: 'audit-dataset', title: 'the audit dataset', value: audit.sizeMb, unit: 'MB', detail: `${audit.events} events and ${opts.keys} keys on disk; ${audit.seededMs === undefined ? 'from the cache' : `seeded in ${Math.round(audit.seededMs / 1000)} s`}` });

    const baseline = rows.find((r) => r.scenario === 'baseline' && r.connections === 32);
    const encrypt32 = rows.find((r) => r.scenario === 'encrypt' && r.connections === 32);
    const ratio = baseline && encrypt32 ? Math.round((encrypt32.rps / baseline.rps) * 1000) / 10 : undefined;
    // The same comparison by server CPU per request, which does not depend on either run saturating its core.
    const cpuRatio = baseline?.serverCpuUsPerRequest && encrypt32?.serverCpuUsPerRequest ? Math.round((baseline.serverCpuUsPerRequest / encrypt32.serverCpuUsPerRequest) * 1000) / 10 : undefined;
    // Other work at the start: the load average at the end counts the bench's own two processes.
    const busiest = loadAtStart[0] ?? 0;
    const busy = busiest > 0.5 * availableParallelism() ? `measured on a busy machine (1-minute load average ${Math.round(busiest * 10) / 10} on ${availableParallelism()} cores before the run): not a verdict` : undefined;
    const targets: Target[] = evaluateTargets(rows, special, skipped, busy, opts.auditEvents);
    const report = {
      date: new Date().toISOString(),
      machine: machine(pin),
      options: { scenarios: opts.scenarioSpec ?? 'all', durationS: opts.durationS ?? 'default', warmupS: opts.warmupS, connections: opts.connections ?? 'default', payload: opts.payload, keys: opts.keys, auditEvents: opts.auditEvents, client: opts.client, serverLogLevel: opts.logLevel, serverEnv: opts.serverEnv },
      seedMs,
      results: rows,
      special,
      baselineRatio:
        ratio === undefined
          ? null
          : { encryptPercentOfBaselineAt32: ratio, encryptRps: encrypt32?.rps, baselineRps: baseline?.rps, cpuPerRequestPercent: cpuRatio ?? null, encryptCpuUsPerRequest: encrypt32?.serverCpuUsPerRequest, baselineCpuUsPerRequest: baseline?.serverCpuUsPerRequest },
      capabilities: Object.fromEntries([...caps].map(([k, v]) => [k, v])),
      skipped,
      targets,
      wallSeconds: Math.round((Date.now() - started) / 1000),
      /** 1, 5 and 15 minute load averages: other work on the machine skews every number. */
      loadAverage: { start: loadAtStart, end: loadavg().map((l) => Math.round(l * 100) / 100) },
    };
    process.stdout.write('\n' + formatTable(rows, special, skipped, targets, { rps: ratio, cpu: cpuRatio }, report.machine) + '\n');
    process.stdout.write(`\nLoad average (1/5/15 min): ${report.loadAverage.start.join(' ')} at start, ${report.loadAverage.end.join(' ')} at end\n`);
    mkdirSync(join(REPO_ROOT, 'bench/results'), { recursive: true });
    const suffix = opts.scenarioSpec ? `.${opts.scenarioSpec.replace(/[^a-z0-9,-]/gi, '').replace(/,/g, '+')}` : '';
    const out = opts.out ?? join(REPO_ROOT, 'bench/results', `${today()}${suffix}.json`);
    writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
    log(`\nresults written to ${out} (${report.wallSeconds} s)`);
  } finally {
    if (opts.keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
