// `kontext policy simulate` (Kontext.SimulatePolicy: would this principal be allowed this action on
// this key with this context, and why, statement by statement) and `kontext policy validate FILE`
// (the policy engine's own parser, locally: no server needed). Both are added under the existing
// `policy` command (the one `policy lint` uses), created here only if no other part has.
//
// Exit codes: simulate exits 0 when the decision is allowed and 1 when it is a deny (implicit or
// explicit); validate exits 1 when the document has problems. Usage, configuration and service
// errors exit as every other command does (252 / 253 / 254 / 255).

import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { parsePolicy, type PolicyKind } from '../policy/index.ts';
import { usageError } from './cli-error.ts';
import { parseParam } from './args/param-value.ts';
import { addConnectionOptions, connectionOptions, outputFormat, type GlobalOptionValues } from './connection-options.ts';
import { toCliValue, type CliValue } from './output/cli-values.ts';
import { compileQuery, formatOutput } from './output/format-output.ts';
import { callKontext } from './schema-client.ts';
import type { SchemaCommandIo } from './schema-command.ts';

interface SimulateOptions extends GlobalOptionValues {
  keyId: string;
  principal?: string;
  action: string;
  encryptionContext?: string;
  sourceIp?: string;
}

interface ValidateOptions {
  kind: PolicyKind;
  output?: string;
}

function policyCommand(program: Command): Command {
  let policy = program.commands.find((c) => c.name() === 'policy');
  if (!policy) {
    policy = program.createCommand('policy').copyInheritedSettings(program).summary('policy tools: lint, simulate, validate').description('Policy tools: lint, simulate, validate');
    program.addCommand(policy);
  }
  return policy;
}

export function registerPolicyToolsCommands(program: Command, io: SchemaCommandIo): void {
  const policy = policyCommand(program);
  const simulate = policy
    .createCommand('simulate')
    .copyInheritedSettings(program)
    .summary('would this principal be allowed this action on this key, with this context? explained statement by statement')
    .description(
      "Evaluates a hypothetical request against the key's policy, its grants and the principal's identity policies (Kontext.SimulatePolicy).\n" +
        'Exits 0 when the decision is allowed, 1 when it is denied.',
    )
    .requiredOption('--key-id <key>', 'key id, key ARN, alias name or alias ARN')
    .option('--principal <arn>', 'the principal to simulate (default: the caller)')
    .requiredOption('--action <action>', 'the action, e.g. kms:Decrypt (the kms: prefix is optional)')
    .option('--encryption-context <pairs>', 'key=value,key2=value2 or JSON, or file://context.json')
    .option('--source-ip <ip>', 'the aws:SourceIp of the hypothetical request')
    .addHelpText('after', '\nExamples:\n  $ kontext policy simulate --key-id alias/finance --principal arn:aws:iam::111122223333:role/app --action kms:Decrypt --encryption-context department=finance\n  $ kontext policy simulate --key-id K --action Decrypt --output text\n');
  addConnectionOptions(simulate).action(async (opts: SimulateOptions) => {
    const format = outputFormat(opts, io.env);
    const query = compileQuery(opts.query);
    const context =
      opts.encryptionContext !== undefined
        ? (parseParam({ kind: 'map' }, opts.encryptionContext, { flag: '--encryption-context', name: 'EncryptionContext', binaryFormat: undefined }) as Record<string, string>)
        : undefined;
    const out = await callKontext(
      'SimulatePolicy',
      {
        KeyId: opts.keyId,
        Action: opts.action,
        ...(opts.principal !== undefined ? { PrincipalArn: opts.principal } : {}),
        ...(context !== undefined ? { EncryptionContext: context } : {}),
        ...(opts.sourceIp !== undefined ? { SourceIp: opts.sourceIp } : {}),
      },
      connectionOptions(opts),
      io.env,
      io.userAgent,
    );
    if (format === 'text' && query === undefined) io.write(simulationText(out));
    else io.write(formatOutput(toCliValue(out) ?? {}, format, query));
    if (out['Decision'] !== 'allowed') process.exitCode = 1;
  });
  policy.addCommand(simulate);

  const validate = policy
    .createCommand('validate')
    .copyInheritedSettings(program)
    .summary('check a policy document locally (syntax, elements, principals, conditions)')
    .description('Validates a policy document with the policy engine, without a server, and prints each problem (code, path, message). Exits 1 if there is any.')
    .argument('<file>', "the policy document (JSON), or '-' for standard input")
    .addOption(new Option('--kind <kind>', 'key (key policy), identity (IAM identity policy) or trust (role trust policy)').choices(['key', 'identity', 'trust']).default('key'))
    .addOption(new Option('--output <format>', 'json or text').choices(['json', 'text']).default('json'))
    .action((file: string, opts: ValidateOptions) => {
      let text: string;
      try {
        text = readFileSync(file === '-' ? 0 : file, 'utf8');
      } catch (err) {
        throw usageError(`cannot read ${file}: ${(err as Error).message}`);
      }
      const result = parsePolicy(text, { kind: opts.kind });
      const problems = result.ok ? [] : result.problems.map((p) => ({ Code: p.code, Path: p.path, Message: p.message }));
      if (opts.output === 'text') {
        io.write(problems.length === 0 ? `OK: valid ${opts.kind} policy\n` : problems.map((p) => `${p.Code}\t${p.Path || '(document)'}\t${p.Message}\n`).join(''));
      } else {
        io.write(`${JSON.stringify({ Valid: problems.length === 0, Kind: opts.kind, Problems: problems }, null, 4)}\n`);
      }
      if (problems.length > 0) process.exitCode = 1;
    });
  policy.addCommand(validate);
}

/** The decision, then one line per statement: why it applied or did not. */
function simulationText(out: Record<string, unknown>): string {
  const lines = [`${String(out['Decision'])}: ${String(out['Reason'] ?? '')}`];
  lines.push(`  principal: ${String(out['Principal'] ?? '')}`, `  action:    ${String(out['Action'] ?? '')}`, `  resource:  ${String(out['Resource'] ?? '')}`);
  const explanation = (out['Explanation'] ?? []) as Array<Record<string, CliValue>>;
  if (explanation.length > 0) lines.push('Statements:');
  for (const e of explanation) {
    const name = `${String(e['Source'])} #${String(e['Index'])}${e['Sid'] !== undefined ? ` (${String(e['Sid'])})` : ''}`;
    const mark = e['Applies'] ? 'applies' : 'does not apply';
    lines.push(`  ${name} ${String(e['Effect'])}: ${mark} - ${String(e['Detail'] ?? '')}`);
  }
  const missing = (out['MissingContextValues'] ?? []) as CliValue[];
  if (missing.length > 0) lines.push(`Missing context values: ${missing.map((m) => String(m)).join(', ')}`);
  return `${lines.join('\n')}\n`;
}
