// `kontext alerts list|ack` and `kontext alerts rules list|put|delete`: the alerts monitoring
// raised and the rules that raise them, over the same signed Kontext.* requests as `kontext schema`.

import type { Command } from 'commander';
import { usageError } from './cli-error.ts';
import { positiveInteger, readJsonDocument } from './document-input.ts';
import { addConnectionOptions, connectionOptions, outputFormat, type GlobalOptionValues } from './connection-options.ts';
import type { Env } from './kms/kms-client.ts';
import { toCliValue } from './output/cli-values.ts';
import { compileQuery, formatOutput } from './output/format-output.ts';
import { callKontext } from './schema-client.ts';

export interface AlertsCommandIo {
  readonly env: Env;
  readonly userAgent: string;
  write(text: string): void;
}

interface ListOptions extends GlobalOptionValues {
  readonly ruleName?: string;
  readonly kind?: string;
  readonly severity?: string;
  readonly acknowledged?: boolean;
  readonly keyArn?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly maxItems?: string;
}

const EXAMPLE_RULE = `{
  "RuleName": "probing",
  "Kind": "FailureBurst",
  "Severity": "high",
  "Match": { "EventNames": ["Decrypt"] },
  "Parameters": { "GroupBy": "principal", "Threshold": 10, "WindowSeconds": 60 }
}`;

export function registerAlertsCommands(program: Command, io: AlertsCommandIo): void {
  const alerts = program
    .createCommand('alerts')
    .copyInheritedSettings(program)
    .summary('list and acknowledge alerts; manage alert rules')
    .description('Alerts raised by rules over the audit trail (first use of a context value, rate spikes, failure bursts, ...), and those rules');
  const call = async (opts: GlobalOptionValues, operation: string, input: object): Promise<Record<string, unknown>> =>
    callKontext(operation, input, connectionOptions(opts), io.env, io.userAgent);
  const print = (opts: GlobalOptionValues, out: object) => io.write(formatOutput(toCliValue(out) ?? {}, outputFormat(opts, io.env), compileQuery(opts.query)));
  const sub = (parent: Command, name: string, summary: string) => {
    const cmd = parent.createCommand(name).copyInheritedSettings(program).summary(summary).description(summary);
    parent.addCommand(cmd);
    return cmd;
  };

  addConnectionOptions(
    sub(alerts, 'list', 'list alerts, newest first (all pages unless --no-paginate)')
      .option('--rule-name <name>', 'alerts of this rule')
      .option('--kind <kind>', 'FirstUse, RateSpike, FailureBurst, OutsideAllowed, KeyStateUse or ConfigChange')
      .option('--severity <severity>', 'low, medium or high')
      .option('--acknowledged', 'only acknowledged alerts')
      .option('--no-acknowledged', 'only alerts not yet acknowledged')
      .option('--key-arn <arn>', 'alerts about this key')
      .option('--start-time <time>', 'raised at or after (ISO 8601 or epoch seconds)')
      .option('--end-time <time>', 'raised at or before (ISO 8601 or epoch seconds)')
      .option('--max-items <n>', 'print at most this many alerts'),
  ).action(async (opts: ListOptions, cmd: Command) => {
    const max = opts.maxItems === undefined ? undefined : positiveInteger(opts.maxItems, '--max-items');
    const filter = {
      ...(opts.ruleName !== undefined ? { RuleName: opts.ruleName } : {}),
      ...(opts.kind !== undefined ? { Kind: opts.kind } : {}),
      ...(opts.severity !== undefined ? { Severity: opts.severity } : {}),
      ...(cmd.getOptionValueSource('acknowledged') === 'cli' ? { Acknowledged: opts.acknowledged === true } : {}),
      ...(opts.keyArn !== undefined ? { KeyArn: opts.keyArn } : {}),
      ...(opts.startTime !== undefined ? { StartTime: epochSeconds(opts.startTime, '--start-time') } : {}),
      ...(opts.endTime !== undefined ? { EndTime: epochSeconds(opts.endTime, '--end-time') } : {}),
    };
    const all: unknown[] = [];
    let token: string | undefined;
    do {
      const page = await call(opts, 'ListAlerts', { ...filter, ...(token ? { NextToken: token } : {}), MaxResults: Math.min(1000, max ?? 1000) });
      all.push(...((page['Alerts'] as unknown[] | undefined) ?? []));
      token = page['NextToken'] as string | undefined;
    } while (token && opts.paginate !== false && (max === undefined || all.length < max));
    print(opts, { Alerts: max === undefined ? all : all.slice(0, max), ...(token && opts.paginate === false ? { NextToken: token } : {}) });
  });

  addConnectionOptions(
    sub(alerts, 'ack', 'acknowledge an alert').argument('<alert-id>', 'the AlertId from `kontext alerts list`').option('--note <text>', 'why, or what was done'),
  ).action(async (alertId: string, opts: GlobalOptionValues & { note?: string }) =>
    print(opts, await call(opts, 'AcknowledgeAlert', { AlertId: alertId, ...(opts.note !== undefined ? { Note: opts.note } : {}) })),
  );

  const rules = alerts.createCommand('rules').copyInheritedSettings(program).summary('list, put and delete alert rules').description('Alert rules: from the rules file (read-only here) and from the API');
  alerts.addCommand(rules);

  addConnectionOptions(sub(rules, 'list', "list the account's alert rules")).action(async (opts: GlobalOptionValues) => {
    const all: unknown[] = [];
    let marker: string | undefined;
    do {
      const page = await call(opts, 'ListAlertRules', marker ? { Marker: marker } : {});
      all.push(...((page['Rules'] as unknown[] | undefined) ?? []));
      marker = page['NextMarker'] as string | undefined;
    } while (marker && opts.paginate !== false);
    print(opts, { Rules: all, ...(marker ? { NextMarker: marker } : {}) });
  });

  addConnectionOptions(
    sub(rules, 'put', 'create or replace an alert rule from a JSON document')
      .argument('<file>', "the rule document (JSON), or '-' for standard input")
      .addHelpText('after', `\nExample document:\n${EXAMPLE_RULE}\n`),
  ).action(async (file: string, opts: GlobalOptionValues) => print(opts, await call(opts, 'PutAlertRule', readJsonDocument(file, 'the rule document'))));

  addConnectionOptions(sub(rules, 'delete', 'delete an alert rule (its alerts stay)').argument('<name>', 'rule name')).action(async (name: string, opts: GlobalOptionValues) =>
    print(opts, await call(opts, 'DeleteAlertRule', { RuleName: name })),
  );

  program.addCommand(alerts);
}

function epochSeconds(v: string, flag: string): number {
  const n = /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
  if (!Number.isFinite(n)) throw usageError(`expected an ISO 8601 time or epoch seconds: '${v}'`, flag);
  return n / 1000;
}
