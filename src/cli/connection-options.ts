// The AWS CLI's global options, for every command that calls a Kontext (or AWS) endpoint:
// where to connect, as whom, and how to print the answer.

import { Option, type Command } from 'commander';
import { usageError } from './cli-error.ts';
import type { BinaryFormat } from './args/param-value.ts';
import { DEFAULT_ENDPOINT, type ConnectionOptions, type Env } from './kms/kms-client.ts';
import { OUTPUT_FORMATS, type OutputFormat } from './output/format-output.ts';

export const GLOBAL_OPTIONS_HEADING = 'Global options:';

export function addConnectionOptions(cmd: Command): Command {
  const global = (o: Option) => cmd.addOption(o.helpGroup(GLOBAL_OPTIONS_HEADING));
  global(new Option('--endpoint-url <url>', `Kontext endpoint (default: $KONTEXT_ENDPOINT, else ${DEFAULT_ENDPOINT})`));
  global(new Option('--region <region>', 'region of the keys (default: $AWS_REGION, $AWS_DEFAULT_REGION, the profile\'s, else us-east-1)'));
  global(new Option('--profile <name>', 'a profile of the AWS shared config/credentials files (default: $AWS_PROFILE)'));
  global(new Option('--output <format>', 'json or text (default: $AWS_DEFAULT_OUTPUT, else json)'));
  global(new Option('--query <jmespath>', 'JMESPath expression applied to the response, e.g. KeyMetadata.KeyId'));
  global(new Option('--no-paginate', 'print only the first page of a list (default: all pages, merged)'));
  global(new Option('--cli-binary-format <format>', 'base64 (every blob flag is base64) or raw-in-base64-out (every blob flag is text); default: --plaintext is text, --ciphertext-blob is base64'));
  global(new Option('--cli-input-json <json>', 'request parameters as JSON (API member names), or file://request.json; flags override'));
  global(new Option('--cli-read-timeout <seconds>', 'socket read timeout (0: none)'));
  global(new Option('--cli-connect-timeout <seconds>', 'connect timeout (0: none)'));
  // Accepted so scripts written for the AWS CLI run unchanged; kontext never pages.
  cmd.addOption(new Option('--no-cli-pager').hideHelp());
  return cmd;
}

export interface GlobalOptionValues {
  readonly endpointUrl?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly output?: string;
  readonly query?: string;
  readonly paginate?: boolean;
  readonly cliBinaryFormat?: string;
  readonly cliInputJson?: string;
  readonly cliReadTimeout?: string;
  readonly cliConnectTimeout?: string;
}

export function connectionOptions(o: GlobalOptionValues): ConnectionOptions {
  return {
    endpointUrl: o.endpointUrl,
    region: o.region,
    profile: o.profile,
    readTimeout: seconds(o.cliReadTimeout, '--cli-read-timeout'),
    connectTimeout: seconds(o.cliConnectTimeout, '--cli-connect-timeout'),
  };
}

function seconds(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw usageError(`expected a number of seconds: '${v}'`, flag);
  return n;
}

export function outputFormat(o: GlobalOptionValues, env: Env): OutputFormat {
  const f = o.output ?? env['AWS_DEFAULT_OUTPUT'] ?? 'json';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(f)) throw usageError(`--output ${f} is not supported: use ${OUTPUT_FORMATS.join(' or ')}`);
  return f as OutputFormat;
}

export function binaryFormat(o: GlobalOptionValues): BinaryFormat | undefined {
  const f = o.cliBinaryFormat;
  if (f === undefined || f === 'base64' || f === 'raw-in-base64-out') return f;
  throw usageError(`expected base64 or raw-in-base64-out: '${f}'`, '--cli-binary-format');
}
