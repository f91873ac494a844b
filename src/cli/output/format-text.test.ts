import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatText } from './format-text.ts';
import { formatOutput, compileQuery } from './format-output.ts';

// Expected strings are what /usr/bin/aws (AWS CLI 2.9) printed for the same responses.
describe('formatText', () => {
  test('prints a nested object as an upper-cased row of sorted scalars, then its lists', () => {
    const describeKey = {
      KeyMetadata: {
        AWSAccountId: '123456789012',
        KeyId: 'k1',
        Arn: 'arn:k1',
        CreationDate: '2026-11-29T00:44:52.848000+00:00',
        Enabled: true,
        Description: 'probe',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeyState: 'Enabled',
        Origin: 'AWS_KMS',
        KeyManager: 'CUSTOMER',
        CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
        KeySpec: 'SYMMETRIC_DEFAULT',
        EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        MultiRegion: false,
      },
    };
    assert.equal(
      formatText(describeKey),
      'KEYMETADATA\t123456789012\tarn:k1\t2026-11-29T00:44:52.848000+00:00\tSYMMETRIC_DEFAULT\tprobe\tTrue\tk1\tCUSTOMER\tSYMMETRIC_DEFAULT\tEnabled\tENCRYPT_DECRYPT\tFalse\tAWS_KMS\n' +
        'ENCRYPTIONALGORITHMS\tSYMMETRIC_DEFAULT\n',
    );
  });

  test('prints a list of objects one row each with the union of their keys', () => {
    const out = formatText({ Aliases: [{ AliasName: 'alias/a', TargetKeyId: 'k' }, { AliasName: 'alias/aws/s3' }] });
    assert.equal(out, 'ALIASES\talias/a\tk\nALIASES\talias/aws/s3\t\n');
  });

  test('prints top-level scalars on one line in key order', () => {
    assert.equal(formatText({ KeyId: 'arn', CiphertextBlob: 'AQ==', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }), 'AQ==\tSYMMETRIC_DEFAULT\tarn\n');
    assert.equal(formatText({ KeyRotationEnabled: false }), 'False\n');
  });

  test('prints a bare string, a bare list and null as the AWS CLI does', () => {
    assert.equal(formatText('{\n  "a": 1\n}'), '{\n  "a": 1\n}\n');
    assert.equal(formatText(['a', 'b']), 'a\tb\n');
    assert.equal(formatText(null), 'None\n');
    assert.equal(formatText([]), '');
  });

  test('prints a list of scalars under its name one per row', () => {
    assert.equal(formatText({ PolicyNames: ['default', 'other'] }), 'POLICYNAMES\tdefault\nPOLICYNAMES\tother\n');
  });
});

describe('formatOutput', () => {
  test('json is indented by four spaces and an empty response prints nothing', () => {
    assert.equal(formatOutput({ Plaintext: 'H8Rf6EDypAc=' }, 'json'), '{\n    "Plaintext": "H8Rf6EDypAc="\n}\n');
    assert.equal(formatOutput({}, 'json'), '');
  });

  test('applies --query before formatting and prints null for no match', () => {
    const q = compileQuery('Aliases[].AliasName');
    assert.equal(formatOutput({ Aliases: [{ AliasName: 'alias/x' }] }, 'text', q), 'alias/x\n');
    assert.equal(formatOutput({}, 'json', compileQuery('Missing')), 'null\n');
    assert.equal(formatOutput({ a: [1, 2, 3] }, 'text', compileQuery('length(a)')), '3\n');
  });

  test('compileQuery rejects a malformed expression as a usage error', () => {
    assert.throws(() => compileQuery('Aliases['), (err: Error & { exitCode?: number }) => err.exitCode === 252 && /--query/.test(err.message));
  });
});
