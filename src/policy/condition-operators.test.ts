import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CONDITION_OPERATORS, parseDate, parseOperatorName } from './condition-operators.ts';
import { cidrContains, parseCidr, parseIp } from './ip-address.ts';
import { parseTemplate, resolveTemplate } from './policy-template.ts';

describe('parseOperatorName', () => {
  it('reads set qualifiers and IfExists in any case', () => {
    const parsed = parseOperatorName('forallvalues:stringequalsignorecaseifexists');
    assert.equal(parsed?.canonical, 'ForAllValues:StringEqualsIgnoreCaseIfExists');
    assert.equal(parsed?.qualifier, 'ForAllValues');
    assert.equal(parsed?.ifExists, true);
  });

  it('rejects unknown operators and qualifiers', () => {
    assert.equal(parseOperatorName('StringEqualz'), undefined);
    assert.equal(parseOperatorName('ForEach:StringEquals'), undefined);
    assert.equal(parseOperatorName('IfExists'), undefined);
  });

  it('covers every operator of the IAM reference', () => {
    const names = [...CONDITION_OPERATORS.values()].map((o) => o.name).sort();
    assert.equal(names.length, 27);
    for (const n of ['StringLike', 'ArnNotLike', 'NumericGreaterThanEquals', 'DateLessThanEquals', 'NotIpAddress', 'BinaryEquals', 'Null', 'Bool']) {
      assert.ok(names.includes(n), n);
    }
  });

  it('lets only String and ARN operators take policy variables', () => {
    const withVariables = [...CONDITION_OPERATORS.values()].filter((o) => o.acceptsVariables).map((o) => o.name);
    assert.ok(withVariables.every((n) => n.startsWith('String') || n.startsWith('Arn')));
    assert.equal(withVariables.length, 10);
  });
});

describe('parseDate', () => {
  it('reads ISO 8601 with and without a zone, dates alone and epoch seconds', () => {
    assert.equal(parseDate('2024-06-01T12:00:00Z'), Date.UTC(2024, 5, 1, 12));
    assert.equal(parseDate('2024-06-01T12:00:00'), Date.UTC(2024, 5, 1, 12));
    assert.equal(parseDate('2024-06-01T14:00:00+02:00'), Date.UTC(2024, 5, 1, 12));
    assert.equal(parseDate('2024-06-01'), Date.UTC(2024, 5, 1));
    assert.equal(parseDate('1717243200'), Date.UTC(2024, 5, 1, 12));
    assert.equal(parseDate('June 1st'), undefined);
  });
});

describe('ip addresses', () => {
  it('parses IPv6 forms, including an embedded IPv4 tail', () => {
    assert.deepEqual(parseIp('::1'), Uint8Array.from([...Array(15).fill(0), 1]));
    assert.equal(parseIp('2001:db8::1')?.length, 16);
    assert.deepEqual(parseIp('::ffff:203.0.113.7'), Uint8Array.from([203, 0, 113, 7]));
    assert.equal(parseIp('2001:db8:::1'), undefined);
    assert.equal(parseIp('1.2.3.256'), undefined);
  });

  it('matches prefixes that do not end on a byte boundary', () => {
    const cidr = parseCidr('10.0.0.0/12');
    assert.ok(cidr);
    assert.equal(cidrContains(cidr, parseIp('10.15.255.255') as Uint8Array), true);
    assert.equal(cidrContains(cidr, parseIp('10.16.0.0') as Uint8Array), false);
  });

  it('never matches across address families', () => {
    const cidr = parseCidr('::/0');
    assert.ok(cidr);
    assert.equal(cidrContains(cidr, parseIp('203.0.113.7') as Uint8Array), false);
  });
});

describe('policy templates', () => {
  const values = new Map<string, string | readonly string[]>([['aws:username', 'alice'], ['aws:tagkeys', ['a', 'b']]]);

  it('keeps ${...} as text when variables are disabled', () => {
    assert.deepEqual(parseTemplate('${aws:username}', false).parts, [{ kind: 'glob', text: '${aws:username}' }]);
  });

  it('resolves variables to literal text and escapes to literal characters', () => {
    const t = parseTemplate('home/${aws:username}/${*}', true);
    assert.deepEqual(resolveTemplate(t, values), [{ glob: 'home/' }, { literal: 'alice' }, { glob: '/' }, { literal: '*' }]);
  });

  it('fails to resolve a multi-valued key or a missing one without a default', () => {
    assert.equal(resolveTemplate(parseTemplate('${aws:TagKeys}', true), values), undefined);
    assert.equal(resolveTemplate(parseTemplate('${aws:userid}', true), values), undefined);
    assert.deepEqual(resolveTemplate(parseTemplate("${aws:userid, 'anonymous'}", true), values), [{ literal: 'anonymous' }]);
  });
});
