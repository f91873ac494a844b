// The index is written after the events it covers; after a crash, the events past the index mark
// are indexed at start-up from their stored bodies, before the server takes requests.

import type { AuditRepository } from '../store/audit-repository.ts';
import { indexEntriesOfBody } from './event-index.ts';

const CHUNK = 1000;

/** Returns how many events were indexed. */
export async function catchUpIndex(repo: AuditRepository): Promise<number> {
  const last = await repo.lastEvent();
  let from = (await repo.indexedThrough()) + 1;
  let done = 0;
  while (last && from <= last.seq) {
    const rows = await repo.events(from, CHUNK);
    if (rows.length === 0) break;
    await repo.index(rows.map((r) => ({ seq: r.seq, index: indexEntriesOfBody(r.body) })));
    done += rows.length;
    from = (rows[rows.length - 1] as { seq: number }).seq + 1;
  }
  return done;
}
