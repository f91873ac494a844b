// Which aliases point at a key, cached so that matching alias-pattern schemas costs no database
// read per request. The cache of a scope is dropped on every alias write this process makes
// (watchAliasWrites wraps the store's alias repository), and a read that raced with a write is
// not cached.

import type { KeyRecord } from '../keys/key-record.ts';
import type { AliasRepository, Store } from '../store/store.ts';

const MAX_KEYS_PER_SCOPE = 50_000;
const NONE: readonly string[] = Object.freeze([]);

interface ScopeCache {
  generation: number;
  readonly byKey: Map<string, readonly string[]>;
}

export class AliasIndex {
  readonly #aliases: AliasRepository;
  readonly #scopes = new Map<string, ScopeCache>();

  constructor(aliases: AliasRepository) {
    this.#aliases = aliases;
  }

  async aliasesOf(key: KeyRecord): Promise<readonly string[]> {
    const cache = this.#scope(key.region, key.accountId);
    const hit = cache.byKey.get(key.keyId);
    if (hit) return hit;
    const generation = cache.generation;
    const rows = await this.#aliases.list(key.region, key.accountId, key.keyId, { limit: 1000, after: undefined });
    const names = rows.length === 0 ? NONE : Object.freeze(rows.map((a) => a.aliasName));
    if (cache.generation === generation) {
      if (cache.byKey.size >= MAX_KEYS_PER_SCOPE) cache.byKey.clear();
      cache.byKey.set(key.keyId, names);
    }
    return names;
  }

  /** Forgets every cached alias list of a scope (an alias there was created, moved or deleted). */
  invalidate(region: string, accountId: string): void {
    const cache = this.#scopes.get(`${region}/${accountId}`);
    if (cache) {
      cache.generation++;
      cache.byKey.clear();
    }
  }

  #scope(region: string, accountId: string): ScopeCache {
    const k = `${region}/${accountId}`;
    let cache = this.#scopes.get(k);
    if (!cache) this.#scopes.set(k, (cache = { generation: 0, byKey: new Map() }));
    return cache;
  }
}

/** The same store, with alias writes invalidating `index` once they are durable (and before they resolve). */
export function watchAliasWrites<S extends Store>(store: S, index: AliasIndex): S {
  const inner = store.aliases;
  const aliases: AliasRepository = {
    get: (region, accountId, name) => inner.get(region, accountId, name),
    list: (region, accountId, target, page) => inner.list(region, accountId, target, page),
    async create(a) {
      try {
        await inner.create(a);
      } finally {
        index.invalidate(a.region, a.accountId);
      }
    },
    async put(a) {
      try {
        await inner.put(a);
      } finally {
        index.invalidate(a.region, a.accountId);
      }
    },
    async delete(region, accountId, name) {
      try {
        await inner.delete(region, accountId, name);
      } finally {
        index.invalidate(region, accountId);
      }
    },
  };
  return Object.assign(Object.create(Object.getPrototypeOf(store) as object) as S, store, { aliases });
}
