// The inline identity policies (and tags) of users and roles, compiled once and cached per owner so
// that no request parses JSON. A compiled policy is shared by every owner with the same name and
// text. Entries are dropped by every change this process makes (the repository wrapper below) and
// age out after `ttlMs`, which bounds how long a change made by another node goes unseen.

import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { BoundedCache } from '../keys/bounded-cache.ts';
import { loadPolicy, type CompiledPolicy } from '../policy/index.ts';
import type { IdentityRepository } from '../store/identity-repository.ts';
import type { Caller } from '../identity/caller.ts';
import { policyOwnerOf, tagRecord } from '../identity/principal-facts.ts';

export interface OwnerPolicies {
  readonly policies: readonly CompiledPolicy[];
  readonly tags: Readonly<Record<string, string>> | undefined;
  /** Names of stored policies that could not be compiled: requests fail closed while any exist. */
  readonly broken: readonly string[];
  /** For an assumed-role session: the session policy given to AssumeRole, which limits the role's permissions. */
  readonly sessionPolicy?: CompiledPolicy;
}

/** The name a session policy carries in evaluation results. */
export const SESSION_POLICY_NAME = 'session policy';

export const NO_POLICIES: OwnerPolicies = Object.freeze({ policies: [], tags: undefined, broken: [] });

export interface IdentityPolicySourceOptions {
  readonly maxOwners?: number;
  readonly maxCompiled?: number;
  readonly ttlMs?: number;
  readonly log?: Logger;
}

interface Entry {
  readonly value: OwnerPolicies;
  readonly loadedAt: number;
}

export type OwnerType = 'user' | 'role';

const ownerKey = (accountId: string, ownerType: OwnerType, ownerName: string): string => `${accountId}/${ownerType}/${ownerName.toLowerCase()}`;
const textHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('base64');

export class IdentityPolicySource {
  readonly #repo: IdentityRepository | undefined;
  readonly #owners: BoundedCache<Entry>;
  readonly #compiled: BoundedCache<CompiledPolicy>;
  readonly #ttlMs: number;
  readonly #log: Logger | undefined;
  readonly #loading = new Map<string, Promise<OwnerPolicies>>();
  /** Per caller object (the credential cache hands out the same one): no key building or hashing. */
  readonly #byCaller = new WeakMap<Caller, Entry & { readonly generation: number }>();
  #generation = 0;

  constructor(repo: IdentityRepository | undefined, options: IdentityPolicySourceOptions = {}) {
    this.#repo = repo;
    this.#owners = new BoundedCache(options.maxOwners ?? 10_000);
    this.#compiled = new BoundedCache(options.maxCompiled ?? 10_000);
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#log = options.log;
  }

  /** The policies that apply to a caller (none for the account root). Synchronous when cached. */
  forCaller(caller: Caller, now: number): OwnerPolicies | Promise<OwnerPolicies> {
    const fast = this.#byCaller.get(caller);
    if (fast && fast.generation === this.#generation && now - fast.loadedAt < this.#ttlMs) return fast.value;
    const owner = policyOwnerOf(caller);
    if (!owner) return NO_POLICIES;
    const generation = this.#generation;
    const remember = (value: OwnerPolicies): OwnerPolicies => {
      if (generation === this.#generation) this.#byCaller.set(caller, { value, loadedAt: now, generation });
      return value;
    };
    const found = this.forOwner(owner.accountId, owner.ownerType, owner.ownerName, now);
    if (caller.type === 'AssumedRole' && caller.accessKeyId !== undefined && this.#repo) {
      return Promise.all([found, this.#repo.getSession(caller.accessKeyId)]).then(([role, session]) =>
        remember(session?.sessionPolicy === undefined ? role : this.#withSessionPolicy(role, session.sessionPolicy, caller)),
      );
    }
    return found instanceof Promise ? found.then(remember) : remember(found);
  }

  #withSessionPolicy(role: OwnerPolicies, text: string, caller: Caller): OwnerPolicies {
    try {
      return { ...role, sessionPolicy: this.compile(SESSION_POLICY_NAME, text) };
    } catch (err) {
      this.#log?.warn({ err, caller: caller.arn }, 'session policy does not compile; the session is denied');
      return { ...role, broken: [...role.broken, SESSION_POLICY_NAME] };
    }
  }

  forOwner(accountId: string, ownerType: OwnerType, ownerName: string, now: number): OwnerPolicies | Promise<OwnerPolicies> {
    if (!this.#repo) return NO_POLICIES;
    const key = ownerKey(accountId, ownerType, ownerName);
    const hit = this.#owners.get(key);
    if (hit && now - hit.loadedAt < this.#ttlMs) return hit.value;
    const inFlight = this.#loading.get(key);
    if (inFlight) return inFlight;
    const generation = this.#generation;
    const pending = this.#load(this.#repo, accountId, ownerType, ownerName).then((value) => {
      if (generation === this.#generation) this.#owners.set(key, { value, loadedAt: now });
      return value;
    });
    this.#loading.set(key, pending);
    pending.finally(() => {
      if (this.#loading.get(key) === pending) this.#loading.delete(key);
    }).catch(() => undefined);
    return pending;
  }

  /** Compiles (or reuses) one identity policy. Throws MalformedPolicyDocumentException. */
  compile(policyName: string, text: string): CompiledPolicy {
    const key = `${policyName}\u0000${textHash(text)}`;
    let compiled = this.#compiled.get(key);
    if (!compiled) {
      // Sizes were checked against the owner's quota when the policy was stored.
      compiled = loadPolicy(text, { kind: 'identity', name: policyName, maxSize: Number.MAX_SAFE_INTEGER });
      this.#compiled.set(key, compiled);
    }
    return compiled;
  }

  invalidate(accountId: string, ownerType: OwnerType, ownerName: string): void {
    this.#generation++;
    const key = ownerKey(accountId, ownerType, ownerName);
    this.#owners.delete(key);
    this.#loading.delete(key);
  }

  /**
   * The identity repository with every change to inline policies, users and roles reported here
   * first, so the next request sees it. Hand this to the IdentityService.
   */
  observe(repo: IdentityRepository): IdentityRepository {
    const invalidate = (accountId: string, ownerType: OwnerType, ownerName: string): void => this.invalidate(accountId, ownerType, ownerName);
    const overrides: Partial<IdentityRepository> = {
      async putInlinePolicy(policy) {
        try {
          return await repo.putInlinePolicy(policy);
        } finally {
          invalidate(policy.accountId, policy.ownerType, policy.ownerName);
        }
      },
      async deleteInlinePolicy(accountId, ownerType, ownerName, policyName) {
        try {
          return await repo.deleteInlinePolicy(accountId, ownerType, ownerName, policyName);
        } finally {
          invalidate(accountId, ownerType, ownerName);
        }
      },
      async deleteUser(accountId, userName) {
        try {
          return await repo.deleteUser(accountId, userName);
        } finally {
          invalidate(accountId, 'user', userName);
        }
      },
      async deleteRole(accountId, roleName) {
        try {
          return await repo.deleteRole(accountId, roleName);
        } finally {
          invalidate(accountId, 'role', roleName);
        }
      },
    };
    return new Proxy(repo, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && Object.hasOwn(overrides, prop)) return overrides[prop as keyof IdentityRepository];
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  async #load(repo: IdentityRepository, accountId: string, ownerType: OwnerType, ownerName: string): Promise<OwnerPolicies> {
    const [records, owner] = await Promise.all([
      repo.listInlinePolicies(accountId, ownerType, ownerName, { limit: 10_000, after: undefined }),
      ownerType === 'user' ? repo.getUser(accountId, ownerName) : repo.getRole(accountId, ownerName),
    ]);
    const policies: CompiledPolicy[] = [];
    const broken: string[] = [];
    for (const r of records) {
      try {
        policies.push(this.compile(r.policyName, r.document));
      } catch (err) {
        broken.push(r.policyName);
        this.#log?.warn({ err, accountId, ownerType, ownerName, policyName: r.policyName }, 'stored identity policy does not compile; the owner is denied until it is fixed');
      }
    }
    return { policies, tags: owner ? tagRecord(owner.tags) : undefined, broken };
  }
}
