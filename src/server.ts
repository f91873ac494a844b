// Assembles a running Kontext server: data directory, root key, store, services, protocols,
// HTTP listener and the background sweep. Returns a handle that shuts everything down in order.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { createLogger } from './log.ts';
import { loadRootKey, verifyRootKey } from './runtime/root-key-loader.ts';
import { openSqliteStore } from './store/sqlite/sqlite-store.ts';
import type { Store } from './store/store.ts';
import { KeyService } from './keys/key-service.ts';
import { sameAccountAuthorizer } from './authz/authorizer.ts';
import { PolicyAuthorizer } from './authz/policy-authorizer.ts';
import { GrantService } from './grants/grant-service.ts';
import type { Services } from './services.ts';
import { defaultRegistry } from './operations/registry.ts';
import { Pipeline } from './api/pipeline.ts';
import { createHttpServer } from './api/http-server.ts';
import { jsonProtocol } from './api/json-protocol.ts';
import { scopeOnlyAuthenticator, type Authenticator } from './api/authenticator.ts';
import { discardingAuditSink, type AuditSink } from './audit/audit-sink.ts';
import { openAuditTrail } from './audit/audit-trail.ts';
import { queryProtocol } from './api/query-protocol.ts';
import { CredentialResolver } from './identity/credential-resolver.ts';
import { IdentityService } from './identity/identity-service.ts';
import { policyEngineRules } from './identity/policy-rules.ts';
import { SigV4Authenticator } from './identity/sigv4-authenticator.ts';
import { bootstrapAccount, bootstrapAdmin } from './identity/admin-bootstrap.ts';
import { openGuardrails } from './schema/open-guardrails.ts';
import { registerGuardrailMetrics } from './schema/guardrail-metrics.ts';
import { openMonitor } from './monitor/monitor.ts';
import { monitorRoutes } from './monitor/monitor-routes.ts';
import { timedAuthorizer } from './monitor/timed-authorizer.ts';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly services: Services;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly env?: Record<string, string | undefined>;
  readonly log?: Logger;
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const { rootKey, origin } = loadRootKey(env, config.dataDir, log);
  const { store, guardrails } = await openGuardrails<Store>(openSqliteStore(join(config.dataDir, 'kontext.db')), config, log);
  await verifyRootKey(store, rootKey);
  const now = () => Date.now();
  const credentials = new CredentialResolver(store.identity, rootKey);
  const grants = new GrantService(store.grants);
  const policies = new PolicyAuthorizer({ identity: store.identity, grants, log });
  // Inline-policy changes go through the policy engine's cache on their way to the store.
  const identity = new IdentityService(policies.identityPolicies.observe(store.identity), rootKey, randomBytes, credentials, policyEngineRules());
  await bootstrapAdmin(identity, store.meta, { accountId: config.accountId, dataDir: config.dataDir, region: config.defaultRegion, env, now: now(), log });
  for (const accountId of config.extraAccountIds.filter((a) => a !== config.accountId)) {
    await bootstrapAccount(identity, store.meta, { accountId, dataDir: config.dataDir, region: config.defaultRegion, now: now(), log });
  }
  const monitor = await openMonitor({ store, settings: config.monitor, accountId: config.accountId, log, now, env, auditEnabled: config.auditMode !== 'off' });
  registerGuardrailMetrics(monitor.metrics.registry, guardrails.counters);
  const services: Services = {
    config,
    store,
    keys: new KeyService(store, rootKey, randomBytes),
    guardrails,
    monitor,
    authorizer: config.policyMode === 'off' ? sameAccountAuthorizer : timedAuthorizer(policies, (s, allowed) => monitor.metrics.policyEvaluated(s, allowed)),
    policies,
    grants,
    identity,
    log,
    now,
  };
  const audit: AuditSink =
    config.auditMode === 'off'
      ? discardingAuditSink
      : await openAuditTrail({
          store,
          rootKey,
          accountId: config.accountId,
          log,
          now,
          settings: { digestEveryEvents: config.auditDigestEveryEvents, digestIntervalSeconds: config.auditDigestIntervalSeconds, retentionDays: config.auditRetentionDays },
        });
  audit.subscribe?.(monitor.auditObserver);
  if (config.auditMode === 'off') log.warn('AUDIT DISABLED (auditMode off): requests are not recorded; for benchmarks only');
  const authenticator: Authenticator =
    config.authMode === 'none' ? scopeOnlyAuthenticator(config.accountId, config.defaultRegion) : new SigV4Authenticator({ resolver: credentials, now, log });
  if (config.policyMode === 'off') log.warn('POLICIES DISABLED (policyMode off): key policies, IAM policies and grants are not evaluated; for benchmarks only');
  if (config.authMode === 'none') log.warn('AUTH DISABLED (authMode none): every request is treated as the account root; for benchmarks only');
  const registry = defaultRegistry();
  const pipeline = new Pipeline(services, audit);
  const http = createHttpServer({ maxBodyBytes: config.maxBodyBytes, protocols: [jsonProtocol(registry, pipeline, authenticator), queryProtocol(registry, pipeline, authenticator)], log, now, routes: monitorRoutes(monitor) });

  let sweeping: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    sweeping = Promise.all([services.keys.sweep(now()), identity.sweep(now())])
      .then(([r]) => r)
      .then((r) => {
        if (r.deleted.length || r.rotated.length) log.info({ deleted: r.deleted, rotated: r.rotated }, 'key sweep');
      })
      .catch((err: unknown) => log.error({ err }, 'key sweep failed'));
  };
  sweep();
  const timer = setInterval(sweep, config.sweepIntervalSeconds * 1000);
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  // Which build is running: dist/ (compiled, what `npm start` runs) or the sources through tsx.
  const runtime = import.meta.url.endsWith('.ts') ? 'typescript-sources' : 'compiled';
  log.info({ url, dataDir: config.dataDir, store: store.kind, rootKey: origin, accountId: config.accountId, runtime }, `Kontext ready on ${url}`);
  log.flush();

  return {
    url,
    port,
    services,
    async close() {
      clearInterval(timer);
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections();
      });
      await sweeping;
      await audit.close();
      await monitor.close();
      await store.close();
      log.flush();
    },
  };
}
