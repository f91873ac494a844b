import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRootProgram } from '../run-cli.ts';
import { flagName, KMS_VERBS } from './kms-verbs.ts';
import { registerKmsCommands } from './register-kms-commands.ts';

const program = createRootProgram();
registerKmsCommands(program, { env: {}, userAgent: 'test', write: () => undefined });

describe('generated KMS commands', () => {
  test('every verb has --help listing each of its flags, required ones marked', () => {
    for (const spec of KMS_VERBS) {
      const cmd = program.commands.find((c) => c.name() === spec.verb);
      assert.ok(cmd, spec.verb);
      const help = cmd.helpInformation();
      for (const p of spec.params) {
        assert.ok(help.includes(`--${flagName(p.name)}`), `${spec.verb} --help lacks --${flagName(p.name)}`);
      }
      for (const global of ['--endpoint-url', '--region', '--profile', '--output', '--query', '--cli-binary-format']) assert.ok(help.includes(global), `${spec.verb}: ${global}`);
      if (spec.params.some((p) => p.required)) assert.match(help, /\(required\)/);
    }
  });

  test('the main verbs show an example', () => {
    for (const verb of ['create-key', 'encrypt', 'decrypt', 're-encrypt', 'generate-data-key', 'create-alias', 'list-keys', 'tag-resource', 'enable-key-rotation', 'put-key-policy', 'create-grant']) {
      const spec = KMS_VERBS.find((s) => s.verb === verb);
      assert.ok(spec?.example?.startsWith(`kontext ${verb} `), `${verb} has no example`);
    }
  });

  test('the root help groups the verbs and explains how to connect', () => {
    let help = '';
    program.configureOutput({ writeOut: (s) => (help += s) });
    program.outputHelp();
    for (const heading of ['Keys:', 'Encryption and data keys:', 'Aliases:', 'Rotation:', 'Grants:', 'Quick start:', 'KONTEXT_ENDPOINT']) assert.ok(help.includes(heading), heading);
  });
});
