// Storage of context-schema versions (src/schema). Append-only: a put or a delete adds a version,
// so every version a ciphertext was ever checked against stays readable.

import type { ContextSchemaVersion } from '../schema/schema-document.ts';

export interface ContextSchemaRepository {
  /** Adds a version; StoreConflict when that version already exists (a concurrent writer won). */
  append(version: ContextSchemaVersion): Promise<void>;
  latest(region: string, accountId: string, name: string): Promise<ContextSchemaVersion | undefined>;
  get(region: string, accountId: string, name: string, version: number): Promise<ContextSchemaVersion | undefined>;
  /** The latest version of each schema whose latest version is not a deletion, by name after `after`. */
  listCurrent(region: string, accountId: string, after: string | undefined, limit: number): Promise<ContextSchemaVersion[]>;
  /** Every version of one schema, oldest first, after version `after`. */
  listVersions(region: string, accountId: string, name: string, after: number | undefined, limit: number): Promise<ContextSchemaVersion[]>;
  /** Every current schema in every account and region (fills the in-memory cache at start-up). */
  listAllCurrent(): Promise<ContextSchemaVersion[]>;
}
