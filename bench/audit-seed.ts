// Seeding 1,000,000 audit events directly into a data directory, for the audit query and verify
// scenarios. The store has an AuditRepository, but the events it holds are built by src/audit
// (CloudTrail event, hash chain, index terms), whose writer has not landed; seeding around it would
// produce a chain `kontext audit verify` rejects. This reports why, and is the one place to wire
// the writer in when it lands: append hash-chained events in large batches through the same module
// the server uses, with realistic encryption contexts so the context index has work to do.

export interface AuditSeeder {
  readonly available: boolean;
  readonly why: string;
  seed?(dataDir: string, events: number): Promise<{ ms: number }>;
}

export function auditSeeder(): AuditSeeder {
  return {
    available: false,
    why: "src/audit's event writer (chain hashes, index terms) has not landed, so there is nothing to seed 1,000,000 events through; wire bench/audit-seed.ts to it when it lands",
  };
}
