#!/usr/bin/env node
// The `kontext` command line. `kontext server` runs the service; more verbs join as they land.

import { Command, Option } from 'commander';
import { checkConfig, configFromEnv, type Config } from '../config.ts';
import { startServer } from '../server.ts';

export function buildProgram(): Command {
  const program = new Command('kontext').description('Kontext: a key management service built around encryption context').showHelpAfterError();

  program
    .command('server')
    .description('Run the Kontext server (AWS KMS wire protocol) on embedded SQLite')
    .addOption(new Option('--host <host>', 'interface to listen on').env('KONTEXT_HOST'))
    .addOption(new Option('--port <port>', 'TCP port (0 picks a free one)').env('KONTEXT_PORT'))
    .addOption(new Option('--data-dir <dir>', 'where the database and dev root key live').env('KONTEXT_DATA_DIR'))
    .addOption(new Option('--account-id <id>', 'the default account id').env('KONTEXT_ACCOUNT_ID'))
    .addOption(new Option('--log-level <level>', 'pino log level').env('KONTEXT_LOG_LEVEL'))
    .action(async (opts: { host?: string; port?: string; dataDir?: string; accountId?: string; logLevel?: string }) => {
      const base = configFromEnv(process.env);
      const config: Config = {
        ...base,
        ...(opts.host ? { host: opts.host } : {}),
        ...(opts.port !== undefined ? { port: Number(opts.port) } : {}),
        ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
        ...(opts.accountId ? { accountId: opts.accountId } : {}),
        ...(opts.logLevel ? { logLevel: opts.logLevel } : {}),
      };
      const problems = checkConfig(config);
      if (problems.length > 0) {
        process.stderr.write(`kontext: invalid configuration: ${problems.join('; ')}\n`);
        process.exit(2);
      }
      const server = await startServer(config);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        server.services.log.info({ signal }, 'shutting down');
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });

  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    process.stderr.write(`kontext: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
