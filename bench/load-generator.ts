// The load generator: a separate process (pinned to its own core by bench/run.ts) that keeps N
// keep-alive connections busy with freshly SigV4-signed awsJson1.1 requests (closed loop: each
// connection sends its next request when the previous answer is in). Reads its job from the JSON
// file named on the command line; prints `{"event":"measure-start"}`, `{"event":"measure-end"}`
// and finally one `{"event":"result",...}` line on stdout.

import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { RawConnection, type RawResponse } from './raw-connection.ts';
import { JSON_CONTENT_TYPE, RequestSigner, payloadHash, type Credentials } from './request-signer.ts';
import { LatencySamples, summarize, type LatencySummary } from './stats.ts';

export interface RequestTemplate {
  /** X-Amz-Target, e.g. TrentService.Encrypt */
  readonly target: string;
  /** The JSON body, sent as is. */
  readonly body: string;
  /** The SigV4 signing service (default kms). */
  readonly service?: string;
}

export interface LoadJob {
  readonly url: string;
  readonly connections: number;
  /** Unmeasured time first, and at least `warmupRequests` answers (JIT and caches warm), up to `maxWarmupMs`. */
  readonly warmupMs: number;
  readonly warmupRequests?: number;
  readonly maxWarmupMs?: number;
  readonly durationMs: number;
  /** Cycled round-robin over all connections. */
  readonly requests: readonly RequestTemplate[];
  readonly credentials: Credentials;
  readonly region: string;
  /** `raw` (default): minimal keep-alive client; `http`: node:http with a keep-alive Agent. */
  readonly client?: 'raw' | 'http';
  /** A top-level field every successful response must carry (checks the server did the work). */
  readonly expectField?: string;
}

export interface LoadResult {
  readonly event: 'result';
  readonly connections: number;
  readonly measuredMs: number;
  readonly completed: number;
  readonly ok: number;
  readonly errors: Record<string, number>;
  readonly rps: number;
  readonly latency: LatencySummary;
  /** Generator CPU over the measured window, percent of one core. */
  readonly generatorCpuPercent: number;
  readonly reconnects: number;
  readonly warmup: { readonly ms: number; readonly requests: number };
}

interface Template extends RequestTemplate {
  readonly hash: string;
  readonly length: number;
  readonly signer: RequestSigner;
}

type Callback = (err: Error | undefined, res: RawResponse | undefined) => void;

interface Sender {
  send(conn: number, t: Template, cb: Callback): void;
  close(): void;
  reconnects(): number;
}

function rawSender(host: string, port: number, n: number): Sender {
  const conns = Array.from({ length: n }, () => new RawConnection(host, port));
  const hostHeader = `${host}:${port}`;
  return {
    send(i, t, cb) {
      const { headerLines } = t.signer.signJson(hostHeader, t.target, t.hash);
      (conns[i] as RawConnection).send(`POST / HTTP/1.1\r\nHost: ${hostHeader}\r\nContent-Length: ${t.length}\r\n${headerLines}\r\n${t.body}`, cb);
    },
    close: () => conns.forEach((c) => c.close()),
    reconnects: () => conns.reduce((sum, c) => sum + Math.max(0, c.connects - 1), 0),
  };
}

function httpSender(host: string, port: number, n: number): Sender {
  const agent = new Agent({ keepAlive: true, maxSockets: n, maxFreeSockets: n });
  const hostHeader = `${host}:${port}`;
  let sockets = 0;
  return {
    send(_i, t, cb) {
      const { amzDate, authorization } = t.signer.signJson(hostHeader, t.target, t.hash);
      const headers: Record<string, string> = {
        'Content-Type': JSON_CONTENT_TYPE,
        'Content-Length': String(t.length),
        'X-Amz-Date': amzDate,
        'X-Amz-Target': t.target,
        Authorization: authorization,
      };
      const token = t.signer.sessionToken;
      if (token) headers['X-Amz-Security-Token'] = token;
      const req = httpRequest({ host, port, method: 'POST', path: '/', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(undefined, { status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', (err) => cb(err, undefined));
      });
      req.on('socket', (s) => {
        const tagged = s as { benchCounted?: boolean };
        if (!tagged.benchCounted) {
          tagged.benchCounted = true;
          sockets++;
        }
      });
      req.on('error', (err) => cb(err, undefined));
      req.end(t.body);
    },
    close: () => agent.destroy(),
    reconnects: () => Math.max(0, sockets - n),
  };
}

function errorKey(res: RawResponse): string {
  try {
    const type = (JSON.parse(res.body.toString('utf8')) as { __type?: string }).__type;
    return `${res.status} ${type ?? 'no __type'}`;
  } catch {
    return `${res.status} (non-JSON body)`;
  }
}

export async function runLoad(job: LoadJob, emit: (line: object) => void): Promise<LoadResult> {
  const url = new URL(job.url);
  const port = Number(url.port);
  const signers = new Map<string, RequestSigner>();
  const signerFor = (service: string) => {
    let s = signers.get(service);
    if (!s) signers.set(service, (s = new RequestSigner(job.credentials, job.region, service)));
    return s;
  };
  const templates: Template[] = job.requests.map((r) => ({ ...r, hash: payloadHash(r.body), length: Buffer.byteLength(r.body), signer: signerFor(r.service ?? 'kms') }));
  const sender = job.client === 'http' ? httpSender(url.hostname, port, job.connections) : rawSender(url.hostname, port, job.connections);

  const samples = new LatencySamples();
  const errors: Record<string, number> = {};
  let ok = 0;
  let next = 0;
  let warmed = 0;
  let measuring = false;
  let stopped = false;
  let inFlight = 0;
  const checked = new Set<number>();
  let resolveDrained: () => void = () => {};
  const drained = new Promise<void>((r) => (resolveDrained = r));

  const fire = (conn: number): void => {
    if (stopped) {
      if (inFlight === 0) resolveDrained();
      return;
    }
    const index = next++ % templates.length;
    const t = templates[index] as Template;
    const counted = measuring;
    const started = performance.now();
    inFlight++;
    sender.send(conn, t, (err, res) => {
      inFlight--;
      const micros = (performance.now() - started) * 1000;
      if (!counted) warmed++;
      if (counted && !stopped) {
        if (err) errors[`connection: ${err.message}`] = (errors[`connection: ${err.message}`] ?? 0) + 1;
        else if (res && res.status === 200) {
          if (job.expectField && !checked.has(index)) {
            checked.add(index);
            const parsed = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
            if (parsed[job.expectField] === undefined) errors[`200 without ${job.expectField}`] = (errors[`200 without ${job.expectField}`] ?? 0) + 1;
          }
          ok++;
          samples.add(micros);
        } else if (res) {
          const k = errorKey(res);
          errors[k] = (errors[k] ?? 0) + 1;
          samples.add(micros);
        }
      }
      if (err && !stopped) setTimeout(() => fire(conn), 10);
      else fire(conn);
    });
  };

  for (let c = 0; c < job.connections; c++) fire(c);
  const warmStart = performance.now();
  await new Promise((r) => setTimeout(r, job.warmupMs));
  const maxWarmupMs = Math.max(job.warmupMs, job.maxWarmupMs ?? 0);
  while (warmed < (job.warmupRequests ?? 0) && performance.now() - warmStart < maxWarmupMs) await new Promise((r) => setTimeout(r, 25));
  const warmup = { ms: Math.round(performance.now() - warmStart), requests: warmed };
  measuring = true;
  emit({ event: 'measure-start' });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, job.durationMs));
  stopped = true;
  const measuredMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  emit({ event: 'measure-end' });
  if (inFlight > 0) await Promise.race([drained, new Promise((r) => setTimeout(r, 5000))]);
  sender.close();

  const completed = samples.count + Object.entries(errors).filter(([k]) => k.startsWith('connection:')).reduce((s, [, v]) => s + v, 0);
  return {
    event: 'result',
    connections: job.connections,
    measuredMs: Math.round(measuredMs),
    completed,
    ok,
    errors,
    rps: Math.round((ok / measuredMs) * 1000),
    latency: summarize(samples),
    generatorCpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / measuredMs) * 100),
    reconnects: sender.reconnects(),
    warmup,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: load-generator.ts <job.json>\n');
    process.exit(2);
  }
  const job = JSON.parse(readFileSync(file, 'utf8')) as LoadJob;
  const emit = (line: object) => process.stdout.write(JSON.stringify(line) + '\n');
  runLoad(job, emit).then(
    (result) => {
      emit(result);
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`load generator failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
