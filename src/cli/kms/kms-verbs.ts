// The `aws kms` verbs `kontext` offers, declared once: verb → API operation → parameters. The
// commands, their flags (the API member names in kebab-case, as the AWS CLI derives them), their
// help and the pagination all come from this table. kms-verbs.test.ts checks it against the
// kms-2014-11-01 service model. Members for custom key stores, XKS and Nitro attestation
// (`Recipient`) are left out: Kontext has none of them.

import type { ParamShape } from '../args/param-value.ts';

export interface ParamSpec {
  /** The API member name; the flag is its kebab-case (`KeyId` → `--key-id`). */
  readonly name: string;
  readonly shape: ParamShape;
  readonly required?: boolean;
  readonly help: string;
}

export interface VerbSpec {
  /** The AWS CLI verb (`re-encrypt`). */
  readonly verb: string;
  /** The heading it is listed under in `kontext --help`. */
  readonly group: string;
  /** The API operation (`ReEncrypt`), also the `@aws-sdk/client-kms` command name without `Command`. */
  readonly operation: string;
  readonly summary: string;
  /** One runnable example, shown under --help. */
  readonly example?: string;
  readonly params: readonly ParamSpec[];
  /** The list the AWS CLI merges across pages (its paginator's result key). */
  readonly pageResult?: string;
}

const string: ParamShape = { kind: 'string' };
const integer: ParamShape = { kind: 'integer' };
const boolean: ParamShape = { kind: 'boolean' };
const stringList: ParamShape = { kind: 'list', member: string };
const map: ParamShape = { kind: 'map' };
const tagList: ParamShape = { kind: 'list', member: { kind: 'structure', members: { TagKey: string, TagValue: string } } };

const keyId = (help = 'the key: key id, key ARN, alias name (alias/...) or alias ARN'): ParamSpec => ({ name: 'KeyId', shape: string, required: true, help });
const context = (name = 'EncryptionContext', help = 'encryption context: k=v,k2=v2 or JSON; decrypt needs exactly the same pairs'): ParamSpec => ({ name, shape: map, help });
const grantTokens: ParamSpec = { name: 'GrantTokens', shape: stringList, help: 'grant tokens (space-separated)' };
const dryRun: ParamSpec = { name: 'DryRun', shape: boolean, help: 'check permissions without performing the operation' };
const limit: ParamSpec = { name: 'Limit', shape: integer, help: 'items per page (turns off automatic pagination)' };
const marker: ParamSpec = { name: 'Marker', shape: string, help: 'NextMarker of a previous page (turns off automatic pagination)' };
const algorithm = (name = 'EncryptionAlgorithm'): ParamSpec => ({ name, shape: string, help: 'SYMMETRIC_DEFAULT (the only algorithm of symmetric keys)' });
const policyLockout: ParamSpec = { name: 'BypassPolicyLockoutSafetyCheck', shape: boolean, help: 'skip the check that the caller can still manage the key under the new policy' };
const tags: ParamSpec = { name: 'Tags', shape: tagList, help: 'tags: TagKey=k,TagValue=v ... (one per word) or JSON' };
const keySpec: ParamSpec = { name: 'KeySpec', shape: string, help: 'AES_256 or AES_128' };
const numberOfBytes: ParamSpec = { name: 'NumberOfBytes', shape: integer, help: 'data key length in bytes (1-1024), instead of --key-spec' };

type Declared = Omit<VerbSpec, 'group'>;
const group = (heading: string, verbs: readonly Declared[]): VerbSpec[] => verbs.map((v) => ({ ...v, group: heading }));

export const KMS_VERBS: readonly VerbSpec[] = [
  ...group('Keys:', [
    {
      verb: 'create-key',
      operation: 'CreateKey',
      summary: 'Create a symmetric encryption key',
      example: 'kontext create-key --description "orders" --tags TagKey=team,TagValue=payments',
      params: [
        { name: 'Policy', shape: string, help: 'key policy JSON (default: the account root may do everything); file://policy.json' },
        { name: 'Description', shape: string, help: 'what the key is for' },
        { name: 'KeyUsage', shape: string, help: 'ENCRYPT_DECRYPT (default)' },
        { name: 'CustomerMasterKeySpec', shape: string, help: 'deprecated alias of --key-spec' },
        { name: 'KeySpec', shape: string, help: 'SYMMETRIC_DEFAULT (default)' },
        { name: 'Origin', shape: string, help: 'AWS_KMS (default)' },
        policyLockout,
        tags,
        { name: 'MultiRegion', shape: boolean, help: 'multi-Region primary key (not supported by Kontext)' },
      ],
    },
    { verb: 'describe-key', operation: 'DescribeKey', summary: 'Show a key\'s metadata', example: 'kontext describe-key --key-id alias/orders', params: [keyId(), grantTokens] },
    { verb: 'list-keys', operation: 'ListKeys', summary: 'List the keys of the account in the region', example: 'kontext list-keys --query "Keys[].KeyId" --output text', params: [limit, marker], pageResult: 'Keys' },
    { verb: 'enable-key', operation: 'EnableKey', summary: 'Enable a disabled key', params: [keyId()] },
    { verb: 'disable-key', operation: 'DisableKey', summary: 'Disable a key (it can no longer encrypt or decrypt)', params: [keyId()] },
    {
      verb: 'schedule-key-deletion',
      operation: 'ScheduleKeyDeletion',
      summary: 'Schedule a key for deletion after a waiting period',
      example: 'kontext schedule-key-deletion --key-id alias/orders --pending-window-in-days 7',
      params: [keyId(), { name: 'PendingWindowInDays', shape: integer, help: 'days before deletion, 7-30 (default 30)' }],
    },
    { verb: 'cancel-key-deletion', operation: 'CancelKeyDeletion', summary: 'Cancel a scheduled deletion (the key stays disabled)', params: [keyId()] },
    {
      verb: 'update-key-description',
      operation: 'UpdateKeyDescription',
      summary: 'Replace a key\'s description',
      params: [keyId(), { name: 'Description', shape: string, required: true, help: 'the new description' }],
    },
  ]),
  ...group('Tags:', [
    {
      verb: 'tag-resource',
      operation: 'TagResource',
      summary: 'Add or overwrite tags on a key',
      example: 'kontext tag-resource --key-id alias/orders --tags TagKey=env,TagValue=prod TagKey=team,TagValue=payments',
      params: [keyId(), { ...tags, required: true }],
    },
    {
      verb: 'untag-resource',
      operation: 'UntagResource',
      summary: 'Remove tags from a key',
      example: 'kontext untag-resource --key-id alias/orders --tag-keys env team',
      params: [keyId(), { name: 'TagKeys', shape: stringList, required: true, help: 'tag keys to remove (space-separated)' }],
    },
    { verb: 'list-resource-tags', operation: 'ListResourceTags', summary: 'List a key\'s tags', params: [keyId(), limit, marker], pageResult: 'Tags' },
  ]),
  ...group('Aliases:', [
    {
      verb: 'create-alias',
      operation: 'CreateAlias',
      summary: 'Give a key a friendly name',
      example: 'kontext create-alias --alias-name alias/orders --target-key-id 1234abcd-12ab-34cd-56ef-1234567890ab',
      params: [
        { name: 'AliasName', shape: string, required: true, help: 'alias/<name>' },
        { name: 'TargetKeyId', shape: string, required: true, help: 'key id or key ARN the alias points to' },
      ],
    },
    {
      verb: 'update-alias',
      operation: 'UpdateAlias',
      summary: 'Point an alias at another key',
      params: [
        { name: 'AliasName', shape: string, required: true, help: 'alias/<name>' },
        { name: 'TargetKeyId', shape: string, required: true, help: 'key id or key ARN the alias should point to' },
      ],
    },
    { verb: 'delete-alias', operation: 'DeleteAlias', summary: 'Delete an alias (the key stays)', params: [{ name: 'AliasName', shape: string, required: true, help: 'alias/<name>' }] },
    {
      verb: 'list-aliases',
      operation: 'ListAliases',
      summary: 'List aliases, all or those of one key',
      example: 'kontext list-aliases --query "Aliases[].[AliasName,TargetKeyId]" --output text',
      params: [{ ...keyId('only the aliases of this key'), required: false }, limit, marker],
      pageResult: 'Aliases',
    },
  ]),
  ...group('Encryption and data keys:', [
    {
      verb: 'encrypt',
      operation: 'Encrypt',
      summary: 'Encrypt up to 4096 bytes, bound to an encryption context',
      example: 'kontext encrypt --key-id alias/orders --plaintext "sensitive-data-here" --encryption-context department=finance,customer_id=cust_98765',
      params: [
        keyId(),
        { name: 'Plaintext', shape: { kind: 'blob', plain: 'text' }, required: true, help: 'the data: text as given, fileb://file for bytes (base64 with --cli-binary-format base64)' },
        context(),
        grantTokens,
        algorithm(),
        dryRun,
      ],
    },
    {
      verb: 'decrypt',
      operation: 'Decrypt',
      summary: 'Decrypt a ciphertext; the encryption context must match exactly',
      example: 'kontext decrypt --ciphertext-blob fileb://secret.bin --encryption-context department=finance,customer_id=cust_98765 --query Plaintext --output text | base64 -d',
      params: [
        { name: 'CiphertextBlob', shape: { kind: 'blob', plain: 'base64' }, required: true, help: 'fileb://file, or the base64 that encrypt printed' },
        context(),
        grantTokens,
        { ...keyId('the key expected to have encrypted it (optional for symmetric keys)'), required: false },
        algorithm(),
        dryRun,
      ],
    },
    {
      verb: 're-encrypt',
      operation: 'ReEncrypt',
      summary: 'Decrypt and encrypt again under another key or context, without exposing the plaintext',
      example: 'kontext re-encrypt --ciphertext-blob fileb://secret.bin --source-encryption-context tenant=acme --destination-key-id alias/new --destination-encryption-context tenant=acme',
      params: [
        { name: 'CiphertextBlob', shape: { kind: 'blob', plain: 'base64' }, required: true, help: 'fileb://file, or base64' },
        context('SourceEncryptionContext', 'the context the ciphertext was encrypted with'),
        { name: 'SourceKeyId', shape: string, help: 'the key expected to have encrypted it' },
        { name: 'DestinationKeyId', shape: string, required: true, help: 'the key to encrypt under' },
        context('DestinationEncryptionContext', 'the context for the new ciphertext'),
        algorithm('SourceEncryptionAlgorithm'),
        algorithm('DestinationEncryptionAlgorithm'),
        grantTokens,
        dryRun,
      ],
    },
    {
      verb: 'generate-data-key',
      operation: 'GenerateDataKey',
      summary: 'Generate a data key: returned in plaintext and encrypted under the key',
      example: 'kontext generate-data-key --key-id alias/orders --key-spec AES_256 --encryption-context tenant=acme',
      params: [keyId(), context(), numberOfBytes, keySpec, grantTokens, dryRun],
    },
    {
      verb: 'generate-data-key-without-plaintext',
      operation: 'GenerateDataKeyWithoutPlaintext',
      summary: 'Generate a data key returned only encrypted',
      params: [keyId(), context(), keySpec, numberOfBytes, grantTokens, dryRun],
    },
    {
      verb: 'generate-random',
      operation: 'GenerateRandom',
      summary: 'Random bytes (base64)',
      example: 'kontext generate-random --number-of-bytes 32 --query Plaintext --output text',
      params: [{ name: 'NumberOfBytes', shape: integer, help: 'how many bytes, 1-1024' }],
    },
  ]),
  ...group('Rotation:', [
    {
      verb: 'enable-key-rotation',
      operation: 'EnableKeyRotation',
      summary: 'Rotate the key material automatically',
      example: 'kontext enable-key-rotation --key-id alias/orders --rotation-period-in-days 90',
      params: [keyId(), { name: 'RotationPeriodInDays', shape: integer, help: 'days between rotations, 90-2560 (default 365)' }],
    },
    { verb: 'disable-key-rotation', operation: 'DisableKeyRotation', summary: 'Stop automatic rotation', params: [keyId()] },
    { verb: 'get-key-rotation-status', operation: 'GetKeyRotationStatus', summary: 'Show whether and when the key rotates', params: [keyId()] },
    { verb: 'rotate-key-on-demand', operation: 'RotateKeyOnDemand', summary: 'Rotate the key material now (old ciphertexts keep decrypting)', params: [keyId()] },
    { verb: 'list-key-rotations', operation: 'ListKeyRotations', summary: 'List the rotations of a key', params: [keyId(), limit, marker], pageResult: 'Rotations' },
  ]),
  ...group('Key policies:', [
    {
      verb: 'get-key-policy',
      operation: 'GetKeyPolicy',
      summary: 'Print a key policy',
      example: 'kontext get-key-policy --key-id alias/orders --policy-name default --query Policy --output text',
      params: [keyId(), { name: 'PolicyName', shape: string, help: 'default (the only name)' }],
    },
    {
      verb: 'put-key-policy',
      operation: 'PutKeyPolicy',
      summary: 'Replace a key policy',
      example: 'kontext put-key-policy --key-id alias/orders --policy-name default --policy file://policy.json',
      params: [keyId(), { name: 'PolicyName', shape: string, help: 'default (the only name)' }, { name: 'Policy', shape: string, required: true, help: 'the policy JSON, or file://policy.json' }, policyLockout],
    },
    { verb: 'list-key-policies', operation: 'ListKeyPolicies', summary: 'List the policy names of a key (always "default")', params: [keyId(), limit, marker], pageResult: 'PolicyNames' },
  ]),
  ...group('Grants:', [
    {
      verb: 'create-grant',
      operation: 'CreateGrant',
      summary: 'Allow a principal to use a key, optionally only with a given encryption context',
      example: 'kontext create-grant --key-id alias/orders --grantee-principal arn:aws:iam::123456789012:role/app --operations Decrypt --constraints EncryptionContextSubset={department=finance}',
      params: [
        keyId(),
        { name: 'GranteePrincipal', shape: string, required: true, help: 'ARN of the principal receiving the permissions' },
        { name: 'RetiringPrincipal', shape: string, help: 'ARN of a principal allowed to retire the grant' },
        { name: 'Operations', shape: stringList, required: true, help: 'operations allowed (space-separated): Encrypt Decrypt ...' },
        {
          name: 'Constraints',
          shape: { kind: 'structure', members: { EncryptionContextSubset: map, EncryptionContextEquals: map } },
          help: 'EncryptionContextSubset={k=v} or EncryptionContextEquals={k=v}, or JSON',
        },
        grantTokens,
        { name: 'Name', shape: string, help: 'a name that makes retries idempotent' },
        dryRun,
      ],
    },
    {
      verb: 'list-grants',
      operation: 'ListGrants',
      summary: 'List the grants of a key',
      params: [limit, marker, keyId(), { name: 'GrantId', shape: string, help: 'only this grant' }, { name: 'GranteePrincipal', shape: string, help: 'only grants to this principal' }],
      pageResult: 'Grants',
    },
    {
      verb: 'list-retirable-grants',
      operation: 'ListRetirableGrants',
      summary: 'List the grants a principal may retire',
      params: [limit, marker, { name: 'RetiringPrincipal', shape: string, required: true, help: 'ARN of the retiring principal' }],
      pageResult: 'Grants',
    },
    {
      verb: 'retire-grant',
      operation: 'RetireGrant',
      summary: 'Retire a grant (by grant token, or key and grant id)',
      params: [
        { name: 'GrantToken', shape: string, help: 'the grant token' },
        { ...keyId('the key of the grant (with --grant-id)'), required: false },
        { name: 'GrantId', shape: string, help: 'the grant id (with --key-id)' },
        dryRun,
      ],
    },
    {
      verb: 'revoke-grant',
      operation: 'RevokeGrant',
      summary: 'Revoke a grant',
      params: [keyId(), { name: 'GrantId', shape: string, required: true, help: 'the grant id' }, dryRun],
    },
  ]),
];

/** `KeyId` → `key-id`, as the AWS CLI names flags after API members. */
export const flagName = (member: string): string => member.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').toLowerCase();
