// Runs one declared verb: flags → API input, the call (every page of a list, merged, as the AWS
// CLI does unless told otherwise; see paginate.ts), and the response printed as the AWS CLI prints it.

import type { KMSClient } from '@aws-sdk/client-kms';
import { CliError, EXIT, usageError } from '../cli-error.ts';
import { asText, loadParamValue } from '../args/param-file.ts';
import { coerce, parseParam, type BinaryFormat } from '../args/param-value.ts';
import { binaryFormat, connectionOptions, outputFormat, type GlobalOptionValues } from '../connection-options.ts';
import { toCliValue } from '../output/cli-values.ts';
import { compileQuery, formatOutput } from '../output/format-output.ts';
import { inModelOrder } from '../output/model-order.ts';
import { describeCallFailure } from './call-errors.ts';
import { connectKms, type Env } from './kms-client.ts';
import { countArg, fullResult, paginate, type Paginated, type PaginationArgs } from './paginate.ts';
import { flagName, type ParamSpec, type VerbSpec } from './kms-verbs.ts';

export interface VerbIo {
  readonly env: Env;
  readonly userAgent: string;
  write(text: string): void;
}

type Input = Record<string, unknown>;
type AnyCommand = new (input: Input) => Parameters<KMSClient['send']>[0];

/** The `@aws-sdk/client-kms` command class of an operation (`Encrypt` → EncryptCommand). */
export async function commandClass(operation: string): Promise<AnyCommand | undefined> {
  const sdk = (await import('@aws-sdk/client-kms')) as unknown as Record<string, unknown>;
  const ctor = sdk[`${operation}Command`];
  return typeof ctor === 'function' ? (ctor as AnyCommand) : undefined;
}

/** Commander's property name for a flag (`key-id` → keyId). */
export const optionKey = (flag: string): string => flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export async function runVerb(spec: VerbSpec, opts: GlobalOptionValues & Record<string, unknown>, io: VerbIo): Promise<void> {
  const format = outputFormat(opts, io.env);
  const query = compileQuery(opts.query);
  const input = buildInput(spec, opts, binaryFormat(opts));
  const paging = pagingOf(spec, opts, input);
  const Command = await commandClass(spec.operation);
  if (!Command) throw new CliError(`kontext: no client command for ${spec.operation}`, EXIT.other);
  const conn = await connectKms(connectionOptions(opts), io.env, io.userAgent);
  let response: unknown;
  let pages: Paginated | undefined;
  try {
    const send = (i: Input) => conn.client.send(new Command(i)) as unknown as Promise<Record<string, unknown>>;
    if (paging !== undefined && spec.pageResult !== undefined) pages = await paginate(send, input, spec.pageResult, paging);
    else response = await send(input);
  } catch (err) {
    throw describeCallFailure(err, spec.operation, conn.endpoint);
  } finally {
    conn.client.destroy();
  }
  const print = (v: unknown) => formatOutput(inModelOrder(toCliValue(v) ?? {}), format, query);
  if (pages === undefined) io.write(print(response));
  // The AWS CLI prints text page by page (--query applied to each), then the NextToken.
  else if (format === 'text') io.write(pages.pages.map(print).join('') + (pages.nextToken !== undefined ? print({ NextToken: { NextToken: pages.nextToken } }) : ''));
  else io.write(print(fullResult(pages)));
}

/**
 * How a list verb pages: undefined for one request (not a list verb, --no-paginate, or --limit /
 * --marker given, as the AWS CLI turns paging off for them), else the --max-items,
 * --starting-token and --page-size to page with.
 */
export function pagingOf(spec: VerbSpec, opts: Record<string, unknown>, input: Input): PaginationArgs | undefined {
  if (spec.pageResult === undefined) return undefined;
  const maxItems = countArg(opts['maxItems'] as string | undefined, '--max-items', 0);
  const pageSize = countArg(opts['pageSize'] as string | undefined, '--page-size', 1);
  const startingToken = opts['startingToken'] as string | undefined;
  if (opts['paginate'] === false || input['Limit'] !== undefined || input['Marker'] !== undefined) {
    // As the AWS CLI: only the flags given a truthy value count (--max-items 0 does not).
    const used = [startingToken ? '--starting-token' : '', pageSize ? '--page-size' : '', maxItems ? '--max-items' : ''].filter(Boolean);
    if (used.length > 0) throw usageError(`Cannot specify --no-paginate along with pagination arguments: ${used.join(', ')}`);
    return undefined;
  }
  return { ...(maxItems !== undefined ? { maxItems } : {}), ...(pageSize !== undefined ? { pageSize } : {}), ...(startingToken !== undefined ? { startingToken } : {}) };
}

/** The flags (over --cli-input-json) as the operation's input; a missing required flag is a usage error. */
export function buildInput(spec: VerbSpec, opts: Record<string, unknown>, format: BinaryFormat | undefined): Input {
  const input: Input = typeof opts['cliInputJson'] === 'string' ? cliInputJson(spec, opts['cliInputJson']) : {};
  for (const p of spec.params) {
    const raw = opts[optionKey(flagName(p.name))];
    if (raw === undefined) continue;
    input[p.name] = p.shape.kind === 'boolean' ? raw === true : parseParam(p.shape, raw as string | string[], { flag: `--${flagName(p.name)}`, name: p.name, binaryFormat: format });
  }
  const missing = spec.params.filter((p) => p.required && input[p.name] === undefined);
  if (missing.length > 0) {
    throw usageError(`the following arguments are required: ${missing.map((p) => `--${flagName(p.name)}`).join(', ')}\nSee 'kontext ${spec.verb} --help'.`);
  }
  return input;
}

function cliInputJson(spec: VerbSpec, raw: string): Input {
  const text = asText(loadParamValue(raw, '--cli-input-json'));
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw usageError(`Invalid JSON: ${(err as Error).message}`, '--cli-input-json');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw usageError('expected a JSON object', '--cli-input-json');
  const byName = new Map<string, ParamSpec>(spec.params.map((p) => [p.name, p]));
  const input: Input = {};
  for (const [name, value] of Object.entries(doc)) {
    const p = byName.get(name);
    if (!p) throw usageError(`Unknown parameter "${name}", must be one of: ${[...byName.keys()].join(', ')}`, '--cli-input-json');
    input[name] = coerce(p.shape, value, name);
  }
  return input;
}
