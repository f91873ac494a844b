// What the load generator sends: per workload, the request bodies (built once, signed per request
// by the generator), and the keys, ciphertexts and principals they need, set up through the real
// API with the AWS SDK clients before the measured run.

import { randomBytes } from 'node:crypto';
import { CreateKeyCommand, EncryptCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { RequestTemplate } from './load-generator.ts';
import type { Credentials } from './request-signer.ts';

export type Workload = 'encrypt' | 'decrypt' | 'generate-data-key' | 're-encrypt' | 'describe-key' | 'list-keys' | 'lookup-events' | 'audit-query';
export type PrincipalKind = 'admin' | 'assumed-role';
export type KeyPolicyKind = 'default' | 'context-conditions';

/** Three pairs, as the issue asks; the conditioned key policy tests two of them. */
export const BENCH_CONTEXT: Readonly<Record<string, string>> = { tenant: 'acme-corp', purpose: 'bench-load', 'data-class': 'pii' };

/** Bootstrap admin of the bench's fresh data directories (passed to the server as KONTEXT_ADMIN_*). */
export const BENCH_ADMIN: Credentials = { accessKeyId: 'AKIAKONTEXTBENCHADMIN', secretAccessKey: 'kontext-bench-admin-secret-access-key-0000' };

const ROLE_NAME = 'kontext-bench-encryptor';
const USER_NAME = 'kontext-bench-service';

export function contextConditionPolicy(accountId: string, roleArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'EncryptorForAcmeBench',
        Effect: 'Allow',
        Principal: { AWS: roleArn },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:tenant': BENCH_CONTEXT['tenant'], 'kms:EncryptionContext:purpose': BENCH_CONTEXT['purpose'] } },
      },
    ],
  });
}

export interface BuiltWorkload {
  readonly requests: RequestTemplate[];
  readonly expectField: string;
  readonly credentials: Credentials;
}

/** Talks to one running Kontext server to prepare workloads; caches what it created. */
export class WorkloadBuilder {
  readonly #url: string;
  readonly #region: string;
  readonly #accountId: string;
  readonly #seededKeyIds: readonly string[];
  #role: Promise<{ arn: string; credentials: Credentials }> | undefined;
  readonly #keys = new Map<string, Promise<{ a: string; b: string }>>();
  #listMarkers: Promise<Array<string | undefined>> | undefined;

  constructor(url: string, region: string, accountId: string, seededKeyIds: readonly string[]) {
    this.#url = url;
    this.#region = region;
    this.#accountId = accountId;
    this.#seededKeyIds = seededKeyIds;
  }

  get accountId(): string {
    return this.#accountId;
  }

  #config(credentials: Credentials) {
    const { accessKeyId, secretAccessKey, sessionToken } = credentials;
    return { endpoint: this.#url, region: this.#region, credentials: sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey }, maxAttempts: 1 };
  }

  kms(credentials: Credentials = BENCH_ADMIN): KMSClient {
    return new KMSClient(this.#config(credentials));
  }

  /**
   * A session of an IAM role, as services use KMS: the account root may not assume roles (as in
   * AWS), so the admin creates a user allowed to assume the role, and that user assumes it.
   */
  assumedRole(): Promise<{ arn: string; credentials: Credentials }> {
    this.#role ??= (async () => {
      const iam = new IAMClient(this.#config(BENCH_ADMIN));
      const user = await iam.send(new CreateUserCommand({ UserName: USER_NAME }));
      const userArn = user.User?.Arn ?? `arn:aws:iam::${this.#accountId}:user/${USER_NAME}`;
      const roleArn = `arn:aws:iam::${this.#accountId}:role/${ROLE_NAME}`;
      const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: userArn }, Action: 'sts:AssumeRole' }] };
      const role = await iam.send(new CreateRoleCommand({ RoleName: ROLE_NAME, AssumeRolePolicyDocument: JSON.stringify(trust) }));
      const arn = role.Role?.Arn ?? roleArn;
      await iam.send(
        new PutUserPolicyCommand({
          UserName: USER_NAME,
          PolicyName: 'assume-bench-role',
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arn }] }),
        }),
      );
      const key = await iam.send(new CreateAccessKeyCommand({ UserName: USER_NAME }));
      const userCreds = { accessKeyId: key.AccessKey?.AccessKeyId as string, secretAccessKey: key.AccessKey?.SecretAccessKey as string };
      const sts = new STSClient(this.#config(userCreds));
      const session = await sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'bench-load', DurationSeconds: 3600 }));
      const c = session.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('AssumeRole returned no credentials');
      return { arn, credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken } };
    })();
    return this.#role;
  }

  /** Two keys (source and ReEncrypt destination) with the given key policy. */
  benchKeys(policy: KeyPolicyKind): Promise<{ a: string; b: string }> {
    let keys = this.#keys.get(policy);
    if (!keys) {
      keys = (async () => {
        const Policy = policy === 'context-conditions' ? contextConditionPolicy(this.#accountId, (await this.assumedRole()).arn) : undefined;
        const kms = this.kms();
        const create = async (name: string) => {
          const out = await kms.send(new CreateKeyCommand({ Description: `bench ${name} (${policy})`, ...(Policy ? { Policy } : {}) }));
          return out.KeyMetadata?.KeyId as string;
        };
        return { a: await create('source'), b: await create('destination') };
      })();
      this.#keys.set(policy, keys);
    }
    return keys;
  }

  async #ciphertexts(keyId: string, count: number, payload: number): Promise<string[]> {
    const kms = this.kms();
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const r = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: randomBytes(payload), EncryptionContext: { ...BENCH_CONTEXT } }));
      out.push(Buffer.from(r.CiphertextBlob as Uint8Array).toString('base64'));
    }
    return out;
  }

  #markers(): Promise<Array<string | undefined>> {
    this.#listMarkers ??= (async () => {
      const kms = this.kms();
      const markers: Array<string | undefined> = [undefined];
      for (;;) {
        const page = await kms.send(new ListKeysCommand({ Limit: 100, ...(markers.at(-1) ? { Marker: markers.at(-1) } : {}) }));
        if (!page.Truncated || !page.NextMarker) break;
        markers.push(page.NextMarker);
      }
      return markers;
    })();
    return this.#listMarkers;
  }

  async build(workload: Workload, opts: { principal: PrincipalKind; keyPolicy: KeyPolicyKind; payload: number }): Promise<BuiltWorkload> {
    const credentials = opts.principal === 'assumed-role' ? (await this.assumedRole()).credentials : BENCH_ADMIN;
    const json = (target: string, body: object): RequestTemplate => ({ target: `TrentService.${target}`, body: JSON.stringify(body) });
    const ctx = BENCH_CONTEXT;
    switch (workload) {
      case 'encrypt': {
        const { a } = await this.benchKeys(opts.keyPolicy);
        // A few distinct plaintexts so no layer can get away with caching one answer.
        const requests = Array.from({ length: 8 }, () => json('Encrypt', { KeyId: a, Plaintext: randomBytes(opts.payload).toString('base64'), EncryptionContext: ctx }));
        return { requests, expectField: 'CiphertextBlob', credentials };
      }
      case 'decrypt': {
        const { a } = await this.benchKeys(opts.keyPolicy);
        const blobs = await this.#ciphertexts(a, 8, opts.payload);
        return { requests: blobs.map((b) => json('Decrypt', { CiphertextBlob: b, EncryptionContext: ctx })), expectField: 'Plaintext', credentials };
      }
      case 'generate-data-key': {
        const { a } = await this.benchKeys(opts.keyPolicy);
        return { requests: [json('GenerateDataKey', { KeyId: a, KeySpec: 'AES_256', EncryptionContext: ctx })], expectField: 'CiphertextBlob', credentials };
      }
      case 're-encrypt': {
        const { a, b } = await this.benchKeys(opts.keyPolicy);
        const blobs = await this.#ciphertexts(a, 8, opts.payload);
        const requests = blobs.map((blob) => json('ReEncrypt', { CiphertextBlob: blob, SourceEncryptionContext: ctx, DestinationKeyId: b, DestinationEncryptionContext: ctx }));
        return { requests, expectField: 'CiphertextBlob', credentials };
      }
      case 'describe-key': {
        if (this.#seededKeyIds.length === 0) throw new Error('describe-key needs seeded keys');
        // Every seeded key, in a shuffled order, so the run reads across the whole key space.
        const ids = [...this.#seededKeyIds];
        for (let i = ids.length - 1; i > 0; i--) {
          const j = Math.floor(Math.random() * (i + 1));
          [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
        }
        return { requests: ids.map((id) => json('DescribeKey', { KeyId: id })), expectField: 'KeyMetadata', credentials };
      }
      case 'lookup-events': {
        const body = { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Decrypt' }], MaxResults: 50 };
        return { requests: [{ target: 'CloudTrail_20131101.LookupEvents', body: JSON.stringify(body), service: 'cloudtrail' }], expectField: 'Events', credentials };
      }
      case 'audit-query': {
        // Different tenants per request (1 in 1,000 events each, then 1 in 4 of those by purpose).
        const requests = Array.from({ length: 16 }, (_, i) => ({
          target: 'Kontext.QueryAuditEvents',
          body: JSON.stringify({ EncryptionContext: { tenant: `tenant-${(i * 61) % 1000}`, purpose: 'export' }, MaxResults: 50 }),
          service: 'kontext',
        }));
        return { requests, expectField: 'Events', credentials };
      }
      case 'list-keys': {
        const markers = await this.#markers();
        return { requests: markers.map((m) => json('ListKeys', m ? { Limit: 100, Marker: m } : { Limit: 100 })), expectField: 'Keys', credentials };
      }
    }
  }
}
