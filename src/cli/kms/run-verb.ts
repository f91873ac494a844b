// Runs one declared verb: flags → API input, the call (every page of a list, merged, as the AWS
// CLI does unless told otherwise), and the response printed as the AWS CLI prints it.

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
  const Command = await commandClass(spec.operation);
  if (!Command) throw new CliError(`kontext: no client command for ${spec.operation}`, EXIT.other);
  const conn = await connectKms(connectionOptions(opts), io.env, io.userAgent);
  let response: unknown;
  try {
    const send = (i: Input) => conn.client.send(new Command(i)) as unknown as Promise<Record<string, unknown>>;
    const paginate = spec.pageResult !== undefined && opts.paginate !== false && input['Limit'] === undefined && input['Marker'] === undefined;
    response = paginate ? await allPages(send, input, spec.pageResult as string) : await send(input);
  } catch (err) {
    throw describeCallFailure(err, spec.operation, conn.endpoint);
  } finally {
    conn.client.destroy();
  }
  io.write(formatOutput(inModelOrder(toCliValue(response) ?? {}), format, query));
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

const MAX_PAGES = 10_000;

/** Every page merged into the first response, without NextMarker/Truncated (the AWS CLI's build_full_result). */
async function allPages(send: (i: Input) => Promise<Record<string, unknown>>, input: Input, resultKey: string): Promise<Record<string, unknown>> {
  const items: unknown[] = [];
  let first: Record<string, unknown> | undefined;
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await send(marker === undefined ? input : { ...input, Marker: marker });
    first ??= out;
    items.push(...((out[resultKey] as unknown[] | undefined) ?? []));
    marker = out['Truncated'] === true && typeof out['NextMarker'] === 'string' ? out['NextMarker'] : undefined;
    if (marker === undefined) break;
  }
  const { NextMarker: _n, Truncated: _t, ...rest } = first ?? {};
  return { ...rest, [resultKey]: items };
}
