// Exports the trail as CloudTrail-style files — gzip `{"Records": [...]}` log files plus the
// signed digests and the public key — and reads such an export back for offline verification.
//
//   <out>/kontext-audit-public-key.pem, kontext-audit-public-key.json
//   <out>/CloudTrail/<account>_CloudTrail_kontext_<YYYYMMDDTHHmmZ>_<first>-<last>.json.gz
//   <out>/CloudTrail-Digest/<digestName>.json.gz   (the digest document, as signed)
//   <out>/CloudTrail-Digest/<digestName>.sig       (its hex signature: CloudTrail keeps it in S3 metadata)
//   <out>/manifest.json                            (what was written; informative, not trusted by verify)
//
// Each log file also carries `kontextChain` (its first sequence number and every event's chain
// hash) so that verify can name the first bad event of an export, not only the digest range.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { AuditDigestRow, AuditEventRow, AuditRepository } from '../store/audit-repository.ts';
import type { DigestContent } from './digest.ts';
import { publicKeyFingerprint, publicKeyFromDer } from './digest.ts';
import { sha256Hex } from './hash-chain.ts';
import type { AuditPublicKey } from './signing-key.ts';
import type { TrailSource } from './verify-trail.ts';

const LOG_DIR = 'CloudTrail';
const DIGEST_DIR = 'CloudTrail-Digest';
const KEY_JSON = 'kontext-audit-public-key.json';
const KEY_PEM = 'kontext-audit-public-key.pem';

export interface ExportOptions {
  readonly accountId: string;
  readonly eventsPerFile?: number;
}

export interface ExportSummary {
  readonly logFiles: number;
  readonly digestFiles: number;
  readonly events: number;
  readonly firstSequence: number | undefined;
  readonly lastSequence: number | undefined;
}

const compactMinute = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '') + 'Z';

interface LogFileEntry {
  file: string;
  firstSequence: number;
  lastSequence: number;
  eventCount: number;
  hashValue: string;
  hashAlgorithm: 'SHA-256';
}

function writeLogFile(outDir: string, accountId: string, rows: readonly AuditEventRow[]): LogFileEntry {
  const first = rows[0] as AuditEventRow;
  const last = rows[rows.length - 1] as AuditEventRow;
  // The stored bodies are spliced in as they are: no re-serialization, the exact hashed bytes.
  const content = `{"Records":[${rows.map((r) => r.body).join(',')}],"kontextChain":${JSON.stringify({ firstSequence: first.seq, hashes: rows.map((r) => r.hash.toString('hex')) })}}`;
  const file = `${LOG_DIR}/${accountId}_CloudTrail_kontext_${compactMinute(last.time)}_${String(first.seq).padStart(12, '0')}-${last.seq}.json.gz`;
  writeFileSync(join(outDir, file), gzipSync(content));
  return { file, firstSequence: first.seq, lastSequence: last.seq, eventCount: rows.length, hashValue: sha256Hex(content), hashAlgorithm: 'SHA-256' };
}

/** Writes the retained trail (from its signed start) to `outDir`. */
export async function exportTrail(repo: AuditRepository, publicKey: AuditPublicKey, outDir: string, opts: ExportOptions): Promise<ExportSummary> {
  mkdirSync(join(outDir, LOG_DIR), { recursive: true });
  mkdirSync(join(outDir, DIGEST_DIR), { recursive: true });
  writeFileSync(join(outDir, KEY_PEM), publicKey.key.export({ type: 'spki', format: 'pem' }));
  writeFileSync(join(outDir, KEY_JSON), JSON.stringify({ algorithm: publicKey.algorithm, fingerprint: publicKey.fingerprint, publicKey: publicKey.der.toString('base64'), createdAt: publicKey.createdAt }, null, 2));

  const digests = await repo.digests();
  const last = digests[digests.length - 1];
  const trailStart = last ? (JSON.parse(last.body) as DigestContent).trailStartSequence : 1;
  const digestFiles: Array<{ file: string; number: number; signature: string }> = [];
  for (const d of digests) {
    const name = (JSON.parse(d.body) as DigestContent).digestName;
    writeFileSync(join(outDir, DIGEST_DIR, `${name}.json.gz`), gzipSync(d.body));
    writeFileSync(join(outDir, DIGEST_DIR, `${name}.sig`), `${d.signature}\n`);
    digestFiles.push({ file: `${DIGEST_DIR}/${name}.json.gz`, number: d.number, signature: d.signature });
  }

  const perFile = opts.eventsPerFile ?? 5000;
  const logFiles: LogFileEntry[] = [];
  let from = trailStart;
  let events = 0;
  let firstSequence: number | undefined;
  let lastSequence: number | undefined;
  for (;;) {
    const rows = await repo.events(from, perFile);
    if (rows.length === 0) break;
    logFiles.push(writeLogFile(outDir, opts.accountId, rows));
    events += rows.length;
    firstSequence ??= (rows[0] as AuditEventRow).seq;
    lastSequence = (rows[rows.length - 1] as AuditEventRow).seq;
    from = lastSequence + 1;
  }
  writeFileSync(
    join(outDir, 'manifest.json'),
    JSON.stringify({ exportedAt: new Date().toISOString(), accountId: opts.accountId, trailStartSequence: trailStart, firstSequence, lastSequence, publicKeyFingerprint: publicKey.fingerprint, logFiles, digestFiles }, null, 2),
  );
  return { logFiles: logFiles.length, digestFiles: digestFiles.length, events, firstSequence, lastSequence };
}

/** The public key shipped with an export (trust it only if you trust the export's origin). */
export function readExportPublicKey(dir: string): AuditPublicKey {
  const stored = JSON.parse(readFileSync(join(dir, KEY_JSON), 'utf8')) as { algorithm: 'SHA256withRSA'; publicKey: string; createdAt: number };
  const der = Buffer.from(stored.publicKey, 'base64');
  return { algorithm: stored.algorithm, der, fingerprint: publicKeyFingerprint(der), key: publicKeyFromDer(der), createdAt: stored.createdAt };
}

const list = (dir: string, suffix: string): string[] => {
  try {
    return readdirSync(dir).filter((f) => f.endsWith(suffix));
  } catch {
    return [];
  }
};

interface LogFileContent {
  readonly Records?: unknown[];
  readonly kontextChain?: { readonly firstSequence?: number; readonly hashes?: string[] };
}

/** Reads an export directory as a trail: log files in sequence order, digests by number. */
export function exportTrailSource(dir: string): TrailSource {
  return {
    async digests() {
      const rows: AuditDigestRow[] = [];
      for (const f of list(join(dir, DIGEST_DIR), '.json.gz')) {
        const body = gunzipSync(readFileSync(join(dir, DIGEST_DIR, f))).toString('utf8');
        let signature = '';
        try {
          signature = readFileSync(join(dir, DIGEST_DIR, f.replace(/\.json\.gz$/, '.sig')), 'utf8').trim();
        } catch {
          // A missing signature file fails the signature check.
        }
        let c: Partial<DigestContent> = {};
        try {
          c = JSON.parse(body) as DigestContent;
        } catch {
          // Reported by verify as a corrupted digest.
        }
        rows.push({ number: c.digestNumber ?? -1, firstSeq: c.firstSequence ?? 0, lastSeq: c.lastSequence ?? 0, endTime: Date.parse(c.digestEndTime ?? '') || 0, body, signature });
      }
      return rows.sort((a, b) => a.number - b.number);
    },
    async *rows() {
      const files = list(join(dir, LOG_DIR), '.json.gz').map((f) => {
        const content = JSON.parse(gunzipSync(readFileSync(join(dir, LOG_DIR, f))).toString('utf8')) as LogFileContent;
        return { first: content.kontextChain?.firstSequence ?? 0, content };
      });
      files.sort((a, b) => a.first - b.first);
      for (const { first, content } of files) {
        const records = content.Records ?? [];
        const hashes = content.kontextChain?.hashes ?? [];
        for (let i = 0; i < Math.max(records.length, hashes.length); i++) {
          const record = records[i];
          yield {
            seq: first + i,
            time: 0,
            body: record === undefined ? '' : JSON.stringify(record),
            hash: Buffer.from(hashes[i] ?? '', 'hex'),
          };
        }
      }
    },
  };
}
