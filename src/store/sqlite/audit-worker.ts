// Worker thread that owns the audit trail's writes for a file database, so neither the inserts
// nor the fsync run on the request thread.
//
// Durability is split from the commit: the connection runs WAL with synchronous=NORMAL (a commit
// appends its frames to the WAL without syncing), and the worker then fdatasyncs the WAL file on
// libuv's thread pool before it reports the batch durable. A transaction is durable exactly when
// its WAL frames are on disk (SQLite itself syncs the WAL header when the WAL is reused, and the
// database file after checkpoints), so this is synchronous=FULL's guarantee — but the next batch
// can be inserted while the previous one syncs, and one fdatasync covers every batch committed
// before it started. Each request gets two replies: `committed` (visible, chained) and `durable`.
//
// Index terms are written afterwards, many batches to a transaction (audit-writer.ts), when the
// worker is idle, when enough have queued up, or after a short delay — never in the write a
// request waits for.

import { fdatasync, fstatSync, openSync, closeSync, statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SqliteAuditWriter, type AuditWriteCommand, type PendingTerms } from './audit-writer.ts';

/** Events whose terms go into one index transaction: larger amortizes page writes, smaller keeps the pause short. */
const INDEX_BATCH_EVENTS = 512;
const INDEX_DELAY_MS = 25;

export interface AuditWorkerRequest {
  readonly id: number;
  readonly cmd: AuditWriteCommand | { readonly op: 'ping' } | { readonly op: 'close' };
}

export interface AuditWorkerReply {
  readonly id: number;
  readonly stage: 'committed' | 'durable';
  readonly error?: { readonly message: string; readonly code: string | undefined };
}

const toError = (err: unknown): NonNullable<AuditWorkerReply['error']> => {
  const e = err as { message?: string; code?: string };
  return { message: String(e.message ?? err), code: e.code };
};

const port = parentPort;
if (port) {
  const file = (workerData as { file: string }).file;
  const db = new Database(file, { fileMustExist: true });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // The term index is written in random order: keep its hot pages in memory.
  db.pragma('cache_size = -32768');
  const writer = new SqliteAuditWriter(db);

  let unindexed: PendingTerms[] = [];
  let indexTimer: NodeJS.Timeout | undefined;
  const flushIndex = () => {
    if (indexTimer) clearTimeout(indexTimer);
    indexTimer = undefined;
    const chunk = unindexed.slice(0, INDEX_BATCH_EVENTS);
    try {
      writer.index(chunk);
      unindexed = unindexed.slice(chunk.length);
    } catch {
      // Kept for the next attempt; queries scan past the index mark meanwhile.
    }
    if (unindexed.length > 0) indexTimer = setTimeout(flushIndex, INDEX_DELAY_MS);
  };
  const queueIndex = (pending: PendingTerms[]) => {
    if (pending.length === 0) return;
    unindexed = unindexed.length === 0 ? pending : unindexed.concat(pending);
    if (unindexed.length >= INDEX_BATCH_EVENTS) setImmediate(flushIndex);
    else indexTimer ??= setTimeout(flushIndex, INDEX_DELAY_MS);
  };

  let walFd: number | undefined;
  let dbFd: number | undefined;
  /** The WAL as it is now: reopened if SQLite ever replaced the file (it does not while open). */
  const wal = (): number => {
    const path = `${file}-wal`;
    let ino: number;
    try {
      ino = statSync(path).ino;
    } catch {
      // No WAL file: everything was checkpointed into the database file, so sync that.
      return (dbFd ??= openSync(file, 'r'));
    }
    if (walFd !== undefined && fstatSync(walFd).ino !== ino) {
      closeSync(walFd);
      walFd = undefined;
    }
    return (walFd ??= openSync(path, 'r'));
  };

  let syncing = false;
  let waiting: number[] = [];
  let closing: (() => void) | undefined;
  const sync = () => {
    if (syncing || waiting.length === 0) {
      if (!syncing && closing) closing();
      return;
    }
    syncing = true;
    const ids = waiting;
    waiting = [];
    const done = (err: unknown) => {
      syncing = false;
      for (const id of ids) port.postMessage({ id, stage: 'durable', ...(err ? { error: toError(err) } : {}) } satisfies AuditWorkerReply);
      sync();
    };
    try {
      fdatasync(wal(), done);
    } catch (err) {
      done(err);
    }
  };

  port.on('message', (req: AuditWorkerRequest) => {
    if (req.cmd.op === 'close') {
      // After the last sync the connection closes (checkpointing); the parent then terminates the thread.
      closing = () => {
        closing = undefined;
        while (unindexed.length > 0) {
          const before = unindexed.length;
          flushIndex();
          if (unindexed.length === before) break; // the index cannot be written: catch-up at the next start
        }
        if (indexTimer) clearTimeout(indexTimer);
        db.close();
        if (walFd !== undefined) closeSync(walFd);
        if (dbFd !== undefined) closeSync(dbFd);
        port.postMessage({ id: req.id, stage: 'durable' } satisfies AuditWorkerReply);
      };
      sync();
      return;
    }
    if (req.cmd.op === 'ping') {
      port.postMessage({ id: req.id, stage: 'committed' } satisfies AuditWorkerReply);
      port.postMessage({ id: req.id, stage: 'durable' } satisfies AuditWorkerReply);
      return;
    }
    let pending: PendingTerms[];
    try {
      pending = writer.apply(req.cmd, true);
    } catch (err) {
      port.postMessage({ id: req.id, stage: 'committed', error: toError(err) } satisfies AuditWorkerReply);
      return;
    }
    port.postMessage({ id: req.id, stage: 'committed' } satisfies AuditWorkerReply);
    queueIndex(pending);
    waiting.push(req.id);
    sync();
  });
}
