// Durable audit writes to a database file without blocking the request thread on the disk.
//
// The trail has its own connection in WAL mode with synchronous=NORMAL: a commit appends its
// frames to the WAL and returns (tens of microseconds), and the batch is reported durable only
// after an fdatasync of the WAL file, which runs on libuv's thread pool. A transaction is durable
// exactly when its WAL frames are on disk (SQLite itself syncs the WAL header when the WAL is
// reused, and the database file after checkpoints), so this is synchronous=FULL's guarantee; but
// the next batch commits while the previous one syncs, and one fdatasync covers every batch
// committed before it started.
//
// Index terms are derived data: they are written after the events, many batches to a
// transaction, and `audit_indexed_through` says how far they reach (audit-writer.ts).
//
// Everything runs on the request thread on purpose: handing batches to a worker thread cost more
// (a cross-thread wake-up per batch, ~25 µs, and batches are small when fsync is fast) than the
// inserts it would have moved.

import { closeSync, fdatasync, fstatSync, openSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SqliteAuditWriter, type AuditWriteCommand, type PendingTerms } from './audit-writer.ts';
import { WalCheckpointer } from './wal-checkpointer.ts';
import type { SqliteDatabase } from './sqlite-store.ts';

/** Events whose terms go into one index transaction: larger amortizes page writes, smaller keeps the pause short. */
const INDEX_BATCH_EVENTS = 512;
const INDEX_DELAY_MS = 20;
const WAL_RECHECK_MS = 1000;
/** How often the checkpoint worker runs (wal-checkpointer.ts). */
const CHECKPOINT_INTERVAL_MS = 200;

export class AuditFileWriter {
  readonly #file: string;
  readonly #db: SqliteDatabase;
  readonly #writer: SqliteAuditWriter;
  #walFd: number | undefined;
  #dbFd: number | undefined;
  #syncing = false;
  #walCheckedAt = 0;
  #waiting: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  #drained: (() => void) | undefined;
  #unindexed: PendingTerms[] = [];
  #indexTimer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #checkpointer: WalCheckpointer;

  constructor(file: string) {
    this.#file = file;
    this.#db = new Database(file, { fileMustExist: true });
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    // The term index is written in random order: keep its hot pages in memory.
    this.#db.pragma('cache_size = -32768');
    this.#writer = new SqliteAuditWriter(this.#db);
    this.#db.pragma('wal_autocheckpoint = 0');
    this.#checkpointer = new WalCheckpointer({
      file,
      intervalMs: CHECKPOINT_INTERVAL_MS,
      onFailure: () => {
        // Back to SQLite's own checkpoints inside commits: slower answers, never an unbounded WAL.
        if (!this.#closed) this.#db.pragma('wal_autocheckpoint = 1000');
      },
    });
  }

  /** Commits now (throwing if that fails), calls `onCommitted`, and resolves once durable. */
  write(cmd: AuditWriteCommand, onCommitted?: () => void): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('The audit trail store is closed'));
    let pending: PendingTerms[];
    try {
      pending = this.#writer.apply(cmd, true);
    } catch (err) {
      return Promise.reject(err);
    }
    onCommitted?.();
    this.#queueIndex(pending);
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#sync();
    });
  }

  /** Writes the remaining index terms, waits for the last sync, closes the connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#indexTimer) clearTimeout(this.#indexTimer);
    while (this.#unindexed.length > 0) {
      const before = this.#unindexed.length;
      this.#flushIndex();
      if (this.#unindexed.length === before) break; // cannot write: indexed at the next start instead
    }
    if (this.#syncing || this.#waiting.length > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
    await this.#checkpointer.close();
    this.#db.close();
    if (this.#walFd !== undefined) closeSync(this.#walFd);
    if (this.#dbFd !== undefined) closeSync(this.#dbFd);
  }

  /**
   * The WAL as it is now. SQLite keeps the file (same inode) while connections are open, so the
   * open descriptor is reused; that it is still the WAL is checked at most once a second rather
   * than with two stat calls per sync on the request thread.
   */
  #fd(): number {
    const now = performance.now();
    if (this.#walFd !== undefined && now - this.#walCheckedAt < WAL_RECHECK_MS) return this.#walFd;
    this.#walCheckedAt = now;
    const path = `${this.#file}-wal`;
    let ino: number;
    try {
      ino = statSync(path).ino;
    } catch {
      // No WAL file: everything was checkpointed into the database file, so sync that.
      return (this.#dbFd ??= openSync(this.#file, 'r'));
    }
    if (this.#walFd !== undefined && fstatSync(this.#walFd).ino !== ino) {
      closeSync(this.#walFd);
      this.#walFd = undefined;
    }
    return (this.#walFd ??= openSync(path, 'r'));
  }

  #sync(): void {
    if (this.#syncing) return;
    if (this.#waiting.length === 0) {
      this.#drained?.();
      this.#drained = undefined;
      return;
    }
    this.#syncing = true;
    const batch = this.#waiting;
    this.#waiting = [];
    const done = (err: unknown) => {
      this.#syncing = false;
      for (const w of batch) {
        if (err) w.reject(err);
        else w.resolve();
      }
      this.#sync();
    };
    try {
      fdatasync(this.#fd(), done);
    } catch (err) {
      done(err);
    }
  }

  #queueIndex(pending: PendingTerms[]): void {
    if (pending.length === 0) return;
    this.#unindexed = this.#unindexed.length === 0 ? pending : this.#unindexed.concat(pending);
    // A full chunk is written right away, so the index never falls more than a chunk behind
    // however fast events arrive (queries scan what it has not reached).
    while (this.#unindexed.length >= INDEX_BATCH_EVENTS) {
      const before = this.#unindexed.length;
      this.#flushIndex();
      if (this.#unindexed.length === before) return;
    }
    if (this.#unindexed.length > 0 && !this.#indexTimer) {
      this.#indexTimer = setTimeout(() => this.#flushIndex(), INDEX_DELAY_MS);
      this.#indexTimer.unref();
    }
  }

  #flushIndex(): void {
    if (this.#indexTimer) clearTimeout(this.#indexTimer);
    this.#indexTimer = undefined;
    const chunk = this.#unindexed.slice(0, INDEX_BATCH_EVENTS);
    try {
      this.#writer.index(chunk);
      this.#unindexed = this.#unindexed.slice(chunk.length);
    } catch {
      // Kept for the next attempt; queries scan past the index mark meanwhile.
    }
    if (this.#unindexed.length > 0 && !this.#closed) {
      this.#indexTimer = setTimeout(() => this.#flushIndex(), this.#unindexed.length >= INDEX_BATCH_EVENTS ? 0 : INDEX_DELAY_MS);
      this.#indexTimer.unref();
    }
  }
}
