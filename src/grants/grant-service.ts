// Grants on behalf of the operations and the authorizer: creating (with Name idempotency and the
// per-key quota), finding, listing and deleting grants, and the grants of a key as the evaluator
// reads them, kept in a bounded in-memory cache that every change this process makes invalidates.

import { randomBytes } from 'node:crypto';
import { KontextError } from '../errors.ts';
import { BoundedCache } from '../keys/bounded-cache.ts';
import type { Grant, GrantConstraints } from '../policy/grants.ts';
import type { GrantFilter, GrantPage, GrantRepository, StoredGrant } from '../store/grant-repository.ts';
import { GRANTS_PER_KEY, type GrantOperation, type GrantRecord } from './grant-record.ts';
import { encodeGrantToken } from './grant-token.ts';

export type RandomBytes = (n: number) => Buffer;

export interface KeyCoordinates {
  readonly region: string;
  readonly accountId: string;
  readonly keyId: string;
  readonly arn: string;
}

export interface NewGrant {
  readonly key: KeyCoordinates;
  readonly name: string | undefined;
  readonly granteePrincipal: string;
  readonly retiringPrincipal: string | undefined;
  readonly issuingAccountId: string;
  readonly operations: readonly GrantOperation[];
  readonly constraints: GrantConstraints | undefined;
}

export interface CreatedGrant {
  readonly grant: GrantRecord;
  readonly token: string;
  /** True when a Name retry matched an existing grant and no grant was created. */
  readonly existing: boolean;
}

export interface GrantServiceOptions {
  readonly random?: RandomBytes;
  readonly maxCachedKeys?: number;
  readonly grantsPerKey?: number;
}

const keyOf = (k: { region: string; accountId: string; keyId: string }): string => `${k.region}/${k.accountId}/${k.keyId}`;

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x)) && b.every((x) => a.includes(x));

function samePairs(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  if (!a || !b) return a === b || (Object.keys(a ?? {}).length === 0 && Object.keys(b ?? {}).length === 0);
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && b[k] === a[k]);
}

/** Same grantee, retiring principal, operations and constraints: a Name retry of this grant. */
export function sameGrantProperties(g: GrantRecord, n: NewGrant): boolean {
  return (
    g.granteePrincipal === n.granteePrincipal &&
    g.retiringPrincipal === n.retiringPrincipal &&
    sameSet(g.operations, n.operations) &&
    samePairs(g.constraints?.encryptionContextEquals, n.constraints?.encryptionContextEquals) &&
    samePairs(g.constraints?.encryptionContextSubset, n.constraints?.encryptionContextSubset)
  );
}

/** The evaluator's view of a grant. */
export const evaluatorGrant = (g: GrantRecord): Grant => ({
  grantId: g.grantId,
  granteePrincipal: g.granteePrincipal,
  operations: g.operations,
  ...(g.constraints ? { constraints: g.constraints } : {}),
});

export class GrantService {
  readonly #repo: GrantRepository;
  readonly #random: RandomBytes;
  readonly #grantsPerKey: number;
  readonly #byKey: BoundedCache<readonly Grant[]>;
  readonly #loading = new Map<string, Promise<readonly Grant[]>>();
  /** Bumped by every invalidation so a load that started before it is not cached after it. */
  #generation = 0;

  constructor(repo: GrantRepository, options: GrantServiceOptions = {}) {
    this.#repo = repo;
    this.#random = options.random ?? randomBytes;
    this.#grantsPerKey = options.grantsPerKey ?? GRANTS_PER_KEY;
    this.#byKey = new BoundedCache(options.maxCachedKeys ?? 20_000);
  }

  /** Every grant of a key, for the evaluator. Cached; a miss loads them all once. */
  grantsFor(key: { region: string; accountId: string; keyId: string }): readonly Grant[] | Promise<readonly Grant[]> {
    const ck = keyOf(key);
    const hit = this.#byKey.get(ck);
    if (hit) return hit;
    let pending = this.#loading.get(ck);
    if (!pending) {
      const generation = this.#generation;
      pending = this.#load(key).then((grants) => {
        if (generation === this.#generation) this.#byKey.set(ck, grants);
        return grants;
      });
      pending.finally(() => {
        if (this.#loading.get(ck) === pending) this.#loading.delete(ck);
      }).catch(() => undefined);
      this.#loading.set(ck, pending);
    }
    return pending;
  }

  async create(input: NewGrant, now: number): Promise<CreatedGrant> {
    const { key } = input;
    if (input.name !== undefined) {
      const same = (await this.#repo.findByName(key.region, key.accountId, key.keyId, input.name)).find((g) => sameGrantProperties(g, input));
      if (same) return { grant: same, token: this.#token(same.grantId), existing: true };
    }
    const grant: GrantRecord = {
      grantId: this.#random(32).toString('hex'),
      region: key.region,
      accountId: key.accountId,
      keyId: key.keyId,
      keyArn: key.arn,
      name: input.name,
      granteePrincipal: input.granteePrincipal,
      retiringPrincipal: input.retiringPrincipal,
      issuingAccount: `arn:aws:iam::${input.issuingAccountId}:root`,
      operations: [...input.operations],
      constraints: input.constraints,
      creationDate: now,
    };
    const outcome = await this.#repo.create(grant, this.#grantsPerKey);
    if (outcome === 'limit-exceeded') {
      throw new KontextError('LimitExceededException', `Cannot exceed quota for grants per KMS key: ${this.#grantsPerKey}`, `key ${key.arn} has ${this.#grantsPerKey} grants`);
    }
    this.invalidateKey(key);
    return { grant, token: this.#token(grant.grantId), existing: false };
  }

  get(grantId: string): Promise<GrantRecord | undefined> {
    return this.#repo.get(grantId);
  }

  listForKey(key: { region: string; accountId: string; keyId: string }, page: GrantPage, filter?: GrantFilter): Promise<StoredGrant[]> {
    return this.#repo.listForKey(key.region, key.accountId, key.keyId, page, filter);
  }

  listByRetiringPrincipal(region: string, retiringPrincipal: string, page: GrantPage): Promise<StoredGrant[]> {
    return this.#repo.listByRetiringPrincipal(region, retiringPrincipal, page);
  }

  /** Deletes a grant (RetireGrant, RevokeGrant); false when it was already gone. */
  async remove(grant: GrantRecord): Promise<boolean> {
    const deleted = await this.#repo.delete(grant.grantId);
    this.invalidateKey(grant);
    return deleted;
  }

  /** Deletes every grant of a deleted key. */
  async removeForKey(key: { region: string; accountId: string; keyId: string }): Promise<number> {
    const n = await this.#repo.deleteForKey(key.region, key.accountId, key.keyId);
    this.invalidateKey(key);
    return n;
  }

  /** Forgets the cached grants of a key (a change here, or one another node announced). */
  invalidateKey(key: { region: string; accountId: string; keyId: string }): void {
    this.#generation++;
    const ck = keyOf(key);
    this.#byKey.delete(ck);
    this.#loading.delete(ck);
  }

  async #load(key: { region: string; accountId: string; keyId: string }): Promise<readonly Grant[]> {
    const grants: Grant[] = [];
    let after: number | undefined;
    for (;;) {
      const rows = await this.#repo.listForKey(key.region, key.accountId, key.keyId, { limit: 1000, after });
      for (const r of rows) grants.push(evaluatorGrant(r.grant));
      if (rows.length < 1000) return grants;
      after = rows[rows.length - 1]?.seq;
    }
  }

  #token(grantId: string): string {
    return encodeGrantToken(grantId, this.#random(8));
  }
}
