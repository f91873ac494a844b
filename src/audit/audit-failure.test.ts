import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Pipeline } from '../api/pipeline.ts';
import { DEFAULT_CONFIG } from '../config.ts';
import { rootCaller } from '../identity/caller.ts';
import { defineOperation, type OperationSpec } from '../operations/operation.ts';
import type { Services } from '../services.ts';
import type { AuditRepository } from '../store/audit-repository.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { ACCOUNT, openSink } from './audit-test-kit.ts';

const ping = defineOperation({
  service: 'kontext',
  name: 'Ping',
  action: 'kontext:Ping',
  readOnly: true,
  input: {},
  handle: async () => ({ Pong: true }),
  requestParameters: () => null,
}) as unknown as OperationSpec<unknown, unknown>;

test('a request whose audit write fails is answered with a 5xx error, and requests succeed again once the store recovers', async () => {
  const store = openSqliteStore(':memory:');
  let failing = false;
  const repo: AuditRepository = {
    ...store.audit,
    append: async (events) => {
      if (failing) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      return store.audit.append(events);
    },
  };
  const { sink } = await openSink({ repo }, store);
  const services = { config: DEFAULT_CONFIG, log: pino({ level: 'silent' }), now: () => Date.now() } as unknown as Services;
  const pipeline = new Pipeline(services, sink);
  let n = 0;
  const call = () =>
    pipeline.execute(ping, {
      meta: { requestId: `req-${++n}`, sourceIp: '127.0.0.1', userAgent: 'test', receivedAt: Date.now(), secureTransport: false },
      service: 'kontext',
      operationName: 'Ping',
      caller: rootCaller(ACCOUNT, 'AKIAEXAMPLEROOT00001'),
      region: 'us-east-1',
      decode: () => ({}),
    });

  assert.deepEqual((await call()).output, { Pong: true });
  failing = true;
  const failed = await call();
  assert.equal(failed.output, undefined, 'no unaudited answer');
  assert.equal(failed.error?.code, 'KMSInternalException');
  assert.equal(failed.error?.status, 500);
  failing = false;
  assert.deepEqual((await call()).output, { Pong: true });
  const ids = (await store.audit.events(0, 10)).map((r) => (JSON.parse(r.body) as { requestID: string }).requestID);
  assert.deepEqual(ids, ['req-1', 'req-3']);
  await sink.close();
});
