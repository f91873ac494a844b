import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { openMonitor, type Monitor } from './monitor.ts';
import { DEFAULT_MONITOR_SETTINGS } from './monitor-settings.ts';
import { verifySignature } from './webhook-signature.ts';
import { ACCOUNT, T0, committed, silentLog } from './monitor-test-kit.ts';
import { RuleFileError } from './rule-file.ts';

const SECRET = 'monitor-test-secret-0123456789';
let dir: string;
let hook: Server;
let hookUrl: string;
const received: Array<{ body: string; sig: string | undefined }> = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kontext-monitor-'));
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ body, sig: req.headers['x-kontext-signature'] as string | undefined });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
});

after(async () => {
  await new Promise<void>((r) => hook.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

function rulesFile(name: string, rules: object[]): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ Webhooks: [{ Name: 'ops', Url: hookUrl, SecretEnv: 'OPS_SECRET' }], Rules: rules }));
  return file;
}

let clock = T0;
async function open(store: SqliteStore, file: string): Promise<Monitor> {
  return openMonitor({
    store,
    settings: { ...DEFAULT_MONITOR_SETTINGS, rulesFile: file, webhookRetryBaseMs: 10 },
    accountId: ACCOUNT,
    log: silentLog as unknown as Logger,
    now: () => clock,
    env: { OPS_SECRET: SECRET },
    auditEnabled: false,
    defaultMetrics: false,
  });
}

async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('Monitor raises an alert from committed events, stores it and delivers it signed to the webhook', async () => {
  const store = openSqliteStore(join(dir, 'a.db'));
  const m = await open(store, rulesFile('a.json', [{ RuleName: 'probing', Kind: 'FailureBurst', Parameters: { Threshold: 3 } }]));
  m.auditObserver.committed?.(Array.from({ length: 3 }, (_, i) => committed({ time: T0 + i, error: 'InvalidCiphertextException', context: { customer_id: `guess${i}` } })));
  await m.drain();
  const [alert] = await m.alerts.list({ accountId: ACCOUNT, limit: 10 });
  assert.ok(alert);
  assert.equal(alert.ruleName, 'probing');
  assert.equal(alert.evidence.eventIds.length, 3);
  await until(async () => (await m.alerts.get(ACCOUNT, alert.alertId))?.deliveries[0]?.state === 'delivered', 'the delivery to be recorded');
  const delivered = received.find((r) => r.body.includes(alert.alertId));
  assert.ok(delivered);
  assert.equal(verifySignature(delivered.body, SECRET, delivered.sig), true);
  const body = JSON.parse(delivered.body);
  assert.equal(body.Alert.RuleName, 'probing');
  assert.equal(body.Alert.Evidence.Count, 3);
  await m.close();
  await store.close();
});

test('Monitor keeps learned values and the learning start of file rules across a restart', async () => {
  const file = rulesFile('b.json', [{ RuleName: 'new-customers', Kind: 'FirstUse', Parameters: { LearningPeriodSeconds: 60, ContextKeys: ['customer_id'] } }]);
  clock = T0;
  let store = openSqliteStore(join(dir, 'b.db'));
  let m = await open(store, file);
  m.auditObserver.committed?.([committed({ time: T0 + 1000, context: { customer_id: 'c1' } })]);
  await m.close();
  await store.close();

  clock = T0 + 3_600_000;
  store = openSqliteStore(join(dir, 'b.db'));
  m = await open(store, file);
  assert.equal(m.rules.list(ACCOUNT)[0]?.createdAt, T0, 'the learning period did not restart');
  m.auditObserver.committed?.([committed({ time: clock, context: { customer_id: 'c1' } }), committed({ time: clock, context: { customer_id: 'c2' } })]);
  await m.drain();
  const alerts = await m.alerts.list({ accountId: ACCOUNT, ruleName: 'new-customers', limit: 10 });
  assert.deepEqual(alerts.map((a) => a.evidence.details['newContext']), [['customer_id=c2']]);
  await m.close();
  await store.close();
});

test('Monitor rule administration: API rules are stored, file rules are read-only, unknown webhooks and names are refused', async () => {
  const store = openSqliteStore(join(dir, 'c.db'));
  const m = await open(store, rulesFile('c.json', [{ RuleName: 'from-file', Kind: 'ConfigChange' }]));
  const put = await m.rules.put(ACCOUNT, { RuleName: 'grants', Kind: 'ConfigChange', Parameters: { EventNames: ['CreateGrant'] }, Webhooks: ['ops'] });
  assert.equal(put.source, 'api');
  assert.deepEqual(m.rules.list(ACCOUNT).map((r) => [r.document.RuleName, r.source]), [['from-file', 'file'], ['grants', 'api']]);
  await assert.rejects(m.rules.put(ACCOUNT, { RuleName: 'from-file', Kind: 'ConfigChange' }), { name: 'ValidationException', message: /'ruleName'/ });
  await assert.rejects(m.rules.put(ACCOUNT, { RuleName: 'x', Kind: 'ConfigChange', Webhooks: ['nope'] }), { name: 'ValidationException', message: /'webhooks.1.member'/ });
  await assert.rejects(m.rules.put(ACCOUNT, { RuleName: 'x', Kind: 'FailureBurst', Parameters: { WindowSeconds: -1 } }), { name: 'ValidationException', message: /'parameters.windowSeconds'/ });
  await assert.rejects(m.rules.delete(ACCOUNT, 'from-file'), { name: 'ValidationException' });
  await assert.rejects(m.rules.delete(ACCOUNT, 'missing'), { name: 'NotFoundException' });
  await m.close();
  await store.close();

  const again = openSqliteStore(join(dir, 'c.db'));
  const m2 = await open(again, rulesFile('c.json', [{ RuleName: 'from-file', Kind: 'ConfigChange' }]));
  assert.deepEqual(m2.rules.list(ACCOUNT).map((r) => r.document.RuleName), ['from-file', 'grants']);
  await m2.rules.delete(ACCOUNT, 'grants');
  assert.deepEqual(m2.rules.list(ACCOUNT).map((r) => r.document.RuleName), ['from-file']);
  await m2.close();
  await again.close();
});

test('Monitor refuses to start with a bad rules file, listing every problem', async () => {
  const file = join(dir, 'bad.json');
  writeFileSync(
    file,
    JSON.stringify({
      Webhooks: [{ Name: 'ftp', Url: 'ftp://example.com/x', Secret: 'x'.repeat(16) }, { Name: 'nosecret', Url: 'http://127.0.0.1:1/' }],
      Rules: [{ RuleName: 'a', Kind: 'Nope' }, { RuleName: 'b', Kind: 'OutsideAllowed', Parameters: { AllowedSourceCidrs: ['300.1.1.1/8'] } }],
    }),
  );
  const store = openSqliteStore(':memory:');
  await assert.rejects(open(store, file), (err: Error) => {
    assert.ok(err instanceof RuleFileError);
    for (const part of ['webhooks.1.member.url', 'webhooks.2.member', 'rules.1.member.kind', 'rules.2.member.parameters.allowedSourceCidrs.1.member']) assert.ok(err.message.includes(part), `${part} in ${err.message}`);
    return true;
  });
  await store.close();
});

test('Monitor readiness reports the store and stays bounded', async () => {
  const store = openSqliteStore(':memory:');
  const m = await open(store, '');
  assert.deepEqual(await m.readiness(), { ready: true, checks: { store: 'ok', audit: 'off' } });
  await m.close();
  await store.close();
});
