// Start-up wiring of the context guardrails: the schema registry loaded from the store and
// compiled, the alias index (with the store's alias writes invalidating it), and the settings.

import type { Logger } from 'pino';
import type { Store } from '../store/store.ts';
import { AliasIndex, watchAliasWrites } from './alias-index.ts';
import { Guardrails } from './guardrails.ts';
import { parseCanonicalNames } from './key-naming.ts';
import type { KeyConvention, SchemaMode } from './schema-document.ts';
import { SchemaRegistry } from './schema-registry.ts';

export interface GuardrailConfig {
  readonly secretDetection: SchemaMode;
  readonly contextKeyConvention: KeyConvention;
  /** `customer_id=client_id|org_id;tenant_id=tenant` */
  readonly contextKeyAliases: string;
}

/** Returns the store to use from now on (alias writes observed) and the loaded guardrails. */
export async function openGuardrails<S extends Store>(store: S, config: GuardrailConfig, log: Logger): Promise<{ store: S; guardrails: Guardrails }> {
  const aliases = new AliasIndex(store.aliases);
  const watched = watchAliasWrites(store, aliases);
  const registry = new SchemaRegistry(watched.contextSchemas, (v, problems) =>
    log.error({ schema: v.name, version: v.version, region: v.region, accountId: v.accountId, problems }, 'stored context schema no longer compiles; it is not applied'),
  );
  await registry.load();
  const guardrails = new Guardrails(
    registry,
    aliases,
    { secretDetection: config.secretDetection, keyNaming: { convention: config.contextKeyConvention, canonicalNames: parseCanonicalNames(config.contextKeyAliases) } },
    log,
  );
  if (config.secretDetection !== 'enforce') log.warn({ secretDetection: config.secretDetection }, 'secret detection in encryption context is not enforced');
  return { store: watched, guardrails };
}
