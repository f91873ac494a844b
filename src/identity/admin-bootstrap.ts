// First start of a data directory: create the default account and its admin (the account root)
// with an access key, and write that key to `<data-dir>/credentials` (0600, AWS shared-credentials
// format, profile `kontext`). KONTEXT_ADMIN_ACCESS_KEY_ID / KONTEXT_ADMIN_SECRET_ACCESS_KEY set the
// admin's key instead, on every start. The secret is never logged; only the file's path is.

import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { MetaRepository } from '../store/store.ts';
import type { IdentityService } from './identity-service.ts';
import { ACCESS_KEY_ID_PATTERN } from './ids.ts';

export const CREDENTIALS_FILE_NAME = 'credentials';
export const CREDENTIALS_PROFILE = 'kontext';

export interface AdminBootstrapOptions {
  readonly accountId: string;
  readonly dataDir: string;
  readonly region: string;
  readonly env: Record<string, string | undefined>;
  readonly now: number;
  readonly log: Logger;
}

export interface AdminBootstrapResult {
  /** env: the configured key; generated: a new key written to the credentials file; existing: nothing to do. */
  readonly origin: 'env' | 'generated' | 'existing';
  readonly accessKeyId: string | undefined;
  readonly credentialsFile: string | undefined;
}

export function credentialsFileText(accessKeyId: string, secretAccessKey: string, region: string, accountId: string, profile = CREDENTIALS_PROFILE): string {
  return [
    `# Kontext admin credentials: the root user of account ${accountId}. Keep this file private.`,
    `# Use: AWS_SHARED_CREDENTIALS_FILE=<this file> AWS_PROFILE=${profile} aws kms list-keys --endpoint-url http://127.0.0.1:4599`,
    `[${profile}]`,
    `aws_access_key_id = ${accessKeyId}`,
    `aws_secret_access_key = ${secretAccessKey}`,
    `region = ${region}`,
    '',
  ].join('\n');
}

/** Writes the file with 0600 from the start (never briefly world-readable), replacing any old one. */
function writePrivateFile(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600, flag: 'w' });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}

export async function bootstrapAdmin(identity: IdentityService, meta: MetaRepository, opts: AdminBootstrapOptions): Promise<AdminBootstrapResult> {
  const { accountId, log } = opts;
  await identity.ensureAccount(accountId, opts.now);
  const envId = opts.env['KONTEXT_ADMIN_ACCESS_KEY_ID'] || undefined;
  const envSecret = opts.env['KONTEXT_ADMIN_SECRET_ACCESS_KEY'] || undefined;
  if (envId !== undefined || envSecret !== undefined) {
    if (envId === undefined || envSecret === undefined) {
      throw new Error('Set both KONTEXT_ADMIN_ACCESS_KEY_ID and KONTEXT_ADMIN_SECRET_ACCESS_KEY, or neither');
    }
    if (!ACCESS_KEY_ID_PATTERN.test(envId)) {
      throw new Error('KONTEXT_ADMIN_ACCESS_KEY_ID must be 16 to 128 letters, digits or underscores');
    }
    await identity.putRootAccessKey(accountId, envId, envSecret, opts.now);
    await meta.putIfAbsent(bootstrapFlag(accountId), envId);
    log.info({ accessKeyId: envId, accountId }, 'Admin access key set from KONTEXT_ADMIN_ACCESS_KEY_ID');
    return { origin: 'env', accessKeyId: envId, credentialsFile: undefined };
  }
  const file = join(opts.dataDir, CREDENTIALS_FILE_NAME);
  if ((await meta.get(bootstrapFlag(accountId))) !== undefined) {
    return { origin: 'existing', accessKeyId: undefined, credentialsFile: file };
  }
  const key = await identity.createAccessKey(accountId, undefined, opts.now);
  writePrivateFile(file, credentialsFileText(key.record.accessKeyId, key.secretAccessKey, opts.region, accountId));
  await meta.putIfAbsent(bootstrapFlag(accountId), key.record.accessKeyId);
  log.warn(
    { credentialsFile: file, accessKeyId: key.record.accessKeyId, profile: CREDENTIALS_PROFILE, accountId },
    `Created the admin access key; its credentials are in ${file} (profile ${CREDENTIALS_PROFILE})`,
  );
  return { origin: 'generated', accessKeyId: key.record.accessKeyId, credentialsFile: file };
}

const bootstrapFlag = (accountId: string): string => `identity_bootstrap:${accountId}`;

/** The credentials-file profile of a further account's root user. */
export const accountProfile = (accountId: string): string => `${CREDENTIALS_PROFILE}-${accountId}`;

/**
 * A further account (config `extraAccountIds`): created with a root access key on first sight, its
 * credentials appended to `<data-dir>/credentials` as profile `kontext-<account id>`.
 */
export async function bootstrapAccount(
  identity: IdentityService,
  meta: MetaRepository,
  opts: Omit<AdminBootstrapOptions, 'env'>,
): Promise<AdminBootstrapResult> {
  const { accountId, log } = opts;
  await identity.ensureAccount(accountId, opts.now);
  const file = join(opts.dataDir, CREDENTIALS_FILE_NAME);
  if ((await meta.get(bootstrapFlag(accountId))) !== undefined) return { origin: 'existing', accessKeyId: undefined, credentialsFile: file };
  const key = await identity.createAccessKey(accountId, undefined, opts.now);
  const profile = accountProfile(accountId);
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const section = credentialsFileText(key.record.accessKeyId, key.secretAccessKey, opts.region, accountId, profile);
  writePrivateFile(file, before === '' ? section : `${before.replace(/\n*$/, '\n')}\n${section}`);
  await meta.putIfAbsent(bootstrapFlag(accountId), key.record.accessKeyId);
  log.warn({ credentialsFile: file, accessKeyId: key.record.accessKeyId, profile, accountId }, `Created account ${accountId}; its root credentials are in ${file} (profile ${profile})`);
  return { origin: 'generated', accessKeyId: key.record.accessKeyId, credentialsFile: file };
}
