import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeToken, encodeToken, fullResult, paginate } from './paginate.ts';

/** A fake ListKeys over `n` items: Limit per page (default 3), markers "m<index>". */
function lister(n: number) {
  const calls: Array<Record<string, unknown>> = [];
  const items = Array.from({ length: n }, (_, i) => ({ KeyId: `k${i}` }));
  const send = async (input: Record<string, unknown>) => {
    calls.push(input);
    const from = typeof input['Marker'] === 'string' ? Number((input['Marker'] as string).slice(1)) : 0;
    const limit = (input['Limit'] as number | undefined) ?? 3;
    const page = items.slice(from, from + limit);
    const more = from + limit < n;
    return { Keys: page, Truncated: more, ...(more ? { NextMarker: `m${from + limit}` } : {}) };
  };
  return { send, calls };
}

const ids = (r: Record<string, unknown>) => (r['Keys'] as Array<{ KeyId: string }>).map((k) => k.KeyId);
const b64 = (s: string) => Buffer.from(s).toString('base64');

test('paginate fetches every page and fullResult merges them without markers', async () => {
  const { send, calls } = lister(7);
  const r = fullResult(await paginate(send, {}, 'Keys', {}));
  assert.deepEqual(ids(r), ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
  assert.deepEqual(Object.keys(r), ['Keys']);
  assert.equal(calls.length, 3);
});

test('paginate --page-size sets Limit on every call and still fetches all', async () => {
  const { send, calls } = lister(5);
  const r = fullResult(await paginate(send, {}, 'Keys', { pageSize: 2 }));
  assert.equal(ids(r).length, 5);
  assert.deepEqual(calls.map((c) => c['Limit']), [2, 2, 2]);
});

test('paginate --max-items inside a page leaves botocore\'s token with boto_truncate_amount', async () => {
  const { send } = lister(7);
  const r = fullResult(await paginate(send, {}, 'Keys', { maxItems: 4 }));
  assert.deepEqual(ids(r), ['k0', 'k1', 'k2', 'k3']);
  assert.equal(r['NextToken'], b64('{"Marker": "m3", "boto_truncate_amount": 1}'));
  const first = fullResult(await paginate(lister(7).send, {}, 'Keys', { maxItems: 2 }));
  assert.equal(first['NextToken'], b64('{"Marker": null, "boto_truncate_amount": 2}'));
});

test('paginate --max-items on a page boundary leaves the next marker alone; none when nothing remains', async () => {
  const r = fullResult(await paginate(lister(7).send, {}, 'Keys', { maxItems: 3 }));
  assert.equal(r['NextToken'], b64('{"Marker": "m3"}'));
  const all = fullResult(await paginate(lister(3).send, {}, 'Keys', { maxItems: 3 }));
  assert.equal(all['NextToken'], undefined);
});

test('paginate --starting-token resumes exactly after the items already printed, across tokens', async () => {
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const r = fullResult(await paginate(lister(8).send, {}, 'Keys', { maxItems: 2, ...(token ? { startingToken: token } : {}) }));
    seen.push(...ids(r));
    token = r['NextToken'] as string | undefined;
  } while (token);
  assert.deepEqual(seen, ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']);
});

test('decodeToken reads botocore tokens, its old "marker___n" form and a bare marker; encodeToken writes Python\'s JSON', () => {
  assert.deepEqual(decodeToken(b64('{"Marker": "abc", "boto_truncate_amount": 2}')), { marker: 'abc', skip: 2 });
  assert.deepEqual(decodeToken(b64('{"Marker": null, "boto_truncate_amount": 3}')), { marker: null, skip: 3 });
  assert.deepEqual(decodeToken('abc___4'), { marker: 'abc', skip: 4 });
  assert.deepEqual(decodeToken('garbage!'), { marker: 'garbage!', skip: 0 });
  assert.equal(Buffer.from(encodeToken({ marker: 'é', skip: 0 }, false), 'base64').toString(), '{"Marker": "\\u00e9"}');
});

test('decodeToken refuses a JSON token with a bad truncate amount (usage error)', () => {
  assert.throws(() => decodeToken(b64('{"Marker": "a", "boto_truncate_amount": "x"}')), { exitCode: 252, message: /Bad starting token/ });
});
