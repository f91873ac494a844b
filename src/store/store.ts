// The repository interface every backend implements (SQLite now, PostgreSQL later). Async so a
// networked backend fits; failures are typed (StoreConflict) rather than strings.

import type { KeyRecord } from '../keys/key-record.ts';
import type { IdentityRepository } from './identity-repository.ts';
import type { AuditRepository } from './audit-repository.ts';
import type { AlertRepository } from './alert-repository.ts';
import type { GrantRepository } from './grant-repository.ts';
import type { ContextSchemaRepository } from './schema-repository.ts';

export interface AliasRecord {
  readonly aliasName: string;
  readonly accountId: string;
  readonly region: string;
  readonly targetKeyId: string;
  readonly creationDate: number;
  readonly lastUpdatedDate: number;
}

export interface Page {
  readonly limit: number;
  /** Exclusive lower bound on the sort key (key id or alias name). */
  readonly after: string | undefined;
}

/** Raised by a store when a unique record already exists. */
export class StoreConflict extends Error {
  constructor(what: string) {
    super(`Store conflict: ${what} already exists`);
    this.name = 'StoreConflict';
  }
}

export interface KeyRepository {
  create(key: KeyRecord): Promise<void>;
  get(region: string, accountId: string, keyId: string): Promise<KeyRecord | undefined>;
  /** Replaces the stored record (same region/account/key id) in one transaction. */
  put(key: KeyRecord): Promise<void>;
  /** Deletes the key, every alias that points at it and its grants. */
  delete(region: string, accountId: string, keyId: string): Promise<void>;
  list(region: string, accountId: string, page: Page): Promise<KeyRecord[]>;
  /**
   * The key with this id in any account of the region (key ids are UUIDs: at most one). Decrypt
   * without KeyId finds a shared key of another account this way, as AWS does from the ciphertext.
   */
  findById(region: string, keyId: string): Promise<KeyRecord | undefined>;
  /** The key ids of a page of `list`, without reading the key documents (ListKeys). */
  listIds(region: string, accountId: string, page: Page): Promise<string[]>;
  /** Keys in any region whose deletion or automatic rotation is due at `now` (epoch ms). */
  listDue(now: number): Promise<KeyRecord[]>;
  count(): Promise<number>;
  /** Keys by key state, all accounts and regions (metrics). */
  countByState(): Promise<Record<string, number>>;
}

export interface AliasRepository {
  create(alias: AliasRecord): Promise<void>;
  get(region: string, accountId: string, aliasName: string): Promise<AliasRecord | undefined>;
  put(alias: AliasRecord): Promise<void>;
  delete(region: string, accountId: string, aliasName: string): Promise<void>;
  list(region: string, accountId: string, targetKeyId: string | undefined, page: Page): Promise<AliasRecord[]>;
}

/** Small named values the server keeps about itself (root key check value, bootstrap state). */
export interface MetaRepository {
  get(name: string): Promise<string | undefined>;
  /** Sets the value only if none is set; returns the value now stored. */
  putIfAbsent(name: string, value: string): Promise<string>;
}

export interface Store {
  readonly kind: string;
  readonly meta: MetaRepository;
  readonly keys: KeyRepository;
  readonly aliases: AliasRepository;
  readonly identity: IdentityRepository;
  readonly audit: AuditRepository;
  readonly alerts: AlertRepository;
  readonly grants: GrantRepository;
  readonly contextSchemas: ContextSchemaRepository;
  close(): Promise<void>;
}
