import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileWildcard, compileWildcardParts, type StepMeter } from './wildcard.ts';
import { compileArnPattern } from './arn-pattern.ts';

describe('compileWildcard', () => {
  const cases: ReadonlyArray<readonly [pattern: string, value: string, expected: boolean]> = [
    ['cust_*', 'cust_98765', true],
    ['cust_*', 'cust_', true],
    ['cust_*', 'Cust_98765', false],
    ['cust_*', 'xcust_1', false],
    ['*', '', true],
    ['*', 'anything', true],
    ['', '', true],
    ['', 'a', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['*a*b*', 'xxaxxbxx', true],
    ['*a*b*', 'xxbxxaxx', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'acb', false],
    ['*ab?d*', 'zzabxdzz', true],
    ['*ab?d*', 'zzabdzz', false],
    ['ab*ba', 'aba', false],
    ['ab*ba', 'abba', true],
    ['**a**', 'xax', true],
    ['kms:Generate*', 'kms:GenerateDataKey', true],
    ['kms:Generate*', 'kms:Decrypt', false],
    ['?????', 'abcde', true],
    ['?????', 'abcd', false],
  ];
  for (const [pattern, value, expected] of cases) {
    it(`"${pattern}" ${expected ? 'matches' : 'does not match'} "${value}"`, () => {
      assert.equal(compileWildcard(pattern).test(value), expected);
    });
  }

  it('ignores case only when asked', () => {
    assert.equal(compileWildcard('KMS:decrypt').test('kms:Decrypt'), false);
    assert.equal(compileWildcard('KMS:de*', { ignoreCase: true }).test('kms:Decrypt'), true);
  });

  it('treats literal parts as plain characters', () => {
    const m = compileWildcardParts([{ glob: 'a' }, { literal: '*' }, { glob: '*' }]);
    assert.equal(m.test('a*xyz'), true);
    assert.equal(m.test('abxyz'), false);
  });

  it('lets ? match one character outside the Basic Multilingual Plane', () => {
    assert.equal(compileWildcard('a?b').test('a😀b'), true);
  });

  it('matches long ?-runs that span several machine words', () => {
    const run = 'x?'.repeat(40);
    const value = `zz${'xy'.repeat(40)}zz`;
    assert.equal(compileWildcard(`*${run}*`).test(value), true);
    assert.equal(compileWildcard(`*${run}q*`).test(value), false);
  });
});

describe('wildcard matching stays linear on hostile patterns', () => {
  const value = 'a'.repeat(10_000);
  const hostile = ['*****a*****a*****', '*a*a*a*a*a*a*a*a*b', '*aaaaaaaaaaaaaaaaaaaaab*', '*a?a?a?a?a?a?a?b*', '*?????????????????????????????????????b*'];
  for (const pattern of hostile) {
    it(`"${pattern}" against 10,000 characters costs at most a few steps per character`, () => {
      const matcher = compileWildcard(pattern);
      const meter: StepMeter = { steps: 0 };
      matcher.test(value, meter);
      const words = Math.ceil(pattern.length / 32);
      assert.ok(meter.steps <= 4 * (value.length + pattern.length) * words, `${meter.steps} steps`);
    });
  }

  // The step counts above prove linearity; this only checks that repeated hostile evaluations finish.
  it('1000 hostile evaluations finish', { timeout: 60_000 }, () => {
    const matcher = compileWildcard('*a*a*a*a*a*a*a*a*b');
    for (let i = 0; i < 1000; i++) assert.equal(matcher.test(value), false);
  });
});

describe('compileArnPattern', () => {
  const key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const cases: ReadonlyArray<readonly [pattern: string, expected: boolean]> = [
    [key, true],
    ['arn:aws:kms:*:111122223333:key/*', true],
    ['arn:aws:kms:*:444455556666:key/*', false],
    ['arn:aws:kms:us-east-1:111122223333:alias/*', false],
    ['arn:aws:*', true],
    ['*', true],
    ['arn:aws:kms:us-*-1:111122223333:key/1234abcd-*', true],
  ];
  for (const [pattern, expected] of cases) {
    it(`"${pattern}" ${expected ? 'matches' : 'does not match'} a key ARN`, () => {
      assert.equal(compileArnPattern([{ glob: pattern }]).test(key), expected);
    });
  }

  it('does not let * span a colon inside the first five components', () => {
    assert.equal(compileArnPattern([{ glob: 'arn:aws:kms:*:key/*' }]).test(key), false);
  });
});
