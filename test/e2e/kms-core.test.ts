// End-to-end: the real @aws-sdk/client-kms against a real server process, every core operation,
// its failure cases and the key-state transitions.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  KMSClient,
  CreateKeyCommand,
  DescribeKeyCommand,
  ListKeysCommand,
  EnableKeyCommand,
  DisableKeyCommand,
  ScheduleKeyDeletionCommand,
  CancelKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ListResourceTagsCommand,
  CreateAliasCommand,
  UpdateAliasCommand,
  DeleteAliasCommand,
  ListAliasesCommand,
  EncryptCommand,
  DecryptCommand,
  ReEncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  EnableKeyRotationCommand,
  DisableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  RotateKeyOnDemandCommand,
  ListKeyRotationsCommand,
  GetKeyPolicyCommand,
  ListKeyPoliciesCommand,
} from '@aws-sdk/client-kms';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

let server: ServerProcess;
let kms: KMSClient;
/** Plaintexts and data keys seen in this suite; none may reach the server's output. */
const secrets: string[] = ['sensitive-data-here', 'move me'];

const ctx = { department: 'finance', customer_id: 'cust_98765' };
const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

async function rejects(p: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (err: Error & { name: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    if (message) assert.match(err.message, message);
    return true;
  });
}

async function newKey(description = 'e2e'): Promise<string> {
  const out = await kms.send(new CreateKeyCommand({ Description: description }));
  return out.KeyMetadata!.KeyId!;
}

before(async () => {
  server = await startServerProcess();
  kms = new KMSClient(server.clientConfig());
});

after(async () => {
  kms?.destroy();
  await server?.stop();
  server?.cleanup();
});

describe('key management', () => {
  test('CreateKey returns symmetric key metadata with an ARN in the request region', async () => {
    const out = await kms.send(new CreateKeyCommand({ Description: 'orders', Tags: [{ TagKey: 'team', TagValue: 'payments' }] }));
    const md = out.KeyMetadata!;
    assert.match(md.KeyId!, /^[0-9a-f-]{36}$/);
    assert.equal(md.Arn, `arn:aws:kms:us-east-1:123456789012:key/${md.KeyId}`);
    assert.equal(md.AWSAccountId, '123456789012');
    assert.equal(md.KeyState, 'Enabled');
    assert.equal(md.Enabled, true);
    assert.equal(md.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(md.KeyUsage, 'ENCRYPT_DECRYPT');
    assert.equal(md.Origin, 'AWS_KMS');
    assert.equal(md.KeyManager, 'CUSTOMER');
    assert.deepEqual(md.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
    assert.ok(md.CreationDate instanceof Date && Math.abs(md.CreationDate.getTime() - Date.now()) < 60_000);
    const tags = await kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId }));
    assert.deepEqual(tags.Tags, [{ TagKey: 'team', TagValue: 'payments' }]);
  });

  test('CreateKey rejects asymmetric key specs it does not support with UnsupportedOperationException', async () => {
    await rejects(kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })), 'UnsupportedOperationException');
  });

  test('CreateKey rejects an unknown KeySpec value with ValidationException naming the field', async () => {
    await rejects(kms.send(new CreateKeyCommand({ KeySpec: 'AES_999' as never })), 'ValidationException', /keySpec/);
  });

  test('CreateKey rejects a policy that is not JSON with MalformedPolicyDocumentException', async () => {
    await rejects(kms.send(new CreateKeyCommand({ Policy: 'not json' })), 'MalformedPolicyDocumentException');
  });

  test('CreateKey rejects tags with the reserved aws: prefix with TagException', async () => {
    await rejects(kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'aws:owner', TagValue: 'x' }] })), 'TagException');
  });

  test('DescribeKey accepts key id, key ARN, alias name and alias ARN', async () => {
    const keyId = await newKey();
    const arn = `arn:aws:kms:us-east-1:123456789012:key/${keyId}`;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/describe-me', TargetKeyId: keyId }));
    for (const ref of [keyId, arn, 'alias/describe-me', 'arn:aws:kms:us-east-1:123456789012:alias/describe-me']) {
      const out = await kms.send(new DescribeKeyCommand({ KeyId: ref }));
      assert.equal(out.KeyMetadata!.KeyId, keyId, ref);
    }
  });

  test('DescribeKey returns NotFoundException for an unknown key, alias or malformed id', async () => {
    await rejects(kms.send(new DescribeKeyCommand({ KeyId: '00000000-0000-0000-0000-000000000000' })), 'NotFoundException', /does not exist/);
    await rejects(kms.send(new DescribeKeyCommand({ KeyId: 'alias/nope' })), 'NotFoundException', /alias\/nope is not found/);
    await rejects(kms.send(new DescribeKeyCommand({ KeyId: 'not-a-key' })), 'NotFoundException', /Invalid keyId/);
  });

  test('DescribeKey with an empty KeyId is a ValidationException', async () => {
    await rejects(kms.send(new DescribeKeyCommand({ KeyId: '' })), 'ValidationException', /keyId/);
  });

  test('keys are regional: a key created in us-east-1 is NotFoundException from eu-west-1', async () => {
    const keyId = await newKey();
    const eu = new KMSClient(server.clientConfig('eu-west-1'));
    try {
      await rejects(eu.send(new DescribeKeyCommand({ KeyId: keyId })), 'NotFoundException');
      const euKey = await eu.send(new CreateKeyCommand({}));
      assert.match(euKey.KeyMetadata!.Arn!, /^arn:aws:kms:eu-west-1:123456789012:key\//);
    } finally {
      eu.destroy();
    }
  });

  test('ListKeys pages with Limit and Marker and lists every key once', async () => {
    for (let i = 0; i < 5; i++) await newKey(`page-${i}`);
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const out = await kms.send(new ListKeysCommand({ Limit: 2, ...(marker ? { Marker: marker } : {}) }));
      assert.ok(out.Keys!.length <= 2);
      for (const k of out.Keys!) {
        assert.equal(k.KeyArn, `arn:aws:kms:us-east-1:123456789012:key/${k.KeyId}`);
        seen.push(k.KeyId!);
      }
      marker = out.Truncated ? out.NextMarker : undefined;
      if (out.Truncated) assert.ok(out.NextMarker);
      pages++;
    } while (marker);
    assert.ok(pages >= 3);
    assert.equal(new Set(seen).size, seen.length);
    const all = await kms.send(new ListKeysCommand({}));
    assert.equal(all.Keys!.length, seen.length);
  });

  test('ListKeys rejects a forged marker with InvalidMarkerException and an out-of-range Limit with ValidationException', async () => {
    await rejects(kms.send(new ListKeysCommand({ Marker: 'forged' })), 'InvalidMarkerException');
    await rejects(kms.send(new ListKeysCommand({ Limit: 1001 })), 'ValidationException', /limit/);
  });

  test('UpdateKeyDescription changes the description', async () => {
    const keyId = await newKey('before');
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: 'after' }));
    const out = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    assert.equal(out.KeyMetadata!.Description, 'after');
  });

  test('TagResource adds and overwrites, UntagResource removes', async () => {
    const keyId = await newKey();
    await kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'b', TagValue: '2' }] }));
    await kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'a', TagValue: '3' }] }));
    await kms.send(new UntagResourceCommand({ KeyId: keyId, TagKeys: ['b'] }));
    const out = await kms.send(new ListResourceTagsCommand({ KeyId: keyId }));
    assert.deepEqual(out.Tags, [{ TagKey: 'a', TagValue: '3' }]);
  });
});

describe('aliases', () => {
  test('CreateAlias, UpdateAlias, ListAliases and DeleteAlias manage an alias', async () => {
    const k1 = await newKey();
    const k2 = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app-data', TargetKeyId: k1 }));
    let list = await kms.send(new ListAliasesCommand({ KeyId: k1 }));
    assert.equal(list.Aliases!.length, 1);
    assert.equal(list.Aliases![0]!.AliasName, 'alias/app-data');
    assert.equal(list.Aliases![0]!.AliasArn, 'arn:aws:kms:us-east-1:123456789012:alias/app-data');
    assert.equal(list.Aliases![0]!.TargetKeyId, k1);
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/app-data', TargetKeyId: k2 }));
    const d = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/app-data' }));
    assert.equal(d.KeyMetadata!.KeyId, k2);
    list = await kms.send(new ListAliasesCommand({ KeyId: k1 }));
    assert.equal(list.Aliases!.length, 0);
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/app-data' }));
    await rejects(kms.send(new DescribeKeyCommand({ KeyId: 'alias/app-data' })), 'NotFoundException');
  });

  test('CreateAlias refuses a duplicate name with AlreadyExistsException', async () => {
    const keyId = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/dup', TargetKeyId: keyId }));
    await rejects(kms.send(new CreateAliasCommand({ AliasName: 'alias/dup', TargetKeyId: keyId })), 'AlreadyExistsException');
  });

  test('CreateAlias refuses names without alias/ and the reserved alias/aws/ prefix', async () => {
    const keyId = await newKey();
    await rejects(kms.send(new CreateAliasCommand({ AliasName: 'noprefix', TargetKeyId: keyId })), 'ValidationException');
    await rejects(kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: keyId })), 'InvalidAliasNameException');
    await rejects(kms.send(new CreateAliasCommand({ AliasName: 'alias/bad name!', TargetKeyId: keyId })), 'ValidationException', /aliasName/);
  });

  test('DeleteAlias of an unknown alias is NotFoundException', async () => {
    await rejects(kms.send(new DeleteAliasCommand({ AliasName: 'alias/never-was' })), 'NotFoundException');
  });

  test('ListAliases pages with Limit', async () => {
    const keyId = await newKey();
    for (let i = 0; i < 3; i++) await kms.send(new CreateAliasCommand({ AliasName: `alias/paged-${i}`, TargetKeyId: keyId }));
    const first = await kms.send(new ListAliasesCommand({ KeyId: keyId, Limit: 2 }));
    assert.equal(first.Aliases!.length, 2);
    assert.equal(first.Truncated, true);
    const second = await kms.send(new ListAliasesCommand({ KeyId: keyId, Limit: 2, Marker: first.NextMarker }));
    assert.equal(second.Aliases!.length, 1);
    assert.equal(second.Truncated, false);
  });
});

describe('encryption with context', () => {
  test('Encrypt then Decrypt round-trips without a KeyId, returning the key ARN', async () => {
    const keyId = await newKey();
    const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('sensitive-data-here'), EncryptionContext: ctx }));
    assert.equal(enc.KeyId, `arn:aws:kms:us-east-1:123456789012:key/${keyId}`);
    assert.equal(enc.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { customer_id: 'cust_98765', department: 'finance' } }));
    assert.equal(decode(dec.Plaintext), 'sensitive-data-here');
    assert.equal(dec.KeyId, enc.KeyId);
    assert.equal(dec.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
  });

  test('Encrypt through an alias and Decrypt with the alias as KeyId', async () => {
    const keyId = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/crypto-alias', TargetKeyId: keyId }));
    const enc = await kms.send(new EncryptCommand({ KeyId: 'alias/crypto-alias', Plaintext: text('x') }));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: 'alias/crypto-alias' }));
    assert.equal(decode(dec.Plaintext), 'x');
  });

  test('Decrypt fails with InvalidCiphertextException for a wrong, missing, extra or re-cased context, all with the same message', async () => {
    const keyId = await newKey();
    const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('p'), EncryptionContext: ctx }));
    const wrongs: Array<Record<string, string> | undefined> = [
      { department: 'hr', customer_id: 'cust_98765' },
      undefined,
      { department: 'finance' },
      { ...ctx, extra: '1' },
      { Department: 'finance', customer_id: 'cust_98765' },
      { department: 'Finance', customer_id: 'cust_98765' },
    ];
    const messages = new Set<string>();
    for (const wrong of wrongs) {
      await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, ...(wrong ? { EncryptionContext: wrong } : {}) })), (err: Error) => {
        assert.equal(err.name, 'InvalidCiphertextException', JSON.stringify(wrong));
        messages.add(err.message);
        return true;
      });
    }
    assert.equal(messages.size, 1);
  });

  test('an empty context and no context are the same context', async () => {
    const keyId = await newKey();
    const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('p'), EncryptionContext: {} }));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    assert.equal(decode(dec.Plaintext), 'p');
  });

  test('contexts whose concatenations collide stay distinct', async () => {
    const keyId = await newKey();
    const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('p'), EncryptionContext: { ab: 'c' } }));
    await rejects(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { a: 'bc' } })), 'InvalidCiphertextException');
  });

  test('Decrypt of a flipped, truncated or random ciphertext is InvalidCiphertextException', async () => {
    const keyId = await newKey();
    const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('p'), EncryptionContext: ctx }));
    const blob = enc.CiphertextBlob!;
    for (const i of [0, 5, 20, 40, 60, blob.length - 1]) {
      const flipped = Uint8Array.from(blob);
      flipped[i] = flipped[i]! ^ 0x80;
      await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob: flipped, EncryptionContext: ctx })), (err: Error) => {
        // A flip inside the key id names a key that does not exist, which AWS answers with AccessDenied.
        assert.ok(['InvalidCiphertextException', 'AccessDeniedException'].includes(err.name), `byte ${i}: ${err.name}`);
        return true;
      });
    }
    await rejects(kms.send(new DecryptCommand({ CiphertextBlob: blob.subarray(0, 40), EncryptionContext: ctx })), 'InvalidCiphertextException');
    await rejects(kms.send(new DecryptCommand({ CiphertextBlob: blob.subarray(0, blob.length - 1), EncryptionContext: ctx })), 'InvalidCiphertextException');
    await rejects(kms.send(new DecryptCommand({ CiphertextBlob: crypto.getRandomValues(new Uint8Array(120)) })), 'InvalidCiphertextException');
  });

  test('Decrypt with a KeyId naming another key is IncorrectKeyException', async () => {
    const k1 = await newKey();
    const k2 = await newKey();
    const enc = await kms.send(new EncryptCommand({ KeyId: k1, Plaintext: text('p') }));
    await rejects(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: k2 })), 'IncorrectKeyException');
  });

  test('Encrypt enforces the 4096-byte plaintext limit with the AWS validation message', async () => {
    const keyId = await newKey();
    await rejects(
      kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: new Uint8Array(4097) })),
      'ValidationException',
      /Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096/,
    );
    const ok = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: new Uint8Array(4096) }));
    assert.ok(ok.CiphertextBlob!.length > 4096);
  });

  test('Encrypt with an asymmetric algorithm on a symmetric key is InvalidKeyUsageException', async () => {
    const keyId = await newKey();
    await rejects(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('p'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })), 'InvalidKeyUsageException');
  });

  test('Encrypt with DryRun answers DryRunOperationException and encrypts nothing', async () => {
    const keyId = await newKey();
    await rejects(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('p'), DryRun: true })), 'DryRunOperationException');
  });

  test('an encryption context over the 8 KiB encoded limit is a ValidationException', async () => {
    const keyId = await newKey();
    await rejects(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('p'), EncryptionContext: { big: 'x'.repeat(9000) } })), 'ValidationException', /encryptionContext/);
  });

  test('ReEncrypt moves a ciphertext to another key and context', async () => {
    const k1 = await newKey();
    const k2 = await newKey();
    const enc = await kms.send(new EncryptCommand({ KeyId: k1, Plaintext: text('move me'), EncryptionContext: ctx }));
    const re = await kms.send(
      new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: ctx, DestinationKeyId: k2, DestinationEncryptionContext: { purpose: 'archive' } }),
    );
    assert.equal(re.SourceKeyId, `arn:aws:kms:us-east-1:123456789012:key/${k1}`);
    assert.equal(re.KeyId, `arn:aws:kms:us-east-1:123456789012:key/${k2}`);
    assert.equal(re.SourceEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.equal(re.DestinationEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { purpose: 'archive' } }));
    assert.equal(decode(dec.Plaintext), 'move me');
    await rejects(kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: ctx })), 'InvalidCiphertextException');
  });

  test('ReEncrypt on the same key changes only the context', async () => {
    const keyId = await newKey();
    const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('p'), EncryptionContext: { v: '1' } }));
    const re = await kms.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: { v: '1' }, DestinationKeyId: keyId, DestinationEncryptionContext: { v: '2' } }));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { v: '2' } }));
    assert.equal(decode(dec.Plaintext), 'p');
  });

  test('ReEncrypt with the wrong source context is InvalidCiphertextException', async () => {
    const keyId = await newKey();
    const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('p'), EncryptionContext: ctx }));
    await rejects(kms.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: { department: 'hr' }, DestinationKeyId: keyId })), 'InvalidCiphertextException');
  });

  test('GenerateDataKey returns a data key whose ciphertext decrypts to the same bytes only with its context', async () => {
    const keyId = await newKey();
    const out = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: ctx }));
    assert.equal(out.Plaintext!.length, 32);
    secrets.push(Buffer.from(out.Plaintext!).toString('base64'), Buffer.from(out.Plaintext!).toString('hex'));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: ctx }));
    assert.deepEqual(dec.Plaintext, out.Plaintext);
    await rejects(kms.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob })), 'InvalidCiphertextException');
    const small = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_128' }));
    assert.equal(small.Plaintext!.length, 16);
    const bytes = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, NumberOfBytes: 64 }));
    assert.equal(bytes.Plaintext!.length, 64);
  });

  test('GenerateDataKey needs exactly one of KeySpec and NumberOfBytes, in range', async () => {
    const keyId = await newKey();
    await rejects(kms.send(new GenerateDataKeyCommand({ KeyId: keyId })), 'ValidationException');
    await rejects(kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', NumberOfBytes: 32 })), 'ValidationException');
    await rejects(kms.send(new GenerateDataKeyCommand({ KeyId: keyId, NumberOfBytes: 1025 })), 'ValidationException', /numberOfBytes/);
    await rejects(kms.send(new GenerateDataKeyCommand({ KeyId: keyId, NumberOfBytes: 0 })), 'ValidationException', /numberOfBytes/);
  });

  test('GenerateDataKeyWithoutPlaintext returns only the encrypted data key', async () => {
    const keyId = await newKey();
    const out = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: ctx }));
    assert.equal((out as { Plaintext?: unknown }).Plaintext, undefined);
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: ctx }));
    assert.equal(dec.Plaintext!.length, 32);
  });

  test('GenerateRandom returns the requested number of bytes within 1..1024', async () => {
    const out = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 1024 }));
    assert.equal(out.Plaintext!.length, 1024);
    await rejects(kms.send(new GenerateRandomCommand({ NumberOfBytes: 1025 })), 'ValidationException');
    await rejects(kms.send(new GenerateRandomCommand({})), 'ValidationException', /numberOfBytes/);
  });
});

describe('key states', () => {
  test('a disabled key refuses crypto with DisabledException and works again when enabled', async () => {
    const keyId = await newKey();
    const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('p') }));
    await kms.send(new DisableKeyCommand({ KeyId: keyId }));
    const md = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    assert.equal(md.KeyState, 'Disabled');
    assert.equal(md.Enabled, false);
    await rejects(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('p') })), 'DisabledException', /is disabled/);
    await rejects(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })), 'DisabledException');
    await rejects(kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' })), 'DisabledException');
    await kms.send(new EnableKeyCommand({ KeyId: keyId }));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    assert.equal(decode(dec.Plaintext), 'p');
  });

  test('ScheduleKeyDeletion puts the key in PendingDeletion; crypto is KMSInvalidStateException; CancelKeyDeletion leaves it Disabled', async () => {
    const keyId = await newKey();
    const sched = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    assert.equal(sched.KeyState, 'PendingDeletion');
    assert.equal(sched.PendingWindowInDays, 7);
    assert.equal(sched.KeyId, `arn:aws:kms:us-east-1:123456789012:key/${keyId}`);
    const days = (sched.DeletionDate!.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days <= 7.01, String(days));
    const md = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    assert.equal(md.KeyState, 'PendingDeletion');
    assert.equal(md.PendingDeletionWindowInDays, 7);
    await rejects(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('p') })), 'KMSInvalidStateException', /pending deletion/);
    await rejects(kms.send(new EnableKeyCommand({ KeyId: keyId })), 'KMSInvalidStateException');
    await rejects(kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId })), 'KMSInvalidStateException');
    const cancel = await kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    assert.equal(cancel.KeyId, `arn:aws:kms:us-east-1:123456789012:key/${keyId}`);
    const after = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    assert.equal(after.KeyState, 'Disabled');
    assert.equal(after.DeletionDate, undefined);
  });

  test('ScheduleKeyDeletion accepts only 7 to 30 days', async () => {
    const keyId = await newKey();
    await rejects(kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 6 })), 'ValidationException');
    await rejects(kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 31 })), 'ValidationException');
  });

  test('CancelKeyDeletion on a key that is not pending deletion is KMSInvalidStateException', async () => {
    const keyId = await newKey();
    await rejects(kms.send(new CancelKeyDeletionCommand({ KeyId: keyId })), 'KMSInvalidStateException', /not pending deletion/);
  });
});

describe('rotation and key policy', () => {
  test('EnableKeyRotation sets the period and next date; DisableKeyRotation clears it', async () => {
    const keyId = await newKey();
    let st = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    assert.equal(st.KeyRotationEnabled, false);
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    st = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    assert.equal(st.KeyRotationEnabled, true);
    assert.equal(st.RotationPeriodInDays, 90);
    const days = (st.NextRotationDate!.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 89.9 && days <= 90.01);
    await kms.send(new DisableKeyRotationCommand({ KeyId: keyId }));
    st = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    assert.equal(st.KeyRotationEnabled, false);
  });

  test('EnableKeyRotation accepts only 90 to 2560 days', async () => {
    const keyId = await newKey();
    await rejects(kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 89 })), 'ValidationException', /rotationPeriodInDays/);
    await rejects(kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 2561 })), 'ValidationException');
  });

  test('RotateKeyOnDemand adds key material; old ciphertexts still decrypt; ListKeyRotations lists it', async () => {
    const keyId = await newKey();
    const before = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('old'), EncryptionContext: ctx }));
    const r = await kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    assert.equal(r.KeyId, `arn:aws:kms:us-east-1:123456789012:key/${keyId}`);
    const afterEnc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: text('new'), EncryptionContext: ctx }));
    assert.notDeepEqual(Buffer.from(before.CiphertextBlob!).subarray(17, 21), Buffer.from(afterEnc.CiphertextBlob!).subarray(17, 21));
    assert.equal(decode((await kms.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob, EncryptionContext: ctx }))).Plaintext), 'old');
    assert.equal(decode((await kms.send(new DecryptCommand({ CiphertextBlob: afterEnc.CiphertextBlob, EncryptionContext: ctx }))).Plaintext), 'new');
    const rotations = await kms.send(new ListKeyRotationsCommand({ KeyId: keyId }));
    assert.equal(rotations.Rotations!.length, 1);
    assert.equal(rotations.Rotations![0]!.RotationType, 'ON_DEMAND');
  });

  test('RotateKeyOnDemand allows at most 10 rotations per key', async () => {
    const keyId = await newKey();
    for (let i = 0; i < 10; i++) await kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    await rejects(kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })), 'LimitExceededException');
  });

  test('GetKeyPolicy returns the default policy giving the account root kms:*; ListKeyPolicies lists default', async () => {
    const keyId = await newKey();
    const out = await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }));
    const doc = JSON.parse(out.Policy!);
    assert.deepEqual(doc.Statement[0].Principal, { AWS: 'arn:aws:iam::123456789012:root' });
    assert.equal(doc.Statement[0].Action, 'kms:*');
    const names = await kms.send(new ListKeyPoliciesCommand({ KeyId: keyId }));
    assert.deepEqual(names.PolicyNames, ['default']);
  });
});

test('no plaintext or data key used in this suite reaches the server log', async () => {
  await new Promise((r) => setTimeout(r, 200));
  const log = server.output.join('\n');
  assert.ok(server.output.length > 10, 'the server logged requests');
  for (const secret of secrets) assert.ok(!log.includes(secret), `server output contains a secret (${secret.length} chars)`);
});
