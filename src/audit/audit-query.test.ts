import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rootCaller } from '../identity/caller.ts';
import { ACCOUNT, KEY_ARN, assumedRole, openSink, record } from './audit-test-kit.ts';
import { searchAuditEvents, type AuditSearch } from './audit-query.ts';
import { AuditAttr, contextPairValue, type IndexTerm } from './event-index.ts';
import type { SqliteStore } from '../store/sqlite/sqlite-store.ts';

const OTHER_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/ffffffff-0000-0000-0000-000000000000`;
const T0 = 1_700_000_000_000;

async function trail(): Promise<SqliteStore> {
  const { store, sink } = await openSink();
  const keyOn = (arn: string) => ({ resources: [{ ARN: arn, accountId: arn.split(':')[4] as string, type: 'AWS::KMS::Key' }], reason: undefined, extraRequestParameters: {} });
  const rows = [
    record({ eventName: 'Encrypt', context: { customer_id: 'cust_98765', department: 'finance' }, completedAt: T0 }),
    record({ eventName: 'Decrypt', context: { customer_id: 'cust_98765', department: 'finance' }, completedAt: T0 + 1_000, caller: assumedRole }),
    record({ eventName: 'Decrypt', context: { customer_id: 'cust_11111' }, completedAt: T0 + 2_000, notes: keyOn(OTHER_KEY) }),
    record({ eventName: 'Decrypt', context: { customer_id: 'cust_98765' }, completedAt: T0 + 3_000, error: { code: 'InvalidCiphertextException', message: '', reason: 'context differs' } }),
    record({ eventName: 'Decrypt', context: { customer_id: 'cust_98765' }, completedAt: T0 + 4_000, caller: rootCaller('999999999999', 'AKIAOTHERACCOUNT0001'), notes: keyOn('arn:aws:kms:us-east-1:999999999999:key/k') }),
    record({ eventName: 'CreateKey', readOnly: false, requestParameters: { description: 'x' }, completedAt: T0 + 5_000 }),
  ];
  for (const r of rows) await sink.record(r);
  await sink.close();
  return store;
}

const search = (store: SqliteStore, terms: IndexTerm[], over: Partial<AuditSearch> = {}) =>
  searchAuditEvents(store.audit, { account: ACCOUNT, terms, startTime: undefined, endTime: undefined, limit: 50, nextToken: undefined, ...over });

const seqs = (r: { events: { seq: number }[] }) => r.events.map((e) => e.seq);

test('searchAuditEvents() finds every use of an encryption context pair, newest first', async () => {
  const store = await trail();
  assert.deepEqual(seqs(await search(store, [{ attr: AuditAttr.ContextPair, value: contextPairValue('customer_id', 'cust_98765') }])), [4, 2, 1]);
});

test('searchAuditEvents() combines filters: context pair, event name and principal', async () => {
  const store = await trail();
  const ctx = { attr: AuditAttr.ContextPair, value: contextPairValue('customer_id', 'cust_98765') };
  assert.deepEqual(seqs(await search(store, [ctx, { attr: AuditAttr.EventName, value: 'Decrypt' }])), [4, 2]);
  assert.deepEqual(seqs(await search(store, [ctx, { attr: AuditAttr.PrincipalArn, value: assumedRole.arn }])), [2]);
  assert.deepEqual(seqs(await search(store, [{ attr: AuditAttr.ContextKey, value: 'department' }])), [2, 1]);
});

test('searchAuditEvents() filters by key, error code, read-only and event source', async () => {
  const store = await trail();
  assert.deepEqual(seqs(await search(store, [{ attr: AuditAttr.ResourceName, value: OTHER_KEY }])), [3]);
  assert.deepEqual(seqs(await search(store, [{ attr: AuditAttr.ResourceName, value: KEY_ARN }])), [6, 4, 2, 1]);
  assert.deepEqual(seqs(await search(store, [{ attr: AuditAttr.ErrorCode, value: 'InvalidCiphertextException' }])), [4]);
  assert.deepEqual(seqs(await search(store, [{ attr: AuditAttr.ReadOnly, value: 'false' }])), [6]);
  assert.deepEqual(seqs(await search(store, [{ attr: AuditAttr.EventSource, value: 'kms.amazonaws.com' }])), [6, 4, 3, 2, 1]);
});

test('searchAuditEvents() applies a time range', async () => {
  const store = await trail();
  assert.deepEqual(seqs(await search(store, [], { startTime: T0 + 1_000, endTime: T0 + 3_000 })), [4, 3, 2]);
  assert.deepEqual(seqs(await search(store, [{ attr: AuditAttr.EventName, value: 'Decrypt' }], { startTime: T0 + 2_500 })), [4]);
  assert.deepEqual(seqs(await search(store, [], { startTime: T0 + 60_000 })), []);
});

test('searchAuditEvents() shows an account only its own events', async () => {
  const store = await trail();
  assert.ok(!seqs(await search(store, [])).includes(5));
  const other = await search(store, [], { account: '999999999999' });
  assert.deepEqual(seqs(other), [5]);
});

test('searchAuditEvents() shows a cross-account call to both the key owner and the caller', async () => {
  const { store, sink } = await openSink();
  await sink.record(record({ caller: rootCaller('999999999999', 'AKIAOTHERACCOUNT0001') }));
  await sink.close();
  assert.deepEqual(seqs(await search(store, [])), [1]);
  assert.deepEqual(seqs(await search(store, [], { account: '999999999999' })), [1]);
});

test('searchAuditEvents() pages with a token bound to the search', async () => {
  const store = await trail();
  const page1 = await search(store, [], { limit: 2 });
  assert.deepEqual(seqs(page1), [6, 4]);
  assert.ok(page1.nextToken);
  const page2 = await search(store, [], { limit: 2, nextToken: page1.nextToken });
  assert.deepEqual(seqs(page2), [3, 2]);
  const page3 = await search(store, [], { limit: 2, nextToken: page2.nextToken });
  assert.deepEqual(seqs(page3), [1]);
  assert.equal(page3.nextToken, undefined);
  await assert.rejects(search(store, [{ attr: AuditAttr.EventName, value: 'Decrypt' }], { limit: 2, nextToken: page1.nextToken }), { name: 'InvalidNextTokenException' });
  await assert.rejects(search(store, [], { nextToken: 'not-a-token' }), { name: 'InvalidNextTokenException' });
});

test('searchAuditEvents() finds an event by its id without an index entry, and only in its account', async () => {
  const store = await trail();
  const third = (await store.audit.events(3, 1))[0]!;
  const id = (JSON.parse(third.body) as { eventID: string }).eventID;
  assert.deepEqual(seqs(await search(store, [{ attr: AuditAttr.EventId, value: id }])), [3]);
  assert.deepEqual(seqs(await search(store, [{ attr: AuditAttr.EventId, value: id }], { account: '999999999999' })), []);
  assert.deepEqual(seqs(await search(store, [{ attr: AuditAttr.EventId, value: id.replace(/.$/, (c) => (c === '0' ? '1' : '0')) }])), []);
  assert.deepEqual(seqs(await search(store, [{ attr: AuditAttr.EventId, value: 'f47ac10b-58cc-4372-a567-0e02b2c3d479' }])), []);
});
