// Reads a stored trail for verification, in sequence order and in chunks.

import type { AuditRepository } from '../store/audit-repository.ts';
import type { TrailSource } from './verify-trail.ts';

const CHUNK = 2000;

export function storeTrailSource(repo: AuditRepository): TrailSource {
  return {
    digests: () => repo.digests(),
    async *rows() {
      let from = 0;
      for (;;) {
        const rows = await repo.chainRows(from, CHUNK);
        if (rows.length === 0) return;
        yield* rows;
        // Let requests run between chunks when verifying a live store.
        await new Promise<void>((resolve) => setImmediate(resolve));
        from = (rows[rows.length - 1] as { seq: number }).seq + 1;
      }
    },
  };
}
