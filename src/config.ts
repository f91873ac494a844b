// Server configuration: defaults, then environment variables, then command-line flags.

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly accountId: string;
  /** Region assumed when a request carries no SigV4 credential scope. */
  readonly defaultRegion: string;
  readonly logLevel: string;
  /** Seconds between sweeps for due key deletions and rotations. */
  readonly sweepIntervalSeconds: number;
  /** Largest request body accepted by any service, in bytes. */
  readonly maxBodyBytes: number;
  /** `sigv4` verifies every request; `none` trusts the credential scope (benchmarks of auth cost only). */
  readonly authMode: 'sigv4' | 'none';
  /** `durable` records every call before answering; `off` keeps no audit trail (benchmarks of audit cost only). */
  readonly auditMode: 'durable' | 'off';
}

export const DEFAULT_CONFIG: Config = {
  host: '127.0.0.1',
  port: 4599,
  dataDir: './data',
  accountId: '123456789012',
  defaultRegion: 'us-east-1',
  logLevel: 'info',
  sweepIntervalSeconds: 60,
  maxBodyBytes: 1024 * 1024,
  authMode: 'sigv4',
  auditMode: 'durable',
};

type Env = Record<string, string | undefined>;

export function configFromEnv(env: Env, base: Config = DEFAULT_CONFIG): Config {
  const num = (v: string | undefined, d: number): number => (v === undefined || v === '' ? d : Number(v));
  return {
    host: env['KONTEXT_HOST'] || base.host,
    port: num(env['KONTEXT_PORT'], base.port),
    dataDir: env['KONTEXT_DATA_DIR'] || base.dataDir,
    accountId: env['KONTEXT_ACCOUNT_ID'] || base.accountId,
    defaultRegion: env['KONTEXT_DEFAULT_REGION'] || base.defaultRegion,
    logLevel: env['KONTEXT_LOG_LEVEL'] || base.logLevel,
    sweepIntervalSeconds: num(env['KONTEXT_SWEEP_INTERVAL_SECONDS'], base.sweepIntervalSeconds),
    maxBodyBytes: num(env['KONTEXT_MAX_BODY_BYTES'], base.maxBodyBytes),
    authMode: (env['KONTEXT_AUTH_MODE'] || base.authMode) as Config['authMode'],
    auditMode: (env['KONTEXT_AUDIT_MODE'] || base.auditMode) as Config['auditMode'],
  };
}

/** Problems with a configuration, as data; empty when it is usable. */
export function checkConfig(c: Config): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) problems.push(`port must be 0..65535: ${c.port}`);
  if (!/^\d{12}$/.test(c.accountId)) problems.push(`account id must be 12 digits: '${c.accountId}'`);
  if (!(c.sweepIntervalSeconds > 0)) problems.push(`sweep interval must be positive: ${c.sweepIntervalSeconds}`);
  if (!(c.maxBodyBytes > 0)) problems.push(`max body bytes must be positive: ${c.maxBodyBytes}`);
  if (c.authMode !== 'sigv4' && c.authMode !== 'none') problems.push(`auth mode must be sigv4 or none: '${c.authMode}'`);
  if (c.auditMode !== 'durable' && c.auditMode !== 'off') problems.push(`audit mode must be durable or off: '${c.auditMode}'`);
  return problems;
}
