// The root `kontext` program and how it ends: commander's usage errors exit 252, CliErrors with
// their own AWS CLI return code, anything unexpected 1. Exit codes are set, not forced, so
// buffered output (pipes, files) is always flushed.

import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './cli-error.ts';

const QUICK_START = `
Quick start:
  $ kontext server --dev                 # throwaway server; prints credentials to paste
  $ kontext create-key --description orders --query KeyMetadata.KeyId --output text
  $ kontext encrypt --key-id <KeyId> --plaintext "sensitive-data-here" \\
      --encryption-context department=finance,customer_id=cust_98765

The KMS commands take the flags of \`aws kms <command>\` and print what it prints. They connect to
--endpoint-url, else $KONTEXT_ENDPOINT, else http://127.0.0.1:4599, signing with the usual AWS
credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or --profile). Exit codes are the AWS
CLI's: 252 bad usage, 253 no credentials, 254 the service returned an error, 255 no connection.
`;

export function createRootProgram(): Command {
  return new Command('kontext')
    .description('Kontext: a key management service built around encryption context, speaking the AWS KMS API')
    .usage('<command> [options]')
    .exitOverride()
    .showHelpAfterError("(run 'kontext <command> --help' for the command's flags)")
    .addHelpText('after', QUICK_START);
}

export async function runCli(program: Command, argv: readonly string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeOf(err);
    if (err instanceof CommanderError) return; // commander has already printed the message
    process.stderr.write(err instanceof CliError ? `${err.message}\n` : `kontext: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}

function exitCodeOf(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (err instanceof CliError) return err.exitCode;
  return 1;
}
