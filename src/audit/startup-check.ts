// At start-up, events after the last digest (left by a crash) are re-hashed from the digest's
// sealed chain hash before the server seals them, so a break there is logged, not silently signed.

import type { AuditDigestRow, AuditRepository } from '../store/audit-repository.ts';
import type { DigestContent } from './digest.ts';
import { GENESIS_HASH, canonicalBody, chainHash } from './hash-chain.ts';

export async function checkUnsealedTail(repo: AuditRepository, sealedThrough: number, lastDigest: AuditDigestRow | undefined): Promise<string | undefined> {
  let prev = lastDigest ? Buffer.from((JSON.parse(lastDigest.body) as DigestContent).chainHash, 'hex') : GENESIS_HASH;
  let expected = sealedThrough + 1;
  for (;;) {
    const rows = await repo.events(expected, 1000);
    if (rows.length === 0) return undefined;
    for (const row of rows) {
      if (row.seq !== expected) return `event seq ${expected} is missing`;
      let hash = chainHash(prev, row.seq, row.body);
      if (!hash.equals(row.hash)) {
        try {
          hash = chainHash(prev, row.seq, canonicalBody(row.body));
        } catch {
          return `event seq ${row.seq} is not valid JSON`;
        }
      }
      if (!hash.equals(row.hash)) return `event seq ${row.seq} does not match its chain hash`;
      prev = hash;
      expected++;
    }
  }
}
