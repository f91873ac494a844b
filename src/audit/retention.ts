// Retention removes the oldest events in chunks, up to the anchor: a digest whose chain hash the
// retained trail starts from. The digest written before the deletes names the new start
// (`trailStartSequence`), so verify can tell a pruned trail from a truncated one.

import type { AuditRepository } from '../store/audit-repository.ts';
import { indexEntriesOfBody } from './event-index.ts';

export interface PruneProgress {
  /** Digests numbered below this one are removed once the events are gone. */
  readonly anchorNumber: number;
  readonly newTrailStart: number;
  /** The next sequence to delete from. */
  readonly nextSeq: number;
}

const CHUNK_EVENTS = 200;

/** Deletes one chunk; returns the progress to continue from, or undefined when done. */
export async function pruneStep(repo: AuditRepository, p: PruneProgress): Promise<PruneProgress | undefined> {
  const rows = p.nextSeq >= p.newTrailStart ? [] : (await repo.events(p.nextSeq, CHUNK_EVENTS)).filter((r) => r.seq < p.newTrailStart);
  if (rows.length === 0) {
    if (p.anchorNumber > 0) await repo.deleteDigestsBefore(p.anchorNumber);
    return undefined;
  }
  await repo.deleteEvents(rows.map((r) => ({ seq: r.seq, index: indexEntriesOfBody(r.body) })));
  return { ...p, nextSeq: (rows[rows.length - 1] as { seq: number }).seq + 1 };
}
