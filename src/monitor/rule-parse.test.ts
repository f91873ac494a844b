import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAlertRule } from './rule-parse.ts';
import { issueLines } from './doc-reader.ts';

const problems = (doc: unknown): string[] => {
  const r = parseAlertRule(doc);
  assert.ok(r.issues, 'expected validation issues');
  return issueLines(r.issues);
};

test('parseAlertRule fills in the defaults of a minimal rule', () => {
  const r = parseAlertRule({ RuleName: 'probing', Kind: 'FailureBurst' });
  assert.deepEqual(r.rule, {
    RuleName: 'probing',
    Kind: 'FailureBurst',
    Description: '',
    Enabled: true,
    Severity: 'high',
    Match: {},
    MaxAlertsPerHour: 60,
    Parameters: { ErrorCodes: ['InvalidCiphertextException', 'AccessDenied'], GroupBy: 'principal', Threshold: 10, WindowSeconds: 60, MaxEntries: 10000 },
  });
});

test('parseAlertRule rejects an unknown kind, naming the field', () => {
  assert.match(problems({ RuleName: 'r', Kind: 'Spooky' }).join(), /'kind' failed to satisfy constraint: Member must satisfy enum value set/);
});

test('parseAlertRule rejects a negative or zero window and a threshold below 1', () => {
  const p = problems({ RuleName: 'r', Kind: 'FailureBurst', Parameters: { WindowSeconds: -5, Threshold: 0 } });
  assert.ok(p.some((l) => l.startsWith("Value at 'parameters.windowSeconds'")), p.join());
  assert.ok(p.some((l) => l.startsWith("Value at 'parameters.threshold'")), p.join());
  assert.match(problems({ RuleName: 'r', Kind: 'RateSpike', Parameters: { WindowSeconds: 0 } }).join(), /parameters\.windowSeconds/);
  assert.match(problems({ RuleName: 'r', Kind: 'RateSpike', Parameters: { Factor: 1 } }).join(), /parameters\.factor' failed to satisfy constraint: Member must have value greater than 1/);
});

test('parseAlertRule rejects an invalid CIDR, naming which one', () => {
  const p = problems({ RuleName: 'r', Kind: 'OutsideAllowed', Parameters: { AllowedSourceCidrs: ['10.0.0.0/8', '10.0.0.0/33', 'example.com'] } });
  assert.equal(p.length, 2);
  assert.match(p[0] as string, /^Value at 'parameters.allowedSourceCidrs.2.member' .*'10\.0\.0\.0\/33'/);
});

test('parseAlertRule rejects a bad regular expression in Match and in parameters', () => {
  assert.match(problems({ RuleName: 'r', Kind: 'ConfigChange', Match: { PrincipalArnPattern: '(unclosed' } }).join(), /'match.principalArnPattern' .*valid regular expression/);
  assert.match(problems({ RuleName: 'r', Kind: 'OutsideAllowed', Parameters: { AllowedPrincipalPattern: '[z-a]' } }).join(), /'parameters.allowedPrincipalPattern'/);
});

test('parseAlertRule rejects misspelt members instead of silently using defaults', () => {
  assert.match(problems({ RuleName: 'r', Kind: 'FailureBurst', Parameters: { Treshold: 3 } }).join(), /'parameters.treshold' failed to satisfy constraint: Member is not recognized/);
  assert.match(problems({ RuleName: 'r', Kind: 'FailureBurst', Colour: 'red' }).join(), /'colour'/);
});

test('parseAlertRule checks names, types, hours and that OutsideAllowed allows something', () => {
  assert.match(problems({ Kind: 'ConfigChange' }).join(), /Value at 'ruleName' failed to satisfy constraint: Member must not be null/);
  assert.match(problems({ RuleName: 'bad name!', Kind: 'ConfigChange' }).join(), /'ruleName'.*regular expression/);
  assert.match(problems({ RuleName: 'r', Kind: 'ConfigChange', Enabled: 'yes' }).join(), /'enabled' failed to satisfy constraint: Member must be a boolean/);
  assert.match(problems({ RuleName: 'r', Kind: 'OutsideAllowed', Parameters: {} }).join(), /at least one of/);
  assert.match(problems({ RuleName: 'r', Kind: 'OutsideAllowed', Parameters: { AllowedHoursUtc: { Start: 25, End: 3 } } }).join(), /allowedHoursUtc.start/);
  assert.match(problems({ RuleName: 'r', Kind: 'OutsideAllowed', Parameters: { AllowedHoursUtc: { Start: 0, End: 24 } } }).join(), /same hour/);
  assert.match(problems({ RuleName: 'r', Kind: 'FirstUse', Parameters: { MaxEntries: 0 } }).join(), /parameters.maxEntries/);
  assert.match(problems('not an object').join(), /'body'/);
  assert.match(problems({ RuleName: 'r', Kind: 'FirstUse', Parameters: [] }).join(), /'parameters' failed to satisfy constraint: Member must be an object/);
});
