// Which features the server under test has, so a scenario that needs a missing one is reported as
// "not available yet: <why>" instead of measuring something else. Switches come from the config
// module and commands from the CLI's help; behaviour is probed against a running server.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CreateKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { LookupEventsCommand, CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { checkConfig, configFromEnv } from '../src/config.ts';
import { REPO_ROOT, SERVER_ROOT } from './processes.ts';
import { RequestSigner, payloadHash } from './request-signer.ts';
import type { Capability } from './scenarios.ts';
import { BENCH_ADMIN, type WorkloadBuilder } from './workloads.ts';

export interface CapabilityState {
  readonly available: boolean;
  /** Why it is missing (or how it was detected). */
  readonly why: string;
}

export type Capabilities = Map<Capability, CapabilityState>;

function cli(args: readonly string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(SERVER_ROOT, 'src/cli/main.ts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`;
}

/** Capabilities known without a server: configuration switches, CLI commands, the audit seeder. */
export function staticCapabilities(): Capabilities {
  const caps: Capabilities = new Map();
  // Layer switches are configuration (environment) settings; ask the config module whether it knows them.
  for (const [name, field, value] of [
    ['KONTEXT_AUDIT_MODE', 'auditMode', 'off'],
    ['KONTEXT_AUTH_MODE', 'authMode', 'none'],
    ['KONTEXT_POLICY_MODE', 'policyMode', 'off'],
  ] as const) {
    const config = configFromEnv({ [name]: value });
    const has = (config as unknown as Record<string, unknown>)[field] === value && checkConfig(config).length === 0;
    caps.set(`config:${name}=${value}` as Capability, { available: has, why: has ? `${name}=${value}` : `the server has no ${name}=${value} switch yet (src/config.ts)` });
  }
  const verify = /Usage: kontext audit verify/.test(cli(['audit', 'verify', '--help']));
  caps.set('cli:audit verify', { available: verify, why: verify ? 'kontext audit verify' : 'the CLI has no `kontext audit verify` command yet' });
  // bench/audit-seed.ts writes events through the server's own durable sink.
  const sink = ['src/audit/durable-audit-sink.ts', 'src/audit/signing-key.ts'].every((f) => existsSync(join(SERVER_ROOT, f)));
  caps.set('audit-event-seeder', { available: sink, why: sink ? 'events seeded through src/audit/durable-audit-sink.ts' : 'src/audit has no durable sink to seed the events through' });
  return caps;
}

const errorName = (err: unknown): string => (err as { name?: string })?.name ?? String(err);
const unknownOperation = (err: unknown): boolean => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'UnknownOperationException' || e?.$metadata?.httpStatusCode === 404;
};

/** Probes a running server (with the bench admin's credentials) for the features the layers need. */
export async function probeCapabilities(url: string, region: string, builder: WorkloadBuilder): Promise<Capabilities> {
  const caps: Capabilities = new Map();
  const client = { endpoint: url, region, credentials: { accessKeyId: BENCH_ADMIN.accessKeyId, secretAccessKey: BENCH_ADMIN.secretAccessKey }, maxAttempts: 1 };
  const kms = builder.kms();

  // SigV4: a request signed with the wrong secret must be refused.
  {
    const body = JSON.stringify({ Limit: 1 });
    const host = new URL(url).host;
    const signer = new RequestSigner({ accessKeyId: BENCH_ADMIN.accessKeyId, secretAccessKey: 'not-the-secret' }, region, 'kms');
    const { amzDate, authorization } = signer.signJson(host, 'TrentService.ListKeys', payloadHash(body));
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'TrentService.ListKeys', 'X-Amz-Date': amzDate, Authorization: authorization },
      body,
    });
    await res.arrayBuffer();
    caps.set('sigv4', res.status === 200
      ? { available: false, why: 'the server accepts a request signed with the wrong secret (SigV4 verification from src/identity is not wired in yet)' }
      : { available: true, why: `wrong signature refused with HTTP ${res.status}` });
  }

  // IAM and STS: the assumed-role principal needs CreateRole and AssumeRole.
  try {
    await new STSClient(client).send(new GetCallerIdentityCommand({}));
    caps.set('iam-sts', { available: true, why: 'STS answers GetCallerIdentity' });
  } catch (err) {
    caps.set('iam-sts', { available: false, why: unknownOperation(err) ? 'the server has no IAM/STS Query API yet (needed for the assumed-role principal)' : `STS GetCallerIdentity failed: ${errorName(err)}` });
  }

  // Key policies: a key whose policy denies kms:Encrypt must refuse Encrypt.
  try {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${builder.accountId}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'ProbeDeny', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:Encrypt', Resource: '*' },
      ],
    });
    const key = await kms.send(new CreateKeyCommand({ Description: 'bench capability probe', Policy: policy }));
    try {
      await kms.send(new EncryptCommand({ KeyId: key.KeyMetadata?.KeyId, Plaintext: Buffer.from('probe') }));
      caps.set('key-policy', { available: false, why: 'key policies are not evaluated yet (an explicit Deny of kms:Encrypt did not stop Encrypt; src/policy is not wired in)' });
    } catch (err) {
      caps.set('key-policy', errorName(err) === 'AccessDeniedException'
        ? { available: true, why: 'an explicit Deny in the key policy is enforced' }
        : { available: false, why: `policy probe failed: ${errorName(err)}` });
    }
  } catch (err) {
    caps.set('key-policy', { available: false, why: `could not create the policy probe key: ${errorName(err)}` });
  }

  // Durable audit: events must be queryable.
  try {
    await new CloudTrailClient(client).send(new LookupEventsCommand({ MaxResults: 1 }));
    caps.set('durable-audit', { available: true, why: 'CloudTrail LookupEvents answers' });
  } catch (err) {
    caps.set('durable-audit', { available: false, why: unknownOperation(err) ? 'the audit trail is not wired into the server yet (CloudTrail LookupEvents is an unknown operation)' : `LookupEvents failed: ${errorName(err)}` });
  }
  return caps;
}

/** The reasons a scenario cannot run, empty when it can. */
export function missing(requires: readonly Capability[], caps: Capabilities): string[] {
  return requires.filter((c) => !caps.get(c)?.available).map((c) => caps.get(c)?.why ?? `${c} was not checked`);
}
