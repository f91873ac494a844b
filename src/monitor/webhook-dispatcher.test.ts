import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookDispatcher, type DispatcherOptions } from './webhook-dispatcher.ts';
import { SIGNATURE_HEADER, signBody, verifySignature } from './webhook-signature.ts';
import type { DeliveryStatus } from './alert-record.ts';
import { silentLog } from './monitor-test-kit.ts';

const SECRET = 'webhook-secret-0123456789';
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
const handlers = new Map<string, Handler>();
let server: Server;
let base: string;

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => (handlers.get(req.url ?? '') ?? ((_q, _b, r) => r.writeHead(404).end()))(req, body, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

function dispatcher(paths: string[], over: Partial<DispatcherOptions> = {}) {
  const records: Array<{ alertId: string; status: DeliveryStatus }> = [];
  const d = new WebhookDispatcher({
    webhooks: paths.map((p) => ({ name: p.slice(1), url: new URL(base + p), secret: SECRET })),
    timeoutMs: 2000,
    baseDelayMs: 5,
    maxDelayMs: 50,
    maxAttempts: 4,
    record: async (alertId, status) => void records.push({ alertId, status }),
    log: silentLog,
    now: () => Date.now(),
    random: () => 0.5,
    ...over,
  });
  return { d, records };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('signBody is the hex HMAC-SHA256 of the body, and verifySignature checks it', () => {
  const sig = signBody('{"a":1}', 'k'.repeat(16));
  assert.match(sig, /^sha256=[0-9a-f]{64}$/);
  assert.equal(verifySignature('{"a":1}', 'k'.repeat(16), sig), true);
  assert.equal(verifySignature('{"a":2}', 'k'.repeat(16), sig), false);
  assert.equal(verifySignature('{"a":1}', 'x'.repeat(16), sig), false);
  assert.equal(verifySignature('{"a":1}', 'k'.repeat(16), undefined), false);
});

test('WebhookDispatcher posts the body with a valid signature and records the delivery', async () => {
  const got: Array<{ body: string; sig: string | undefined; attempt: string | undefined }> = [];
  handlers.set('/ok', (req, body, res) => {
    got.push({ body, sig: req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined, attempt: req.headers['x-kontext-attempt'] as string | undefined });
    res.writeHead(204).end();
  });
  const { d, records } = dispatcher(['/ok']);
  d.deliver('a1', '{"Alert":1}', undefined);
  await until(() => records.length === 1, 'the delivery record');
  assert.equal(got.length, 1);
  assert.equal(verifySignature(got[0]!.body, SECRET, got[0]!.sig), true);
  assert.equal(got[0]!.attempt, '1');
  assert.equal(records[0]!.status.state, 'delivered');
  assert.equal(records[0]!.status.lastStatus, 204);
  await d.close(100);
});

test('WebhookDispatcher retries a failing webhook with backoff until it succeeds', async () => {
  let calls = 0;
  handlers.set('/flaky', (_req, _body, res) => {
    calls++;
    res.writeHead(calls < 3 ? 500 : 200).end('ok');
  });
  const { d, records } = dispatcher(['/flaky']);
  d.deliver('a2', '{}', ['flaky']);
  await until(() => records.some((r) => r.status.state === 'delivered'), 'the delivery');
  assert.equal(calls, 3);
  assert.deepEqual(records.map((r) => [r.status.state, r.status.attempts]), [['pending', 1], ['pending', 2], ['delivered', 3]]);
  assert.equal(records[0]!.status.lastError, 'HTTP 500');
  await d.close(100);
});

test('WebhookDispatcher backoff doubles from the base delay up to the cap', () => {
  const { d } = dispatcher([], { baseDelayMs: 1000, maxDelayMs: 5000 });
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => d.delayAfter(n)), [1000, 2000, 4000, 5000, 5000]);
  const jittery = dispatcher([], { baseDelayMs: 1000, maxDelayMs: 5000, random: () => 0 }).d;
  assert.equal(jittery.delayAfter(1), 800);
});

test('WebhookDispatcher gives up after the last attempt, and at once on a 4xx refusal', async () => {
  let refused = 0;
  handlers.set('/down', (_req, _body, res) => res.writeHead(503).end());
  handlers.set('/refuse', (_req, _body, res) => {
    refused++;
    res.writeHead(400).end();
  });
  const { d, records } = dispatcher(['/down', '/refuse'], { maxAttempts: 3 });
  d.deliver('a3', '{}', undefined);
  await until(() => records.filter((r) => r.status.state === 'failed').length === 2, 'both failures');
  const down = records.filter((r) => r.status.webhook === 'down');
  assert.deepEqual(down.map((r) => r.status.state), ['pending', 'pending', 'failed']);
  assert.equal(refused, 1);
  await d.close(100);
});

test('WebhookDispatcher: a webhook that hangs holds up neither other webhooks nor its own later alerts', async () => {
  const hung: ServerResponse[] = [];
  handlers.set('/hang', (_req, _body, res) => void hung.push(res));
  handlers.set('/fast', (_req, _body, res) => res.writeHead(200).end());
  const { d, records } = dispatcher(['/hang', '/fast'], { timeoutMs: 10_000, maxAttempts: 3, concurrency: 2 });
  for (let i = 0; i < 5; i++) d.deliver(`b${i}`, '{}', undefined);
  await until(() => records.filter((r) => r.status.webhook === 'fast' && r.status.state === 'delivered').length === 5, 'the fast deliveries');
  assert.ok(hung.length >= 1, 'the hanging webhook still holds requests');
  assert.ok(!records.some((r) => r.status.webhook === 'hang' && r.status.state === 'delivered'));
  await d.close(50);
  for (const res of hung) res.destroy();
});

test('WebhookDispatcher times out an attempt that gets no answer and records why', async () => {
  const hung: ServerResponse[] = [];
  handlers.set('/silent', (_req, _body, res) => void hung.push(res));
  const { d, records } = dispatcher(['/silent'], { timeoutMs: 200, maxAttempts: 1 });
  d.deliver('t1', '{}', undefined);
  await until(() => records.length === 1, 'the timed-out attempt');
  assert.equal(records[0]!.status.state, 'failed');
  assert.match(records[0]!.status.lastError ?? '', /timed out after 200 ms/);
  for (const res of hung) res.destroy();
  await d.close(50);
});

test('WebhookDispatcher bounds pending work per webhook: beyond it deliveries are dropped and recorded', async () => {
  const hung: ServerResponse[] = [];
  handlers.set('/slow', (_req, _body, res) => void hung.push(res));
  const { d, records } = dispatcher(['/slow'], { maxPending: 3, concurrency: 1, timeoutMs: 5000 });
  for (let i = 0; i < 10; i++) d.deliver(`c${i}`, '{}', undefined);
  await until(() => records.length === 7, 'the dropped records');
  assert.ok(records.every((r) => r.status.state === 'dropped'));
  await d.close(50);
  for (const res of hung) res.destroy();
});

test('WebhookDispatcher.close cancels retries (left pending to resume) and aborts attempts in flight after the grace period', async () => {
  handlers.set('/always-500', (_req, _body, res) => res.writeHead(500).end());
  const { d, records } = dispatcher(['/always-500'], { baseDelayMs: 60_000, maxDelayMs: 60_000 });
  d.deliver('d1', '{}', undefined);
  await until(() => records.length === 1, 'the first attempt');
  await d.close(100);
  assert.equal(records.at(-1)!.status.state, 'pending');
  d.deliver('d2', '{}', undefined);
  assert.equal(records.length, 1, 'nothing is attempted after close');
});
