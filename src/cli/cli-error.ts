// How the CLI fails: one error type carrying the AWS CLI v2 return code, so every command exits
// the way scripts written for `aws` expect (see the AWS CLI's "return codes" topic).

export const EXIT = {
  ok: 0,
  /** The command ran and the check it made failed (a damaged backup; as `policy validate` and `audit verify` exit 1). */
  checkFailed: 1,
  /** Command syntax invalid, unknown parameter, or a parameter value that prevented the call. */
  usage: 252,
  /** Environment or configuration invalid (no credentials, unreadable profile). */
  config: 253,
  /** The request was made and the service returned an error. */
  service: 254,
  /** Anything else: the endpoint could not be reached, an unexpected failure. */
  other: 255,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A bad flag or flag value: exit 252. `param` is the flag as typed (`--encryption-context`). */
export const usageError = (message: string, param?: string): CliError =>
  new CliError(param ? `Error parsing parameter '${param}': ${message}` : message, EXIT.usage);
