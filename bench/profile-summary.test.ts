import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areaOf, summarizeProfile, type CpuProfile } from './profile-summary.ts';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '0' });

// (root) → handle (src/api) → seal (src/crypto); (root) → (garbage collector); (root) → (idle)
const profile: CpuProfile = {
  startTime: 0,
  endTime: 10_000,
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 4, 5] },
    { id: 2, callFrame: frame('handle', 'file:///repo/src/api/http-server.ts', 9), children: [3] },
    { id: 3, callFrame: frame('seal', 'file:///repo/src/crypto/symmetric.ts', 24) },
    { id: 4, callFrame: frame('(garbage collector)') },
    { id: 5, callFrame: frame('(idle)') },
  ],
  samples: [3, 3, 3, 2, 4, 5, 5],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 4000],
};

test('summarizeProfile() ranks functions by self time and leaves idle out', () => {
  const s = summarizeProfile(profile, { root: '/repo' });
  assert.equal(s.busyMs, 5);
  assert.equal(s.idleMs, 4);
  assert.deepEqual(
    s.top.map((r) => [r.name, r.selfMs, r.selfPercent, r.location]),
    [
      ['seal', 3, 60, 'src/crypto/symmetric.ts'],
      ['handle', 1, 20, 'src/api/http-server.ts'],
      ['(garbage collector)', 1, 20, ''],
    ],
  );
});

test('summarizeProfile() counts a caller\'s inclusive time over its callees', () => {
  const s = summarizeProfile(profile, { root: '/repo' });
  const handle = s.top.find((r) => r.name === 'handle');
  assert.equal(handle?.totalMs, 4);
  assert.equal(handle?.totalPercent, 80);
});

test('summarizeProfile() groups self time by area', () => {
  const s = summarizeProfile(profile, { root: '/repo' });
  assert.deepEqual(s.areas.map((a) => [a.area, a.selfPercent]), [['src/crypto', 60], ['src/api', 20], ['GC', 20]]);
});

test('summarizeProfile() honours the top limit', () => {
  assert.equal(summarizeProfile(profile, { top: 1 }).top.length, 1);
});

test('areaOf() names node internals and dependencies', () => {
  assert.equal(areaOf('writeHead', 'node:_http_server'), 'node internals');
  assert.equal(areaOf('write', 'file:///r/node_modules/pino/lib/proto.js'), 'dep: pino');
  assert.equal(areaOf('x', 'file:///r/node_modules/@smithy/core/dist/index.js'), 'dep: @smithy/core');
  assert.equal(areaOf('digest', ''), 'native built-ins');
  assert.equal(areaOf('seal', 'file:///r/dist/crypto/symmetric.js'), 'src/crypto', 'the compiled build counts as its source area');
});

test('summarizeProfile() keeps only the samples inside the window', () => {
  // Sample times: 1000, 2000, 3000, 4000, 5000, 6000, 10000 µs after startTime 0.
  const s = summarizeProfile(profile, { root: '/repo', window: { fromUs: 3500, toUs: 5500 } });
  assert.deepEqual(s.top.map((r) => [r.name, r.selfMs]), [['handle', 1], ['(garbage collector)', 1]]);
});

test('summarizeProfile() reports the inclusive time of the focus functions it finds', () => {
  const s = summarizeProfile(profile, { root: '/repo', focus: ['handle', 'seal@symmetric.ts', 'seal@other.ts', 'absent'] });
  assert.deepEqual(s.focus.map((f) => [f.name, f.totalPercent]), [['handle', 80], ['seal@symmetric.ts', 60]]);
});
