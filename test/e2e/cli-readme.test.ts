// The README's CLI and SDK snippets, run as written against a real server (only the endpoint and
// the way `kontext` is invoked from a checkout are substituted).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { REPO_ROOT, startServerProcess, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type ServerProcess } from '../helpers/server-process.ts';

const run = promisify(execFile);
let server: ServerProcess;
let work: string;

/** The first fenced block of `lang` after the heading `## <section>`. */
function snippet(section: string, lang: string): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${section}\n`);
  assert.ok(start >= 0, `README has no section ${section}`);
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(readme.slice(start));
  assert.ok(m?.[1], `README section ${section} has no ${lang} block`);
  return m[1];
}

const env = () => ({
  PATH: process.env['PATH'] ?? '',
  HOME: work,
  AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
  AWS_REGION: 'us-east-1',
  KONTEXT_ENDPOINT: server.url,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

before(async () => {
  server = await startServerProcess();
  work = mkdtempSync(join(tmpdir(), 'kontext-readme-'));
});

after(async () => {
  await server?.stop();
  server?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the README CLI snippet encrypts and decrypts with the context', async () => {
  const script = snippet('CLI', 'sh')
    .split('\n')
    .filter((l) => !l.startsWith('kontext server'))
    .join('\n')
    .replace(/(^|\$\()kontext /gm, `$1node ${join(REPO_ROOT, 'bin/kontext.js')} `);
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: work, env: env(), timeout: 60_000 });
  assert.equal(stdout, 'sensitive-data-here');
});

test('the README SDK snippet runs as written', async () => {
  const kms = new KMSClient(server.clientConfig());
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: KeyMetadata!.KeyId! }));
  kms.destroy();
  const code = snippet('SDK', 'ts').replaceAll('http://127.0.0.1:4599', server.url) + "\nconsole.log(await invoices.decryptText(blob, { tenant_id: 't_acme', invoice_id: 'inv_9' }));\n";
  // Inside the repository, so that 'kontext/sdk' and '@aws-sdk/client-kms' resolve as in an application.
  const file = join(REPO_ROOT, 'test/e2e', `.readme-sdk-${process.pid}.ts`);
  writeFileSync(file, code);
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { cwd: REPO_ROOT, env: env(), timeout: 60_000 });
    assert.equal(stdout, 'net 30\n');
  } finally {
    rmSync(file, { force: true });
  }
});
