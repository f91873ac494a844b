// Resolves an access key id to its secret and principal for SigV4 verification, with the unwrapped
// secrets held in a bounded in-memory cache. Every change this process makes to a key or session
// invalidates its entry at once; entries also age out after `ttlMs`, which bounds how long another
// node sharing the database may keep honouring a key deleted elsewhere.

import { BoundedCache } from '../keys/bounded-cache.ts';
import type { RootKey } from '../crypto/root-key.ts';
import type { IdentityRepository } from '../store/identity-repository.ts';
import { rootCaller, type Caller } from './caller.ts';
import { assumedRoleArn, secretLabel, type AccessKeyStatus } from './identity-records.ts';

export interface ResolvedCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly caller: Caller;
  readonly status: AccessKeyStatus;
  /** Present for temporary (STS) credentials. */
  readonly session: { readonly tokenHash: Buffer; readonly expiresAt: number } | undefined;
}

interface Entry {
  readonly credential: ResolvedCredential;
  readonly loadedAt: number;
}

export interface CredentialResolverOptions {
  readonly maxEntries?: number;
  readonly ttlMs?: number;
}

export const DEFAULT_CREDENTIAL_CACHE_ENTRIES = 10_000;
export const DEFAULT_CREDENTIAL_CACHE_TTL_MS = 60_000;

export class CredentialResolver {
  readonly #repo: IdentityRepository;
  readonly #root: RootKey;
  readonly #cache: BoundedCache<Entry>;
  readonly #ttlMs: number;
  /** Loads in flight, so a burst of requests with a new key unwraps it once. */
  readonly #loading = new Map<string, Promise<ResolvedCredential | undefined>>();
  /** Bumped by every invalidation so a load that started before it is not cached after it. */
  #generation = 0;

  constructor(repo: IdentityRepository, root: RootKey, options: CredentialResolverOptions = {}) {
    this.#repo = repo;
    this.#root = root;
    this.#cache = new BoundedCache(options.maxEntries ?? DEFAULT_CREDENTIAL_CACHE_ENTRIES);
    this.#ttlMs = options.ttlMs ?? DEFAULT_CREDENTIAL_CACHE_TTL_MS;
  }

  /** The credential for an access key id, or undefined when no such key or session exists. */
  async resolve(accessKeyId: string, now: number): Promise<ResolvedCredential | undefined> {
    const hit = this.#cache.get(accessKeyId);
    if (hit && now - hit.loadedAt < this.#ttlMs) return hit.credential;
    const inFlight = this.#loading.get(accessKeyId);
    if (inFlight) return inFlight;
    const generation = this.#generation;
    const pending = this.#load(accessKeyId);
    this.#loading.set(accessKeyId, pending);
    try {
      const credential = await pending;
      if (credential && generation === this.#generation) this.#cache.set(accessKeyId, { credential, loadedAt: now });
      return credential;
    } finally {
      if (this.#loading.get(accessKeyId) === pending) this.#loading.delete(accessKeyId);
    }
  }

  /** Forgets a key or session so the next request reads the store. */
  invalidate(accessKeyId: string): void {
    this.#generation++;
    this.#cache.delete(accessKeyId);
    this.#loading.delete(accessKeyId);
  }

  get size(): number {
    return this.#cache.size;
  }

  async #load(accessKeyId: string): Promise<ResolvedCredential | undefined> {
    const key = await this.#repo.getAccessKey(accessKeyId);
    if (key) {
      let caller: Caller;
      if (key.userName === undefined) {
        caller = rootCaller(key.accountId, accessKeyId);
      } else {
        const user = await this.#repo.getUser(key.accountId, key.userName);
        if (!user) return undefined;
        caller = {
          type: 'IAMUser',
          accountId: user.accountId,
          arn: user.arn,
          principalId: user.userId,
          accessKeyId,
          userName: user.userName,
          sessionIssuer: undefined,
          sessionCreatedAt: undefined,
        };
      }
      return {
        accessKeyId,
        secretAccessKey: this.#root.unwrap(key.wrappedSecret, secretLabel(accessKeyId)).toString('utf8'),
        caller,
        status: key.status,
        session: undefined,
      };
    }
    const session = await this.#repo.getSession(accessKeyId);
    if (!session) return undefined;
    return {
      accessKeyId,
      secretAccessKey: this.#root.unwrap(session.wrappedSecret, secretLabel(accessKeyId)).toString('utf8'),
      caller: {
        type: 'AssumedRole',
        accountId: session.accountId,
        arn: assumedRoleArn(session.accountId, session.roleName, session.sessionName),
        principalId: `${session.roleId}:${session.sessionName}`,
        accessKeyId,
        userName: session.roleName,
        sessionIssuer: {
          type: 'Role',
          principalId: session.roleId,
          arn: session.roleArn,
          accountId: session.accountId,
          userName: session.roleName,
        },
        sessionCreatedAt: session.createdAt,
      },
      status: 'Active',
      session: { tokenHash: session.tokenHash, expiresAt: session.expiresAt },
    };
  }
}
