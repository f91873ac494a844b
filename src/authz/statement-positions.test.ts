import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statementPositions } from './statement-positions.ts';

test('statementPositions() finds each statement of a pretty-printed policy', () => {
  const text = JSON.stringify({ Version: '2012-10-17', Id: 'x', Statement: [{ Sid: 'A', Effect: 'Allow', Action: 'kms:*', Resource: '*' }, { Sid: 'B"}', Effect: 'Deny', Action: ['a:b'], Resource: '*' }] }, null, 2);
  const spans = statementPositions(text);
  assert.equal(spans.length, 2);
  const lines = text.split('\n');
  const [a, b] = spans;
  assert.equal(lines[(a?.start.Line ?? 0) - 1]?.[(a?.start.Column ?? 0) - 1], '{');
  assert.equal(lines[(a?.end.Line ?? 0) - 1]?.[(a?.end.Column ?? 0) - 1], '}');
  assert.match(lines[(a?.start.Line ?? 0)] ?? '', /"Sid": "A"/);
  assert.match(lines[(b?.start.Line ?? 0)] ?? '', /"Sid": "B\\"}"/);
  assert.equal(lines[(b?.end.Line ?? 0) - 1]?.[(b?.end.Column ?? 0) - 1], '}');
});

test('statementPositions() handles a single statement object on one line', () => {
  const text = '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"},"Version":"2012-10-17"}';
  assert.deepEqual(statementPositions(text), [{ start: { Line: 1, Column: 14 }, end: { Line: 1, Column: 59 } }]);
});

test('statementPositions() gives nothing for text that is not a policy object', () => {
  assert.deepEqual(statementPositions('[]'), []);
  assert.deepEqual(statementPositions('{"Version":"2012-10-17"}'), []);
});
