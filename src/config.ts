// Server configuration: defaults, then environment variables, then command-line flags.

import { KEY_CONVENTIONS, SCHEMA_MODES, type KeyConvention, type SchemaMode } from './schema/schema-document.ts';
import { POLICY_LINT_ON_PUT_MODES, type PolicyLintOnPut } from './schema/lint/lint-note.ts';
import { DEFAULT_MONITOR_SETTINGS, checkMonitorSettings, monitorSettingsFromEnv, type MonitorSettings } from './monitor/monitor-settings.ts';

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
  /** Further accounts, each bootstrapped with a root access key (profile `kontext-<id>` in the credentials file). */
  readonly extraAccountIds: readonly string[];
  /** `durable` records every call before answering; `off` keeps no audit trail (benchmarks of audit cost only). */
  readonly auditMode: 'durable' | 'off';
  /** `enforce` evaluates key policies, identity policies and grants; `off` allows every caller its own account's keys (benchmarks of policy cost only). */
  readonly policyMode: 'enforce' | 'off';
  /** Seal the audit trail in a signed digest after this many events... */
  readonly auditDigestEveryEvents: number;
  /** ...or this many seconds after the first unsealed event. */
  readonly auditDigestIntervalSeconds: number;
  /** Remove audit events older than this many days, at digest boundaries (0 keeps everything). */
  readonly auditRetentionDays: number;
  /** Secrets in encryption context: `enforce` rejects, `warn` allows and records, `off` skips (a context schema may override it for its keys). */
  readonly secretDetection: SchemaMode;
  /** Naming convention for context keys, reported as warnings: snake_case, camelCase, PascalCase, kebab-case or any. */
  readonly contextKeyConvention: KeyConvention;
  /** Canonical context-key names and the spellings to flag: `customer_id=client_id|org_id;tenant_id=tenant`. */
  readonly contextKeyAliases: string;
  /** Policy lint on PutKeyPolicy / CreateKey with a Policy: `log` records findings (log + audit), `enforce` also refuses error-severity findings, `off` skips. */
  readonly policyLintOnPut: PolicyLintOnPut;
  /** Metrics, alert rules and webhooks (src/monitor/monitor-settings.ts). */
  readonly monitor: MonitorSettings;
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
  extraAccountIds: [],
  auditMode: 'durable',
  policyMode: 'enforce',
  auditDigestEveryEvents: 10000,
  auditDigestIntervalSeconds: 60,
  auditRetentionDays: 0,
  secretDetection: 'enforce',
  contextKeyConvention: 'snake_case',
  contextKeyAliases: '',
  policyLintOnPut: 'log',
  monitor: DEFAULT_MONITOR_SETTINGS,
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
    extraAccountIds: env['KONTEXT_EXTRA_ACCOUNT_IDS'] ? env['KONTEXT_EXTRA_ACCOUNT_IDS'].split(',').map((a) => a.trim()).filter((a) => a !== '') : base.extraAccountIds,
    auditMode: (env['KONTEXT_AUDIT_MODE'] || base.auditMode) as Config['auditMode'],
    policyMode: (env['KONTEXT_POLICY_MODE'] || base.policyMode) as Config['policyMode'],
    auditDigestEveryEvents: num(env['KONTEXT_AUDIT_DIGEST_EVERY_EVENTS'], base.auditDigestEveryEvents),
    auditDigestIntervalSeconds: num(env['KONTEXT_AUDIT_DIGEST_INTERVAL_SECONDS'], base.auditDigestIntervalSeconds),
    auditRetentionDays: num(env['KONTEXT_AUDIT_RETENTION_DAYS'], base.auditRetentionDays),
    secretDetection: (env['KONTEXT_SECRET_DETECTION'] || base.secretDetection) as SchemaMode,
    contextKeyConvention: (env['KONTEXT_CONTEXT_KEY_CONVENTION'] || base.contextKeyConvention) as KeyConvention,
    contextKeyAliases: env['KONTEXT_CONTEXT_KEY_ALIASES'] ?? base.contextKeyAliases,
    policyLintOnPut: (env['KONTEXT_POLICY_LINT_ON_PUT'] || base.policyLintOnPut) as PolicyLintOnPut,
    monitor: monitorSettingsFromEnv(env, base.monitor),
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
  for (const a of c.extraAccountIds) if (!/^\d{12}$/.test(a)) problems.push(`extra account id must be 12 digits: '${a}'`);
  if (c.auditMode !== 'durable' && c.auditMode !== 'off') problems.push(`audit mode must be durable or off: '${c.auditMode}'`);
  if (c.policyMode !== 'enforce' && c.policyMode !== 'off') problems.push(`policy mode must be enforce or off: '${c.policyMode}'`);
  if (!(Number.isInteger(c.auditDigestEveryEvents) && c.auditDigestEveryEvents > 0)) problems.push(`audit digest event count must be a positive integer: ${c.auditDigestEveryEvents}`);
  if (!(c.auditDigestIntervalSeconds >= 0)) problems.push(`audit digest interval must be 0 or more seconds: ${c.auditDigestIntervalSeconds}`);
  if (!(c.auditRetentionDays >= 0)) problems.push(`audit retention must be 0 or more days: ${c.auditRetentionDays}`);
  if (!SCHEMA_MODES.includes(c.secretDetection)) problems.push(`secret detection must be enforce, warn or off: '${c.secretDetection}'`);
  if (!KEY_CONVENTIONS.includes(c.contextKeyConvention)) problems.push(`context key convention must be one of ${KEY_CONVENTIONS.join(', ')}: '${c.contextKeyConvention}'`);
  if (!POLICY_LINT_ON_PUT_MODES.includes(c.policyLintOnPut)) problems.push(`policy lint on put must be off, log or enforce: '${c.policyLintOnPut}'`);
  problems.push(...checkMonitorSettings(c.monitor));
  return problems;
}
