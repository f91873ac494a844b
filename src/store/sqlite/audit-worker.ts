// Worker thread that owns the audit trail's writes for a file database, so the commit's fsync
// never blocks the request thread. Its own connection; WAL with synchronous=FULL as the store's.

import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SqliteAuditWriter, type AuditWriteCommand } from './audit-writer.ts';

export interface AuditWorkerRequest {
  readonly id: number;
  readonly cmd: AuditWriteCommand | { readonly op: 'ping' } | { readonly op: 'close' };
}

export interface AuditWorkerReply {
  readonly id: number;
  readonly error?: { readonly message: string; readonly code: string | undefined };
}

const port = parentPort;
if (port) {
  const db = new Database((workerData as { file: string }).file, { fileMustExist: true });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  const writer = new SqliteAuditWriter(db);
  port.on('message', (req: AuditWorkerRequest) => {
    let reply: AuditWorkerReply = { id: req.id };
    if (req.cmd.op === 'close') {
      // The connection is closed here; the parent then terminates the (idle) thread.
      db.close();
      port.postMessage(reply);
      return;
    }
    try {
      if (req.cmd.op !== 'ping') writer.apply(req.cmd);
    } catch (err) {
      const e = err as { message?: string; code?: string };
      reply = { id: req.id, error: { message: String(e.message ?? err), code: e.code } };
    }
    port.postMessage(reply);
  });
}
