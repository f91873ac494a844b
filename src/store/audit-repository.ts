// The audit trail's storage: an append-only, hash-chained sequence of events with a term index,
// and the signed digests that seal it. The chain and signatures are computed by src/audit; a
// backend stores rows and answers index lookups.

/** One thing an event can be found by, scoped to an account (e.g. EventName=Decrypt in 1234...). */
export interface AuditIndexEntry {
  readonly account: string;
  /** Attribute code (src/audit/event-index.ts). */
  readonly attr: number;
  readonly value: string;
}

export interface AuditEventRow {
  /** Position in the chain, 1, 2, 3, ... without gaps. */
  readonly seq: number;
  /** Epoch ms, non-decreasing along the chain (the query layer maps time ranges onto seq ranges). */
  readonly time: number;
  /** The event's canonical JSON: exactly the bytes the chain hash covers. */
  readonly body: string;
  /** SHA-256(previous hash || seq || body). */
  readonly hash: Buffer;
}

export interface AuditChainRow {
  readonly seq: number;
  readonly body: string;
  readonly hash: Buffer;
}

export interface AuditAppend extends AuditEventRow {
  readonly index: readonly AuditIndexEntry[];
}

export interface AuditDigestRow {
  /** 1, 2, 3, ... */
  readonly number: number;
  /** First and last event sequence the digest covers (last < first for a digest with no events). */
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** Epoch ms the digest was made. */
  readonly endTime: number;
  /** The digest JSON, as signed. */
  readonly body: string;
  /** Hex signature over the digest's signing string. */
  readonly signature: string;
}

export interface AuditQuery {
  /** The entry whose index range is read, newest first (the most selective filter). */
  readonly driver: AuditIndexEntry;
  /** Entries every result must also carry. */
  readonly filters: readonly AuditIndexEntry[];
  /** Inclusive sequence bounds. */
  readonly minSeq: number;
  readonly maxSeq: number;
  readonly limit: number;
}

export interface AuditRepository {
  /**
   * Appends events in one transaction. `onCommitted` runs once the transaction has committed (the
   * events are readable and the next batch may chain on them); the promise resolves once they
   * are durable, and rejects if either step fails.
   */
  append(events: readonly AuditAppend[], onCommitted?: () => void): Promise<void>;
  appendDigest(digest: AuditDigestRow): Promise<void>;
  /**
   * Writes index entries for stored events (catching up after a crash). A backend may index
   * appended events after they are durable; `indexedThrough` says how far the index reaches.
   */
  index(events: readonly { readonly seq: number; readonly index: readonly AuditIndexEntry[] }[]): Promise<void>;
  /** Removes events and their index entries (retention), in one transaction. */
  deleteEvents(events: readonly { readonly seq: number; readonly index: readonly AuditIndexEntry[] }[]): Promise<void>;
  /** Removes digests numbered below `number` (retention keeps the anchor digest and later ones). */
  deleteDigestsBefore(number: number): Promise<void>;

  lastEvent(): Promise<AuditEventRow | undefined>;
  firstEvent(): Promise<AuditEventRow | undefined>;
  /** Events with seq >= fromSeq in sequence order. */
  events(fromSeq: number, limit: number): Promise<AuditEventRow[]>;
  /** The chain's part of the same rows (sequence, body, hash), read for verification with as little per row as possible. */
  chainRows(fromSeq: number, limit: number): Promise<AuditChainRow[]>;
  /** Events with minSeq <= seq <= maxSeq, highest sequence first. */
  eventsDescending(maxSeq: number, minSeq: number, limit: number): Promise<AuditEventRow[]>;
  /** Events matching every entry of the query, highest sequence first (indexed events only). */
  query(q: AuditQuery): Promise<AuditEventRow[]>;
  /** The highest sequence whose index entries are written; later events must be scanned. */
  indexedThrough(): Promise<number>;
  /** Sequence bounds of the events whose time lies in [from, to] (epoch ms, inclusive). */
  seqRange(from: number | undefined, to: number | undefined): Promise<{ readonly minSeq: number; readonly maxSeq: number }>;
  digests(): Promise<AuditDigestRow[]>;
  lastDigest(): Promise<AuditDigestRow | undefined>;
  /** Opens the writer ahead of the first write. */
  ready(): Promise<void>;
  /** Finishes pending writes (and index terms) and closes the writer. */
  close(): Promise<void>;
}
