// WAL checkpoints on a worker thread. SQLite checkpoints automatically inside whichever commit
// finds the WAL past 1,000 pages: with the audit trail appending ~6 MB/s under load, that was a
// few milliseconds of page copying and a database-file fsync on the request thread every second
// or so — every request waiting on it paid. Here the audit writer's connection turns automatic
// checkpoints off and a worker with its own connection runs PASSIVE checkpoints (they never block
// writers) on an interval. If the worker fails, automatic checkpoints come back on.

import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

/** CommonJS, evaluated in the worker, so it runs the same from dist/ and from the sources. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
let busy = false;
const checkpoint = () => {
  if (busy) return;
  busy = true;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  } finally {
    busy = false;
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'close') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage('closed');
});
parentPort.postMessage('ready');
`;

export interface WalCheckpointerOptions {
  readonly file: string;
  readonly intervalMs: number;
  /** Called when the worker cannot checkpoint (the caller turns automatic checkpoints back on). */
  readonly onFailure: (err: unknown) => void;
}

export class WalCheckpointer {
  readonly #worker: Worker;
  #failed = false;
  #closing = false;

  constructor(o: WalCheckpointerOptions) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    // No inherited flags (a loader, a test runner's): the source is plain CommonJS.
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { file: o.file, intervalMs: o.intervalMs, driver } });
    this.#worker.unref();
    const fail = (err: unknown) => {
      if (this.#failed) return;
      this.#failed = true;
      o.onFailure(err);
    };
    this.#worker.on('message', (m: unknown) => {
      if (typeof m === 'object' && m !== null && 'error' in m) fail(new Error(String((m as { error: unknown }).error)));
    });
    // An error thrown in the worker may arrive as a plain object once cloned (a SqliteError keeps
    // only its code, e.g. SQLITE_CANTOPEN).
    this.#worker.on('error', (err: unknown) => {
      const e = err as { message?: unknown; code?: unknown } | null;
      fail(err instanceof Error ? err : new Error(`the checkpoint worker failed: ${String(e?.message ?? e?.code ?? 'unknown error')}`));
    });
    this.#worker.on('exit', (code) => {
      if (!this.#closing) fail(new Error(`the checkpoint worker stopped (exit code ${code})`));
    });
  }

  /** A last checkpoint, then the worker's connection closes. */
  async close(): Promise<void> {
    this.#closing = true;
    if (this.#failed) {
      await this.#worker.terminate();
      return;
    }
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      this.#worker.once('exit', done);
      this.#worker.on('message', (m: unknown) => {
        if (m === 'closed') void this.#worker.terminate().then(done, done);
      });
      this.#worker.postMessage('close');
    });
  }
}
