import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { bootstrapAccount, bootstrapAdmin, type AdminBootstrapOptions } from './admin-bootstrap.ts';
import { ACCOUNT, identityFixture, type IdentityFixture } from '../../test/helpers/identity-fixture.ts';

let fx: IdentityFixture;
let dataDir: string;
let logText: string;

beforeEach(() => {
  fx = identityFixture();
  dataDir = mkdtempSync(join(tmpdir(), 'kontext-bootstrap-'));
  logText = '';
});
afterEach(async () => {
  await fx.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function options(env: Record<string, string | undefined> = {}): AdminBootstrapOptions {
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      logText += chunk.toString();
      cb();
    },
  });
  return { accountId: ACCOUNT, dataDir, region: 'eu-central-1', env, now: Date.now(), log: pino({ level: 'info' }, sink) };
}

const parseIni = (text: string) => Object.fromEntries([...text.matchAll(/^(\w+) = (.*)$/gm)].map((m) => [m[1], m[2]]));

test('bootstrapAdmin() on a fresh data dir writes a 0600 credentials file with a working root key', async () => {
  const result = await bootstrapAdmin(fx.identity, fx.store.meta, options());
  assert.equal(result.origin, 'generated');
  const file = join(dataDir, 'credentials');
  assert.equal(result.credentialsFile, file);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const text = readFileSync(file, 'utf8');
  assert.match(text, /^\[kontext\]$/m);
  const ini = parseIni(text);
  assert.equal(ini['aws_access_key_id'], result.accessKeyId);
  assert.equal(ini['region'], 'eu-central-1');
  const resolved = await fx.resolver.resolve(ini['aws_access_key_id'] as string, Date.now());
  assert.equal(resolved?.caller.type, 'Root');
  assert.equal(resolved?.secretAccessKey, ini['aws_secret_access_key']);
  assert.ok(logText.includes(file), 'the log names the credentials file');
  assert.ok(!logText.includes(ini['aws_secret_access_key'] as string), 'the secret reached the log');
});

test('bootstrapAdmin() creates the admin key only once per data dir', async () => {
  await bootstrapAdmin(fx.identity, fx.store.meta, options());
  const first = readFileSync(join(dataDir, 'credentials'), 'utf8');
  const again = await bootstrapAdmin(fx.identity, fx.store.meta, options());
  assert.equal(again.origin, 'existing');
  assert.equal(readFileSync(join(dataDir, 'credentials'), 'utf8'), first);
});

test('bootstrapAdmin() makes the configured key the admin key on every start, secret included', async () => {
  const env = { KONTEXT_ADMIN_ACCESS_KEY_ID: 'AKIACONFIGUREDADMIN1', KONTEXT_ADMIN_SECRET_ACCESS_KEY: 'first-secret' };
  const result = await bootstrapAdmin(fx.identity, fx.store.meta, options(env));
  assert.equal(result.origin, 'env');
  assert.equal(result.credentialsFile, undefined);
  assert.equal((await fx.resolver.resolve('AKIACONFIGUREDADMIN1', Date.now()))?.secretAccessKey, 'first-secret');
  await bootstrapAdmin(fx.identity, fx.store.meta, options({ ...env, KONTEXT_ADMIN_SECRET_ACCESS_KEY: 'rotated-secret' }));
  const resolved = await fx.resolver.resolve('AKIACONFIGUREDADMIN1', Date.now());
  assert.equal(resolved?.secretAccessKey, 'rotated-secret');
  assert.equal(resolved?.caller.arn, `arn:aws:iam::${ACCOUNT}:root`);
  assert.ok(!logText.includes('first-secret') && !logText.includes('rotated-secret'));
});

test('bootstrapAdmin() refuses half a configured key or a malformed key id', async () => {
  await assert.rejects(bootstrapAdmin(fx.identity, fx.store.meta, options({ KONTEXT_ADMIN_ACCESS_KEY_ID: 'AKIACONFIGUREDADMIN1' })), /both/);
  await assert.rejects(
    bootstrapAdmin(fx.identity, fx.store.meta, options({ KONTEXT_ADMIN_ACCESS_KEY_ID: 'short', KONTEXT_ADMIN_SECRET_ACCESS_KEY: 's' })),
    /16 to 128/,
  );
});

test('bootstrapAccount() adds a further account with its root key as profile kontext-<id>, once', async () => {
  await bootstrapAdmin(fx.identity, fx.store.meta, options());
  const other = '210987654321';
  const result = await bootstrapAccount(fx.identity, fx.store.meta, { ...options(), accountId: other });
  assert.equal(result.origin, 'generated');
  const file = join(dataDir, 'credentials');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const text = readFileSync(file, 'utf8');
  assert.match(text, /^\[kontext\]$/m);
  assert.match(text, /^\[kontext-210987654321\]$/m);
  const section = text.slice(text.indexOf('[kontext-210987654321]'));
  const ini = parseIni(section);
  const resolved = await fx.resolver.resolve(ini['aws_access_key_id'] as string, Date.now());
  assert.equal(resolved?.caller.arn, `arn:aws:iam::${other}:root`);
  assert.equal((await bootstrapAccount(fx.identity, fx.store.meta, { ...options(), accountId: other })).origin, 'existing');
  assert.equal(readFileSync(file, 'utf8'), text);
});
