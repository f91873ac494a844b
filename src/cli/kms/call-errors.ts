// A failed call, told the way the AWS CLI tells it, with its return code: the service's error
// code and message (254), missing credentials (253), an endpoint that cannot be reached (255).

import { CliError, EXIT } from '../cli-error.ts';

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  /** Query-protocol services (IAM, STS) put the wire code here; `name` is the SDK's class name. */
  Code?: unknown;
  Error?: { Code?: unknown };
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
}

/** The error code the service sent, as the AWS CLI prints it (`EntityAlreadyExists`, not `EntityAlreadyExistsException`). */
function wireCode(e: SdkError): string {
  if (typeof e.Code === 'string' && e.Code !== '') return e.Code;
  if (typeof e.Error?.Code === 'string' && e.Error.Code !== '') return e.Error.Code;
  return e.name ?? 'Unknown';
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

export function describeCallFailure(err: unknown, operation: string, endpoint: string): CliError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkError;
  if (e.$metadata?.httpStatusCode !== undefined && e.name) {
    // The SDK puts "UnknownError" where the service sent an empty message (InvalidCiphertextException
    // says nothing, on purpose); the AWS CLI prints the empty message.
    const message = e.message === undefined || e.message === 'UnknownError' ? '' : e.message;
    return new CliError(`\nAn error occurred (${wireCode(e)}) when calling the ${operation} operation: ${message}`, EXIT.service);
  }
  if (e.name === 'CredentialsProviderError') {
    return new CliError(
      'Unable to locate credentials. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use --profile with a shared credentials file ' +
        '(a Kontext server writes <data-dir>/credentials, profile kontext: AWS_SHARED_CREDENTIALS_FILE=<data-dir>/credentials kontext <verb> --profile kontext). ' +
        '`kontext server --dev` prints credentials to paste.',
      EXIT.config,
    );
  }
  if ((e.code && CONNECTION_CODES.has(e.code)) || e.name === 'TimeoutError' || e.name === 'RequestTimeout') {
    return new CliError(`\nCould not connect to the endpoint URL: "${endpoint}"${e.code ? ` (${e.code})` : ''}\nIs a Kontext server running there? Start one with \`kontext server --dev\`, or set --endpoint-url / KONTEXT_ENDPOINT.`, EXIT.other);
  }
  return new CliError(`\n${e.name ?? 'Error'}: ${e.message ?? String(err)}`, EXIT.other);
}
