// The grant part of the repository interface. Grants list in creation order; `seq` is the
// position a page continues after (a store-assigned, increasing number).

import type { GrantRecord } from '../grants/grant-record.ts';

export interface GrantPage {
  readonly limit: number;
  /** Exclusive lower bound on `seq`. */
  readonly after: number | undefined;
}

export interface StoredGrant {
  readonly seq: number;
  readonly grant: GrantRecord;
}

export interface GrantFilter {
  readonly grantId?: string;
  readonly granteePrincipal?: string;
}

export type CreateGrantOutcome = 'created' | 'limit-exceeded';

export interface GrantRepository {
  /** Inserts the grant unless its key already has `limit` grants (one transaction). */
  create(grant: GrantRecord, limit: number): Promise<CreateGrantOutcome>;
  get(grantId: string): Promise<GrantRecord | undefined>;
  listForKey(region: string, accountId: string, keyId: string, page: GrantPage, filter?: GrantFilter): Promise<StoredGrant[]>;
  /** Grants of any key in the region that name this retiring principal. */
  listByRetiringPrincipal(region: string, retiringPrincipal: string, page: GrantPage): Promise<StoredGrant[]>;
  findByName(region: string, accountId: string, keyId: string, name: string): Promise<GrantRecord[]>;
  /** Returns false when no such grant exists. */
  delete(grantId: string): Promise<boolean>;
  /** Removes every grant of a key (the key was deleted); returns how many. */
  deleteForKey(region: string, accountId: string, keyId: string): Promise<number>;
}
