import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinearPattern, PatternError } from './linear-pattern.ts';

const PATTERNS = [
  '^cust_[0-9]+$', 'abc', '^$', '^a|b$', '(ab|a)*c', '^(?:[a-z]+-)*[a-z]+$', 'x{2,4}', '^x{3}$', 'a{0,2}b', '^a{2,}$', '\\bfoo\\b', '\\Bo\\B',
  '^[^0-9]*$', '[\\w.-]+@[\\w-]+\\.[a-z]{2,}', '^\\d{4}-\\d{2}-\\d{2}$', '^(a|ab)(c|bcd)(d*)$', '^.*$', '^[\\s\\S]{1,3}$', 'colou?r', '^(?<name>[A-Z])\\w*$',
  '[a-]x', '[]', '[^]', '^\\u0041\\x42$', 'a{', '^[a-c-e]+$', '(a*)*b', '(a|a)*$', '^(a+)+$', '^([a-z]+)*[0-9]$', '^(|a)+$', 'a??b', '^\\.\\*\\+$',
];

function randomString(alphabet: string, n: number, seed: number): string {
  let x = seed;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += alphabet[x % alphabet.length];
  }
  return s;
}

test('LinearPattern.test() agrees with RegExp.test() on random inputs', () => {
  const alphabet = 'abcdxyz019_-.@ AB\n*+';
  for (const p of PATTERNS) {
    const mine = new LinearPattern(p);
    const native = new RegExp(p);
    for (let i = 0; i < 400; i++) {
      const s = randomString(alphabet, i % 12, i * 7919 + p.length);
      assert.equal(mine.test(s), native.test(s), `/${p}/ on ${JSON.stringify(s)}`);
    }
  }
});

test('LinearPattern.test() agrees with RegExp.test() on chosen values', () => {
  const cases: Array<[string, string]> = [
    ['^cust_[0-9]+$', 'cust_98765'],
    ['^cust_[0-9]+$', 'cust_'],
    ['^cust_[0-9]+$', 'xcust_1'],
    ['\\bfoo\\b', 'a foo b'],
    ['\\bfoo\\b', 'afoo'],
    ['^(?:[a-z]+-)*[a-z]+$', 'payments-api-prod'],
    ['^(?:[a-z]+-)*[a-z]+$', 'payments--api'],
    ['[\\w.-]+@[\\w-]+\\.[a-z]{2,}', 'acme@tenants.example'],
    ['^\\d{4}-\\d{2}-\\d{2}$', '2024-01-15'],
    ['^\\d{4}-\\d{2}-\\d{2}$', '2024-1-15'],
  ];
  for (const [p, s] of cases) assert.equal(new LinearPattern(p).test(s), new RegExp(p).test(s), `/${p}/ on ${s}`);
});

// Finishing is the assertion: a backtracking engine would run for hours on these inputs.
test('catastrophic patterns finish on adversarial input', { timeout: 60_000 }, () => {
  const evil = 'a'.repeat(20_000) + '!';
  for (const p of ['^(a+)+$', '^(a|a)*$', '^(a|aa)+$', '^(a*)*b$', '^(\\w+\\s?)+$', '^a*a*a*a*a*a*b$']) {
    assert.equal(new LinearPattern(p).test(evil), false, p);
  }
});

test('LinearPattern refuses backreferences, lookaround, invalid and oversized patterns with a reason', () => {
  const refused: Array<[string, RegExp]> = [
    ['(a)\\1', /backreferences/],
    ['(?<x>a)\\k<x>', /backreferences/],
    ['(?=a)b', /lookahead/],
    ['(?<!a)b', /lookahead and lookbehind/],
    ['(unclosed', /not a valid regular expression/],
    ['a'.repeat(600), /at most 512/],
    ['a{1001}', /above 1000/],
    ['(a{1000}){1000}', /too complex/],
    ['\\p{L}', /Unicode property/],
    ['\\q', /unknown escape/],
  ];
  for (const [p, reason] of refused) {
    assert.throws(() => new LinearPattern(p), (e: Error) => e instanceof PatternError && reason.test(e.message), p);
  }
});
