// Compiled key policies, keyed by the policy text itself: a changed policy is a different text and
// compiles anew, so no invalidation is needed, and every key with the same (e.g. default) policy
// shares one compiled form. In front of it, a weak map by key record object: KeyService hands out
// the same record until the key changes, so a request costs one identity lookup.

import { BoundedCache } from '../keys/bounded-cache.ts';
import { loadPolicy, type CompiledPolicy } from '../policy/index.ts';
import { isKontextError } from '../errors.ts';

export type KeyPolicyLookup =
  | { readonly ok: true; readonly policy: CompiledPolicy }
  | { readonly ok: false; readonly reason: string };

export class KeyPolicyCache {
  readonly #cache: BoundedCache<KeyPolicyLookup>;
  /** Per key record object: records are cached and replaced on every change, so identity is enough. */
  readonly #byRecord = new WeakMap<object, KeyPolicyLookup>();

  constructor(maxEntries = 10_000) {
    this.#cache = new BoundedCache(maxEntries);
  }

  /** The compiled policy, or why a stored policy cannot be used (the key then allows nobody). */
  get(text: string): KeyPolicyLookup {
    let hit = this.#cache.get(text);
    if (!hit) {
      try {
        // The size limit was enforced when the policy was stored.
        hit = { ok: true, policy: loadPolicy(text, { kind: 'key', maxSize: Number.MAX_SAFE_INTEGER }) };
      } catch (err) {
        hit = { ok: false, reason: `the stored key policy does not compile: ${isKontextError(err) ? (err.reason ?? err.message) : String(err)}` };
      }
      this.#cache.set(text, hit);
    }
    return hit;
  }

  /** The compiled policy of a key record; the hot path (no hashing, no LRU bookkeeping). */
  forKey(key: { readonly policy: string }): KeyPolicyLookup {
    let hit = this.#byRecord.get(key);
    if (!hit) {
      hit = this.get(key.policy);
      this.#byRecord.set(key, hit);
    }
    return hit;
  }

  /** Seeds the cache with a policy just validated (PutKeyPolicy, CreateKey). */
  prime(text: string, policy: CompiledPolicy): void {
    this.#cache.set(text, { ok: true, policy });
  }

  get size(): number {
    return this.#cache.size;
  }
}
