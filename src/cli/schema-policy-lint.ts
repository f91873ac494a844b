// `kontext policy lint FILE | --key-id K`: lints a key or identity policy with Kontext.LintPolicy
// and prints the findings. For CI: exits 1 when a finding is at or above --fail-on (default error).

import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { usageError } from './cli-error.ts';
import { addConnectionOptions, connectionOptions, outputFormat, type GlobalOptionValues } from './connection-options.ts';
import { describeCallFailure } from './kms/call-errors.ts';
import { connectKms } from './kms/kms-client.ts';
import { toCliValue } from './output/cli-values.ts';
import { compileQuery, formatOutput } from './output/format-output.ts';
import { callKontext } from './schema-client.ts';
import type { SchemaCommandIo } from './schema-command.ts';

const SEVERITIES = ['info', 'warning', 'error'] as const;

interface LintOptions extends GlobalOptionValues {
  keyId?: string;
  schema?: string;
  policyType?: string;
  failOn?: string;
}

/** Adds `lint` under the `policy` command (creating it if no other part of Kontext has). */
export function registerPolicyLintCommand(program: Command, io: SchemaCommandIo): void {
  let policy = program.commands.find((c) => c.name() === 'policy');
  if (!policy) {
    policy = program.createCommand('policy').copyInheritedSettings(program).summary('policy tools: lint, simulate, validate').description('Policy tools: lint, simulate, validate');
    program.addCommand(policy);
  }
  const lint = policy
    .createCommand('lint')
    .copyInheritedSettings(program)
    .summary('find policy mistakes: Decrypt without a context condition, wildcard principals, conditions that never match, ...')
    .description('Lints a key policy (or an identity policy) and prints the findings; with --key-id, the key\'s own policy and its context schema')
    .argument('[file]', "the policy document (JSON), or '-' for standard input; omit with --key-id to lint the key's policy")
    .option('--key-id <key>', 'apply the context schema of this key (and lint its key policy when no file is given)')
    .option('--schema <name>', 'apply this context schema')
    .addOption(new Option('--policy-type <type>', 'key or identity').choices(['key', 'identity']).default('key'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at least this severe (none: never)').choices([...SEVERITIES, 'none']).default('error'));
  addConnectionOptions(lint).action(async (file: string | undefined, opts: LintOptions) => {
    const format = outputFormat(opts, io.env);
    const query = compileQuery(opts.query);
    if (file === undefined && opts.keyId === undefined) throw usageError('give a policy file, or --key-id to lint that key\'s policy');
    const policy = file !== undefined ? readPolicy(file) : await keyPolicy(opts, io);
    const out = await callKontext(
      'LintPolicy',
      {
        Policy: policy,
        PolicyType: opts.policyType === 'identity' ? 'IDENTITY_POLICY' : 'KEY_POLICY',
        ...(opts.keyId !== undefined ? { KeyId: opts.keyId } : {}),
        ...(opts.schema !== undefined ? { SchemaName: opts.schema } : {}),
      },
      connectionOptions(opts),
      io.env,
      io.userAgent,
    );
    io.write(formatOutput(toCliValue(out) ?? {}, format, query));
    const threshold = SEVERITIES.indexOf((opts.failOn ?? 'error') as (typeof SEVERITIES)[number]);
    const findings = (out['Findings'] ?? []) as Array<{ Severity: string }>;
    if (threshold >= 0 && findings.some((f) => SEVERITIES.indexOf(f.Severity as (typeof SEVERITIES)[number]) >= threshold)) process.exitCode = 1;
  });
  policy.addCommand(lint);
}

function readPolicy(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw usageError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

async function keyPolicy(opts: LintOptions, io: SchemaCommandIo): Promise<string> {
  const conn = await connectKms(connectionOptions(opts), io.env, io.userAgent);
  try {
    const out = await conn.client.send(new GetKeyPolicyCommand({ KeyId: opts.keyId!, PolicyName: 'default' }));
    return out.Policy ?? '';
  } catch (err) {
    throw describeCallFailure(err, 'GetKeyPolicy', conn.endpoint);
  } finally {
    conn.client.destroy();
  }
}
