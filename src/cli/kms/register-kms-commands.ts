// Generates one `kontext <verb>` command per declared KMS verb: its flags, help and example.

import { Option, type Command } from 'commander';
import { addConnectionOptions } from '../connection-options.ts';
import { flagName, KMS_VERBS, type ParamSpec, type VerbSpec } from './kms-verbs.ts';
import { runVerb, type VerbIo } from './run-verb.ts';

export function registerKmsCommands(program: Command, io: VerbIo): void {
  for (const spec of KMS_VERBS) program.addCommand(kmsCommand(program, spec, io));
}

function kmsCommand(program: Command, spec: VerbSpec, io: VerbIo): Command {
  const cmd = program
    .createCommand(spec.verb)
    .copyInheritedSettings(program)
    .summary(spec.summary)
    .description(`${spec.summary}.\nSends the KMS ${spec.operation} request; flags and output are those of 'aws kms ${spec.verb}'.`)
    .helpGroup(spec.group)
    .optionsGroup('Options:');
  for (const p of spec.params) addParamOption(cmd, p);
  if (spec.pageResult !== undefined) addPaginationOptions(cmd, spec.pageResult);
  addConnectionOptions(cmd);
  if (spec.example) cmd.addHelpText('after', `\nExample:\n  $ ${spec.example}\n`);
  cmd.action(async (opts: Record<string, unknown>) => runVerb(spec, opts, io));
  return cmd;
}

function addParamOption(cmd: Command, p: ParamSpec): void {
  const flag = `--${flagName(p.name)}`;
  const help = p.required ? `${p.help} (required)` : p.help;
  if (p.shape.kind === 'boolean') {
    cmd.addOption(new Option(flag, help));
    cmd.addOption(new Option(`--no-${flagName(p.name)}`, `unset ${flag}`).hideHelp());
  } else if (p.shape.kind === 'list') {
    cmd.addOption(new Option(`${flag} <value...>`, help));
  } else {
    cmd.addOption(new Option(`${flag} <value>`, help));
  }
}

/** The AWS CLI's paging flags of a list verb (see paginate.ts). */
function addPaginationOptions(cmd: Command, resultKey: string): void {
  const group = (o: Option) => cmd.addOption(o.helpGroup('Pagination (by default every page is fetched and merged):'));
  group(new Option('--max-items <n>', `print at most n ${resultKey}; if more remain, the output ends with a NextToken for --starting-token`));
  group(new Option('--starting-token <token>', 'continue where a previous --max-items stopped (its NextToken; tokens of `aws kms` work too)'));
  group(new Option('--page-size <n>', `${resultKey} per request (the Limit of each call); all pages are still fetched`));
}
