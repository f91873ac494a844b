// `kontext admin root-key|backup|verify-backup|restore`: operating a data directory from the
// machine it lives on — no endpoint, no credentials; they read the files directly.

import type { Command } from 'commander';
import { CliError, EXIT } from './cli-error.ts';
import { outputFormat } from './connection-options.ts';
import type { Env } from './kms/kms-client.ts';
import type { CliValue } from './output/cli-values.ts';
import { compileQuery, formatOutput } from './output/format-output.ts';

export interface AdminCommandIo {
  readonly env: Env;
  write(text: string): void;
  warn(text: string): void;
}

interface AdminOptions {
  dataDir?: string;
  out?: string;
  from?: string;
  force?: boolean;
  verify?: boolean;
  output?: string;
  query?: string;
}

// The SQLite driver and the root-key code load only when an admin command runs.
const database = () => import('./admin/database-file.ts');

const DATA_DIR_HELP = "the server's data directory (default: $KONTEXT_DATA_DIR, else ./data)";

export function registerAdminCommands(program: Command, io: AdminCommandIo): void {
  const admin = program
    .createCommand('admin')
    .copyInheritedSettings(program)
    .summary('root key information, backups and restores of a data directory')
    .description('Operate a data directory on the machine where it lives: no server connection or credentials needed')
    .addHelpText(
      'after',
      `
A backup is the database only. It is useless without the root key it was written under, and the
root key is never copied into it: keep the key (KONTEXT_ROOT_KEY / KONTEXT_ROOT_KEY_FILE, or
<data-dir>/root.key in dev mode) somewhere else, and note its fingerprint ('admin root-key').

Examples:
  $ kontext admin root-key --data-dir /var/lib/kontext
  $ kontext admin backup --data-dir /var/lib/kontext --out /backups/kontext-$(date +%F).db --verify
  $ kontext admin verify-backup /backups/kontext-2026-11-29.db
  $ kontext admin restore --from /backups/kontext-2026-11-29.db --data-dir /var/lib/kontext   # server stopped
`,
    );
  program.addCommand(admin);

  // Each command's own options, then the output options (listed in that order in its help).
  const sub = (name: string, summary: string, description: string, details: string, example: string, configure: (c: Command) => Command): Command => {
    const cmd = configure(admin.createCommand(name).copyInheritedSettings(program).summary(summary).description(description))
      .option('--output <format>', 'json or text (default: json)')
      .option('--query <jmespath>', 'JMESPath expression applied to the result, e.g. Fingerprint')
      .addHelpText('after', `${details}\nExample:\n  $ ${example}\n`);
    admin.addCommand(cmd);
    return cmd;
  };
  const print = (opts: AdminOptions, value: object) => {
    const format = outputFormat({ output: opts.output ?? 'json' }, io.env);
    io.write(formatOutput(value as CliValue, format, compileQuery(opts.query)));
  };

  sub(
    'root-key',
    'which root key is in use: source, fingerprint, what is wrapped under it',
    'Show which root key this environment gives a data directory: where it comes from, a fingerprint that does not reveal it, whether it opens the data, and how many keys and credentials are wrapped under it. Never prints the key.',
    `
The key is looked up as the server looks it up: KONTEXT_ROOT_KEY, else KONTEXT_ROOT_KEY_FILE,
else <data-dir>/root.key (dev mode) — so run this with the server's environment. The fingerprint
is the first 16 bytes of HMAC-SHA256(root key, "kontext:root-key-fingerprint:v1") in hex: equal
fingerprints mean the same key. Exit 253 when no key is found or the key does not open the data.
`,
    'kontext admin root-key --data-dir ./data --query Fingerprint --output text',
    (c) => c.option('--data-dir <dir>', DATA_DIR_HELP),
  )
    .action(async (opts: AdminOptions) => {
      const { resolveDataDir } = await database();
      const { rootKeyInfo } = await import('./admin/root-key-info.ts');
      compileQuery(opts.query);
      const info = rootKeyInfo(resolveDataDir(opts.dataDir, io.env), io.env);
      print(opts, info);
      for (const w of info.Warnings) io.warn(`warning: ${w}\n`);
      if (info.MatchesData === false) throw new CliError('kontext: the root key does not open this data directory', EXIT.config);
    });

  sub(
    'backup',
    'copy a data directory\'s database to a file, safely while the server runs',
    'Copy the database of a data directory to one file: a consistent snapshot (SQLite\'s online backup), safe while the server runs and writes.',
    `
Prints what was written: the file, its size and what it holds (keys, key versions, IAM entities,
audit events), and the fingerprint of the root key it needs when this environment has that key.
The root key is not in the backup. Restore it with 'kontext admin restore'.
`,
    'kontext admin backup --data-dir ./data --out kontext-backup.db --verify',
    (c) =>
      c
        .option('--data-dir <dir>', DATA_DIR_HELP)
        .requiredOption('--out <file>', 'the backup file to write (refused if it exists, unless --force)')
        .option('--verify', 'then open the copy read-only and run an integrity check (exit 1 if it fails)')
        .option('--force', 'replace --out if it exists'),
  )
    .action(async (opts: AdminOptions) => {
      const { resolveDataDir } = await database();
      const { backupDatabase } = await import('./admin/backup.ts');
      compileQuery(opts.query);
      const result = await backupDatabase(resolveDataDir(opts.dataDir, io.env), opts.out!, { force: opts.force === true, verify: opts.verify === true, env: io.env });
      print(opts, result);
      if (result.IntegrityCheck !== undefined && result.IntegrityCheck !== 'ok') {
        io.warn(`kontext: the backup fails its integrity check: ${result.IntegrityCheck}\n`);
        process.exitCode = EXIT.checkFailed;
      }
    });

  sub(
    'verify-backup',
    'check a backup file: integrity, and what it holds',
    'Check a backup file: open it read-only, run PRAGMA integrity_check, and count what it holds.',
    '\nExit 0 when the integrity check says ok, else 1.\n',
    'kontext admin verify-backup kontext-backup.db',
    (c) => c.argument('<file>', 'the backup file'),
  )
    .action(async (file: string, opts: AdminOptions) => {
      const { resolve } = await import('node:path');
      const { inspectBackup } = await import('./admin/backup.ts');
      compileQuery(opts.query);
      const path = resolve(file);
      const result = inspectBackup(path, { integrity: true });
      print(opts, { File: path, IntegrityCheck: result.IntegrityCheck, ...result.contents });
      if (result.IntegrityCheck !== 'ok') {
        io.warn(`kontext: ${path} fails its integrity check\n`);
        process.exitCode = EXIT.checkFailed;
      }
    });

  sub(
    'restore',
    'put a backup in place as a data directory\'s database (server stopped)',
    'Put a backup in place as the database of a data directory. The server must be stopped.',
    `
Checks the backup's integrity first. Refuses while a server has the data directory's database
open, and refuses to replace an existing database without --force. The root key and the
credentials file are left as they are: start the server with the root key the backup was made
under ('kontext admin root-key --data-dir <dir>' tells whether this environment's key opens it).
`,
    'kontext admin restore --from kontext-backup.db --data-dir ./data',
    (c) =>
      c
        .requiredOption('--from <file>', 'the backup file')
        .option('--data-dir <dir>', `${DATA_DIR_HELP}; created if missing`)
        .option('--force', 'replace the database already there (it is kept beside it as kontext.db.replaced-<time>)'),
  )
    .action(async (opts: AdminOptions) => {
      const { resolveDataDir } = await database();
      const { restoreDatabase } = await import('./admin/backup.ts');
      compileQuery(opts.query);
      const result = restoreDatabase(opts.from!, resolveDataDir(opts.dataDir, io.env), { force: opts.force === true, env: io.env });
      print(opts, result);
      if (result.RootKeyMatches === false) io.warn("warning: this environment's root key does not open the restored data: start the server with the key the backup was made under\n");
      if (result.RootKeyMatches === null) {
        io.warn(
          'warning: no root key for this data directory in this environment: start the server with KONTEXT_ROOT_KEY or KONTEXT_ROOT_KEY_FILE ' +
            'set to the key the backup was made under (or put that root.key in the directory, in dev mode); without one a server generates a new key and refuses the data\n',
        );
      }
    });
}
