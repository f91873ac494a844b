// End-to-end: the admin bootstrap of a fresh data dir (credentials file, 0600, profile kontext,
// usable by the SDK's fromIni and the AWS CLI), configured admin keys across restarts, and
// session credentials that expire.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { GetCallerIdentityCommand, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { CreateKeyCommand, DescribeKeyCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { startServerProcess } from '../helpers/server-process.ts';
import { clientsFor, expectAwsError, KMS_ALL_POLICY, roleTrusting, userWithKey } from '../helpers/identity-clients.ts';

const run = promisify(execFile);
const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const ACCOUNT = '123456789012';
/** Unset the helper's configured admin key so the server generates one. */
const NO_ADMIN_ENV = { KONTEXT_ADMIN_ACCESS_KEY_ID: '', KONTEXT_ADMIN_SECRET_ACCESS_KEY: '' };

test('a fresh data dir gets a 0600 credentials file whose [kontext] profile works with fromIni and the AWS CLI', async () => {
  const server = await startServerProcess({ env: NO_ADMIN_ENV });
  try {
    const file = join(server.dataDir, 'credentials');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^\[kontext\]$/m);
    assert.match(text, /^aws_access_key_id = AKIA[A-Z2-7]{16}$/m);
    assert.match(text, /^region = us-east-1$/m);
    const secret = /^aws_secret_access_key = (.+)$/m.exec(text)?.[1];
    assert.ok(secret && secret.length === 40);

    const log = server.output.join('\n');
    assert.ok(log.includes(file), 'the log names the credentials file');
    assert.ok(!log.includes(secret), 'the secret reached the log');

    const credentials = await fromIni({ profile: 'kontext', filepath: file, configFilepath: join(server.dataDir, 'no-config') })();
    const c = clientsFor(server, credentials);
    const who = await c.sts.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:iam::${ACCOUNT}:root`);
    await c.kms.send(new ListKeysCommand({}));

    const env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: server.dataDir,
      AWS_SHARED_CREDENTIALS_FILE: file,
      AWS_CONFIG_FILE: join(server.dataDir, 'no-config'),
      AWS_PROFILE: 'kontext',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const { stdout: keys } = await run(AWS, ['kms', 'list-keys', '--endpoint-url', server.url], { env, timeout: 30_000 });
    assert.ok(Array.isArray(JSON.parse(keys).Keys));
    const { stdout: identity } = await run(AWS, ['sts', 'get-caller-identity', '--endpoint-url', server.url], { env, timeout: 30_000 });
    assert.equal(JSON.parse(identity).Arn, `arn:aws:iam::${ACCOUNT}:root`);
    const { stdout: created } = await run(AWS, ['iam', 'create-user', '--user-name', 'cli-user', '--endpoint-url', server.url], { env, timeout: 30_000 });
    assert.equal(JSON.parse(created).User.Arn, `arn:aws:iam::${ACCOUNT}:user/cli-user`);
  } finally {
    await server.stop();
    server.cleanup();
  }
});

test('the credentials file is written once: a restart keeps the same admin key', async () => {
  const first = await startServerProcess({ env: NO_ADMIN_ENV });
  const file = join(first.dataDir, 'credentials');
  const before = readFileSync(file, 'utf8');
  await first.stop();
  const second = await startServerProcess({ env: NO_ADMIN_ENV, dataDir: first.dataDir });
  try {
    assert.equal(readFileSync(file, 'utf8'), before);
    const credentials = await fromIni({ profile: 'kontext', filepath: file, configFilepath: join(second.dataDir, 'no-config') })();
    await clientsFor(second, credentials).kms.send(new ListKeysCommand({}));
  } finally {
    await second.stop();
    second.cleanup();
  }
});

test('KONTEXT_ADMIN_* credentials are the admin key, also after a restart of the same data dir', async () => {
  const first = await startServerProcess();
  assert.ok(!existsSync(join(first.dataDir, 'credentials')), 'configured credentials are not copied to disk');
  await clientsFor(first).kms.send(new ListKeysCommand({}));
  await first.stop();
  const second = await startServerProcess({ dataDir: first.dataDir });
  try {
    const who = await clientsFor(second).sts.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:iam::${ACCOUNT}:root`);
  } finally {
    await second.stop();
    second.cleanup();
  }
});

test('expired session credentials are ExpiredTokenException for KMS and ExpiredToken for STS', async () => {
  const first = await startServerProcess();
  const admin = clientsFor(first);
  const creds = await userWithKey(admin.iam, 'temp-user');
  const roleArn = await roleTrusting(admin.iam, 'Temporary', `arn:aws:iam::${ACCOUNT}:user/temp-user`, { policy: KMS_ALL_POLICY });
  const { Credentials: c } = await clientsFor(first, creds).sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'short', DurationSeconds: 900 }));
  const session = { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
  await clientsFor(first, session).kms.send(new ListKeysCommand({}));
  await first.stop();
  // Waiting 15 minutes is no test: move the session's expiry into the past while the server is down.
  const db = new Database(join(first.dataDir, 'kontext.db'));
  db.prepare('UPDATE sts_sessions SET expires_at = ? WHERE access_key_id = ?').run(Date.now() - 1000, session.accessKeyId);
  db.close();
  const second = await startServerProcess({ dataDir: first.dataDir });
  try {
    const expired = clientsFor(second, session);
    const err = await expectAwsError(expired.kms.send(new ListKeysCommand({})), 'ExpiredTokenException', 400);
    assert.equal(err.message, 'The security token included in the request is expired');
    await expectAwsError(expired.sts.send(new GetCallerIdentityCommand({})), 'ExpiredToken', 403);
  } finally {
    await second.stop();
    second.cleanup();
  }
});

test('KONTEXT_EXTRA_ACCOUNT_IDS adds accounts whose root users see only their own keys', async () => {
  const other = '210987654321';
  const server = await startServerProcess({ env: { KONTEXT_EXTRA_ACCOUNT_IDS: other } });
  try {
    const file = join(server.dataDir, 'credentials');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const credentials = await fromIni({ profile: `kontext-${other}`, filepath: file, configFilepath: join(server.dataDir, 'no-config') })();
    const otherRoot = clientsFor(server, credentials);
    assert.equal((await otherRoot.sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${other}:root`);
    const mine = (await clientsFor(server).kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await expectAwsError(otherRoot.kms.send(new DescribeKeyCommand({ KeyId: mine })), 'NotFoundException', 400);
    const theirs = (await otherRoot.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    assert.match(theirs.Arn!, new RegExp(`^arn:aws:kms:us-east-1:${other}:key/`));
  } finally {
    await server.stop();
    server.cleanup();
  }
});
