// `kontext audit contexts --key-id K [--start-time T] [--end-time T]`: the encryption-context keys
// a key's calls used, with distinct value counts and samples (Kontext.GetContextUsage), to write
// a context schema from real traffic. Output as the other Kontext commands (json, text, table, --query).

import type { Command } from 'commander';
import type { AuditCommandIo } from './audit-command.ts';
import { usageError } from './cli-error.ts';
import { addConnectionOptions, connectionOptions, outputFormat, type GlobalOptionValues } from './connection-options.ts';
import { toCliValue } from './output/cli-values.ts';
import { compileQuery, formatOutput } from './output/format-output.ts';
import { callKontext } from './schema-client.ts';

interface ContextsOptions extends GlobalOptionValues {
  readonly keyId: string;
  readonly startTime?: string;
  readonly endTime?: string;
}

/** ISO-8601 or epoch seconds → epoch seconds, as the awsJson timestamp fields take them. */
function seconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const ms = Number.isFinite(n) ? n * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) throw usageError('expected an ISO-8601 time or epoch seconds', flag);
  return ms / 1000;
}

export function addAuditContextsCommand(audit: Command, program: Command, io: AuditCommandIo): void {
  const summary = 'context keys seen on a key, with distinct value counts and samples (to write a schema from real traffic)';
  const cmd = audit.createCommand('contexts').copyInheritedSettings(program).summary(summary).description(summary);
  audit.addCommand(cmd);
  addConnectionOptions(
    cmd
      .requiredOption('--key-id <id>', 'key id, key ARN, alias name or alias ARN')
      .option('--start-time <time>', 'ISO-8601 time or epoch seconds (inclusive)')
      .option('--end-time <time>', 'ISO-8601 time or epoch seconds (inclusive)')
      .addHelpText('after', '\nExample:\n  $ kontext audit contexts --key-id alias/payments-prod --start-time 2025-01-01T00:00:00Z\n'),
  ).action(async (opts: ContextsOptions) => {
    const format = outputFormat(opts, io.env);
    const query = compileQuery(opts.query);
    const start = seconds(opts.startTime, '--start-time');
    const end = seconds(opts.endTime, '--end-time');
    const input = { KeyId: opts.keyId, ...(start !== undefined ? { StartTime: start } : {}), ...(end !== undefined ? { EndTime: end } : {}) };
    const out = await callKontext('GetContextUsage', input, connectionOptions(opts), io.env, io.userAgent);
    io.write(formatOutput(toCliValue(out) ?? {}, format, query));
  });
}
