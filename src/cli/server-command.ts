// `kontext server`: runs the service. `--dev` runs a throwaway one: a temporary data directory
// (deleted on exit), a root key held only in memory, and an admin access key generated for this
// run and printed as ready-to-paste `export` lines.

import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { checkConfig, configFromEnv, type Config } from '../config.ts';
import type { RunningServer } from '../server.ts';
import { CliError, EXIT } from './cli-error.ts';

interface ServerOptions {
  host?: string;
  port?: string;
  dataDir?: string | undefined;
  accountId?: string;
  logLevel?: string;
  dev?: boolean;
}

export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .helpGroup('Server:')
    .description('Run the Kontext server (AWS KMS wire protocol) on embedded SQLite')
    .addOption(new Option('--host <host>', 'interface to listen on (default 127.0.0.1)').env('KONTEXT_HOST'))
    .addOption(new Option('--port <port>', 'TCP port, 0 picks a free one (default 4599)').env('KONTEXT_PORT'))
    .addOption(new Option('--data-dir <dir>', 'where the database, dev root key and admin credentials live (default ./data)').env('KONTEXT_DATA_DIR'))
    .addOption(new Option('--account-id <id>', 'the default account id (default 123456789012)').env('KONTEXT_ACCOUNT_ID'))
    .addOption(new Option('--log-level <level>', 'pino log level (default info; warn with --dev)').env('KONTEXT_LOG_LEVEL'))
    .addOption(new Option('--dev', 'throwaway server: temporary data deleted on exit, in-memory root key, printed credentials'))
    .addHelpText('after', '\nExamples:\n  $ kontext server --dev\n  $ KONTEXT_ROOT_KEY_FILE=/secure/kontext-root.key kontext server --data-dir /var/lib/kontext --port 4599\n')
    .action(async (opts: ServerOptions, cmd: Command) => {
      if (!opts.dev) return runServer(opts);
      if (cmd.getOptionValueSource('dataDir') === 'cli') throw new CliError("kontext: error: option '--dev' cannot be used with option '--data-dir' (--dev makes a throwaway one)", EXIT.usage);
      return runDevServer({ ...opts, dataDir: undefined });
    });
}

function configFrom(opts: ServerOptions, overrides: Partial<Config> = {}): Config {
  const base = configFromEnv(process.env);
  const config: Config = {
    ...base,
    ...overrides,
    ...(opts.host ? { host: opts.host } : {}),
    ...(opts.port !== undefined ? { port: Number(opts.port) } : {}),
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.accountId ? { accountId: opts.accountId } : {}),
    ...(opts.logLevel ? { logLevel: opts.logLevel } : {}),
  };
  const problems = checkConfig(config);
  if (problems.length > 0) throw new CliError(`kontext: invalid configuration: ${problems.join('; ')}`, EXIT.usage);
  return config;
}

// The server's modules load only when a server runs, so the KMS verbs and --help start fast.
const loadServer = () => import('../server.ts');

async function runServer(opts: ServerOptions): Promise<void> {
  const { startServer } = await loadServer();
  const server = await startServer(configFrom(opts));
  stopOnSignals(server, () => undefined);
}

async function runDevServer(opts: ServerOptions): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kontext-dev-'));
  let removed = false;
  const removeDataDir = () => {
    if (removed) return;
    removed = true;
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', removeDataDir);
  const accessKeyId = `AKIA${Array.from({ length: 16 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[randomInt(32)]).join('')}`;
  const secretAccessKey = randomBytes(30).toString('base64');
  // The server reads these at start: the root key stays in memory (nothing to leak from the
  // temp dir) and the admin key is the one printed below.
  process.env['KONTEXT_ROOT_KEY'] = randomBytes(32).toString('base64');
  delete process.env['KONTEXT_ROOT_KEY_FILE'];
  process.env['KONTEXT_ADMIN_ACCESS_KEY_ID'] = accessKeyId;
  process.env['KONTEXT_ADMIN_SECRET_ACCESS_KEY'] = secretAccessKey;
  let server: RunningServer;
  try {
    const { startServer } = await loadServer();
    server = await startServer(configFrom(opts, { dataDir, logLevel: process.env['KONTEXT_LOG_LEVEL'] || 'warn' }), { env: process.env });
  } catch (err) {
    removeDataDir();
    throw err;
  }
  const creds = credentialsFileKeys(join(dataDir, 'credentials')) ?? { accessKeyId, secretAccessKey };
  const region = server.services.config.defaultRegion;
  process.stdout.write(devBanner(server.url, dataDir, region, creds));
  stopOnSignals(server, removeDataDir);
}

/** The admin key a server wrote to its credentials file, if it wrote one (instead of using ours). */
function credentialsFileKeys(file: string): { accessKeyId: string; secretAccessKey: string } | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const id = /^aws_access_key_id\s*=\s*(\S+)/m.exec(text)?.[1];
  const secret = /^aws_secret_access_key\s*=\s*(\S+)/m.exec(text)?.[1];
  return id && secret ? { accessKeyId: id, secretAccessKey: secret } : undefined;
}

export function devBanner(url: string, dataDir: string, region: string, creds: { accessKeyId: string; secretAccessKey: string }): string {
  return `
Kontext ready on ${url} (dev mode: throwaway data in ${dataDir}, deleted on exit)

Paste into another shell:

export AWS_ACCESS_KEY_ID=${creds.accessKeyId}
export AWS_SECRET_ACCESS_KEY=${creds.secretAccessKey}
export AWS_DEFAULT_REGION=${region} AWS_REGION=${region}
export KONTEXT_ENDPOINT=${url}

Then:
  kontext create-key --description demo
  kontext encrypt --key-id <KeyId> --plaintext "hello" --encryption-context tenant=acme
  aws kms list-keys --endpoint-url ${url}

Press Ctrl-C to stop (the data is deleted).
`;
}

function stopOnSignals(server: RunningServer, afterClose: () => void): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.services.log.info({ signal }, 'shutting down');
    server.close().then(
      () => {
        afterClose();
        process.exit(0);
      },
      () => {
        afterClose();
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
