// `kontext audit query|verify|export|tail`: the audit trail from the command line. Offline
// commands read a data directory directly (no credentials; safe while the server runs); `query`
// without --data-dir asks a server (Kontext.QueryAuditEvents) like the KMS verbs do.

import { Option, type Command } from 'commander';
import { addConnectionOptions, type GlobalOptionValues } from './connection-options.ts';
import type { Env } from './kms/kms-client.ts';
import { addAuditContextsCommand } from './audit-contexts.ts';

export interface AuditCommandIo {
  readonly env: Env;
  readonly userAgent: string;
  write(text: string): void;
}

export interface DataDirOption {
  readonly dataDir?: string;
}

export interface QueryOptions extends DataDirOption, GlobalOptionValues {
  readonly encryptionContext?: string;
  readonly contextKey?: string[];
  readonly principalArn?: string;
  readonly keyId?: string;
  readonly eventName?: string;
  readonly eventSource?: string;
  readonly errorCode?: string;
  readonly username?: string;
  readonly accessKeyId?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly maxItems?: string;
  readonly accountId?: string;
}

const dataDirOption = () => new Option('--data-dir <dir>', 'the server\'s data directory (default: $KONTEXT_DATA_DIR, else ./data)');

// Actions load on use, so `kontext --help` and the KMS verbs start fast.
const actions = () => import('./audit-actions.ts');

export function registerAuditCommands(program: Command, io: AuditCommandIo): void {
  const audit = program
    .createCommand('audit')
    .copyInheritedSettings(program)
    .summary('query, verify, export and follow the audit trail')
    .description('The audit trail: every API call as a CloudTrail event, hash-chained and sealed in signed digests');
  const sub = (name: string, summary: string) => {
    const cmd = audit.createCommand(name).copyInheritedSettings(program).summary(summary).description(summary);
    audit.addCommand(cmd);
    return cmd;
  };

  addConnectionOptions(
    sub('query', 'find events by encryption context, principal, key, event name, error code and time (JSON lines, newest first)')
      .addOption(dataDirOption().conflicts('endpointUrl'))
      .option('--encryption-context <pairs>', 'context pairs every event must carry: key=value,key2=value2 (or JSON)')
      .option('--context-key <key...>', 'context keys every event must carry')
      .option('--principal-arn <arn>', 'the caller (user, role session or root ARN)')
      .option('--key-id <id>', 'a key ARN (or key id in the request region)')
      .option('--event-name <name>', 'e.g. Decrypt')
      .option('--event-source <source>', 'e.g. kms.amazonaws.com')
      .option('--error-code <code>', 'e.g. InvalidCiphertextException or AccessDenied')
      .option('--username <name>', 'IAM user, role session name, or root')
      .option('--access-key-id <id>', 'the access key the caller signed with')
      .option('--start-time <time>', 'ISO-8601 time or epoch seconds (inclusive)')
      .option('--end-time <time>', 'ISO-8601 time or epoch seconds (inclusive)')
      .option('--max-items <n>', 'most events to print (default 100)')
      .option('--account-id <id>', 'with --data-dir: whose events (default: $KONTEXT_ACCOUNT_ID, else 123456789012)')
      .addHelpText('after', '\nExamples:\n  $ kontext audit query --encryption-context customer_id=cust_98765 --event-name Decrypt\n  $ kontext audit query --data-dir /var/lib/kontext --error-code AccessDenied --start-time 2025-01-01T00:00:00Z\n'),
  ).action(async (opts: QueryOptions) => (await actions()).runQuery(opts, io));

  sub('verify', 'check that no event was edited, removed, inserted or reordered (exit 1 and the first bad event if so)')
    .addOption(dataDirOption().conflicts('export'))
    .option('--export <dir>', 'verify an export written by `kontext audit export` instead of a data directory')
    .option('--public-key <file>', 'the trusted public key (PEM, or the export\'s .json); default: the one stored with the trail')
    .option('--json', 'print the full report as JSON')
    .action(async (opts: DataDirOption & { export?: string; publicKey?: string; json?: boolean }) => (await actions()).runVerify(opts, io));

  sub('export', 'write the trail as CloudTrail-style gzip log files with the signed digests and the public key')
    .addOption(dataDirOption())
    .requiredOption('--out <dir>', 'directory to write to')
    .option('--events-per-file <n>', 'events per log file (default 5000)')
    .action(async (opts: DataDirOption & { out: string; eventsPerFile?: string }) => (await actions()).runExport(opts, io));

  sub('tail', 'follow new events as JSON lines (for shipping to a SIEM)')
    .addOption(dataDirOption())
    .option('--from-seq <n>', 'start at this sequence number (default: only events after now)')
    .option('--interval <ms>', 'how often to look for new events (default 500)')
    .option('--count <n>', 'exit after this many events')
    .action(async (opts: DataDirOption & { fromSeq?: string; interval?: string; count?: string }) => (await actions()).runTail(opts, io));

  addAuditContextsCommand(audit, program, io);

  program.addCommand(audit);
}
