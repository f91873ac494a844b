// Micro-benchmark of SigV4 parse + verify, the per-request cost of authentication.
// Run: node --import tsx bench/sigv4.ts [iterations]   (a script, not a test; numbers vary by machine)

import { createHash, createHmac, hash } from 'node:crypto';
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import { SigningKeyCache } from '../src/identity/signing-key-cache.ts';
import { parseSigV4, verifySigV4, type SignedRequest } from '../src/identity/sigv4.ts';

export interface SigV4BenchResult {
  name: string;
  iterations: number;
  /** Wall-clock time per operation. */
  microsPerOp: number;
  /** Process CPU time per operation: steadier than wall time when other processes share the machine. */
  cpuMicrosPerOp: number;
  opsPerSecond: number;
}

const SIGNED_AT = new Date('2022-08-30T12:00:00Z');
const NOW = new Date(SIGNED_AT.getTime() + 60_000);
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const HOST = 'kms.us-east-1.amazonaws.com';
const BODY_BYTES = 400;

class NodeSha256 {
  readonly #hash;
  constructor(secret?: SourceData) {
    this.#hash =
      secret === undefined
        ? createHash('sha256')
        : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as Uint8Array));
  }
  update(data: Uint8Array): void {
    this.#hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

/** A KMS Encrypt body of exactly BODY_BYTES bytes, varied per request so no two hash alike. */
function encryptBody(i: number): string {
  const shell = (plaintext: string) =>
    JSON.stringify({
      KeyId: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      Plaintext: plaintext,
      EncryptionContext: { department: 'finance', customer_id: `cust_${i}` },
    });
  const room = BODY_BYTES - shell('').length;
  return shell(Buffer.alloc(room, i % 251).toString('base64').slice(0, room));
}

/**
 * Signs `count` Encrypt requests. `sdkShape` adds what @aws-sdk/client-kms v3 really signs
 * (9 headers, x-amz-content-sha256); otherwise 5 signed headers.
 */
async function signRequests(count: number, sdkShape: boolean): Promise<SignedRequest[]> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET },
    region: 'us-east-1',
    service: 'kms',
    sha256: NodeSha256,
    applyChecksum: sdkShape,
  });
  const out: SignedRequest[] = [];
  for (let i = 0; i < count; i++) {
    const body = encryptBody(i);
    const headers: Record<string, string> = {
      host: HOST,
      'content-type': 'application/x-amz-json-1.1',
      'content-length': String(Buffer.byteLength(body)),
      'x-amz-target': 'TrentService.Encrypt',
    };
    if (sdkShape) {
      headers['x-amz-user-agent'] = 'aws-sdk-js/3.1163.0';
      headers['amz-sdk-invocation-id'] = `a02ed78b-4fb3-4b81-a4fd-${String(i).padStart(12, '0')}`;
      headers['amz-sdk-request'] = 'attempt=1; max=3';
    }
    const signed = await signer.sign(
      { method: 'POST', protocol: 'https:', hostname: HOST, path: '/', query: {}, headers, body },
      { signingDate: new Date(SIGNED_AT.getTime() + (i % 60) * 1000) },
    );
    const received: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) received[name.toLowerCase()] = value;
    out.push({ method: 'POST', rawUrl: '/', headers: received, body: Buffer.from(body) });
  }
  return out;
}

let sink = 0;

function time(name: string, iterations: number, op: (i: number) => void): SigV4BenchResult {
  const warmup = Math.min(20_000, iterations);
  for (let i = 0; i < warmup; i++) op(i);
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) op(i);
  const nanos = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpuStart);
  return {
    name,
    iterations,
    microsPerOp: nanos / iterations / 1000,
    cpuMicrosPerOp: (cpu.user + cpu.system) / iterations,
    opsPerSecond: (iterations * 1e9) / nanos,
  };
}

export async function benchSigV4(options: { iterations?: number; requests?: number } = {}): Promise<SigV4BenchResult[]> {
  const iterations = options.iterations ?? 200_000;
  const count = options.requests ?? 1_000;
  const plain = await signRequests(count, false);
  const sdk = await signRequests(count, true);
  const pick = (set: SignedRequest[], i: number) => set[i % count] as SignedRequest;

  const warm = new SigningKeyCache();
  const verifyWith = (set: SignedRequest[], cache: () => SigningKeyCache) => (i: number) => {
    const req = pick(set, i);
    const parsed = parseSigV4(req, { now: NOW });
    verifySigV4(req, parsed, SECRET, { cache: cache() });
    sink += parsed.signature.length;
  };
  const key = Buffer.alloc(32, 7);

  return [
    time('parse only (5 signed headers)', iterations, (i) => {
      sink += parseSigV4(pick(plain, i), { now: NOW }).signedHeaders.length;
    }),
    time('parse + verify, warm cache (5 signed headers, 400 B body)', iterations, verifyWith(plain, () => warm)),
    time('parse + verify, warm cache (SDK v3 shape: 9 signed headers)', iterations, verifyWith(sdk, () => warm)),
    time(
      'parse + verify, cold cache (key derived every request)',
      Math.ceil(iterations / 4),
      verifyWith(plain, () => new SigningKeyCache()),
    ),
    // The crypto every verification must do, with the same node:crypto calls, and nothing else.
    time('floor: SHA-256(body) + SHA-256(canonical) + HMAC only', iterations, (i) => {
      const req = pick(plain, i);
      const bodyHash = hash('sha256', req.body, 'hex');
      const crHash = hash('sha256', bodyHash + bodyHash + bodyHash + bodyHash, 'hex');
      sink += createHmac('sha256', key).update(crHash).digest()[0] as number;
    }),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const iterations = Number(process.argv[2] ?? 200_000);
  const results = await benchSigV4({ iterations });
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}`;
  console.log(`SigV4 bench — ${new Date().toISOString()} — node ${process.version} — ${machine}`);
  for (const r of results) {
    const ops = Math.round(r.opsPerSecond).toLocaleString('en-US');
    console.log(
      `${r.name.padEnd(62)} ${r.microsPerOp.toFixed(2).padStart(7)} µs/op ${ops.padStart(10)} ops/s` +
        `  cpu ${r.cpuMicrosPerOp.toFixed(2).padStart(6)} µs/op  (${r.iterations.toLocaleString('en-US')} ops)`,
    );
  }
  if (sink === -1) console.log(sink); // keeps the measured work observable
}
