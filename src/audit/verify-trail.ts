// Offline verification of an audit trail (from the store or an export): digests are checked for
// signature and chaining, then the events are re-hashed in order and compared with their stored
// hashes and with every digest's sealed chain hash. Reports the first bad event rather than
// throwing; a damaged row is a finding, not a crash.

import type { KeyObject } from 'node:crypto';
import type { AuditDigestRow } from '../store/audit-repository.ts';
import { digestSignatureValid, type DigestContent } from './digest.ts';
import { GENESIS_HASH, canonicalBody, chainHash, sha256Hex } from './hash-chain.ts';

/** An event as verification reads it: its position, the stored text and the stored chain hash. */
export interface TrailRow {
  readonly seq: number;
  readonly body: string;
  readonly hash: Buffer;
}

export interface TrailSource {
  digests(): Promise<AuditDigestRow[]>;
  /** Every stored event row, in stored order (sequence order for the store, file order for exports). */
  rows(): AsyncIterable<TrailRow>;
}



export type ProblemKind =
  | 'missing'
  | 'edited'
  | 'reordered'
  | 'inserted'
  | 'corrupted'
  | 'chain-rewritten'
  | 'truncated'
  | 'digest-corrupted'
  | 'digest-signature'
  | 'digest-chain'
  | 'digest-missing'
  | 'unknown-key';

export interface VerifyProblem {
  readonly kind: ProblemKind;
  readonly message: string;
  readonly seq?: number;
  readonly eventId?: string;
  readonly eventName?: string;
  readonly eventTime?: string;
  readonly digest?: number;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly trailStartSequence: number;
  readonly firstSequence: number | undefined;
  readonly lastSequence: number | undefined;
  readonly eventsChecked: number;
  readonly digestsChecked: number;
  /** Highest sequence covered by a valid digest. */
  readonly sealedThrough: number;
  /** Events after the last digest: chained, but not yet signed. */
  readonly unsealedEvents: number;
  /** Events before the retained start that retention has not deleted yet. */
  readonly pendingDeletion: number;
  readonly problems: readonly VerifyProblem[];
}

interface ParsedDigest {
  readonly row: AuditDigestRow;
  readonly content: DigestContent;
  readonly valid: boolean;
}

const hex = (b: Buffer): string => b.toString('hex');

function describe(row: TrailRow): Pick<VerifyProblem, 'seq' | 'eventId' | 'eventName' | 'eventTime'> {
  try {
    const e = JSON.parse(row.body) as { eventID?: unknown; eventName?: unknown; eventTime?: unknown };
    return {
      seq: row.seq,
      ...(typeof e.eventID === 'string' ? { eventId: e.eventID } : {}),
      ...(typeof e.eventName === 'string' ? { eventName: e.eventName } : {}),
      ...(typeof e.eventTime === 'string' ? { eventTime: e.eventTime } : {}),
    };
  } catch {
    return { seq: row.seq };
  }
}

const label = (row: TrailRow): string => {
  const d = describe(row);
  return `seq ${row.seq}${d.eventId ? ` (eventID ${d.eventId}${d.eventName ? `, ${d.eventName}` : ''}${d.eventTime ? ` at ${d.eventTime}` : ''})` : ''}`;
};

function tryCanonical(body: string): string | undefined {
  try {
    return canonicalBody(body);
  } catch {
    return undefined;
  }
}

function checkDigests(rows: readonly AuditDigestRow[], keys: ReadonlyMap<string, KeyObject>, problems: VerifyProblem[]): ParsedDigest[] {
  const parsed: ParsedDigest[] = [];
  for (const row of rows) {
    let content: DigestContent;
    try {
      content = JSON.parse(row.body) as DigestContent;
      if (typeof content.lastSequence !== 'number' || typeof content.chainHash !== 'string') throw new Error('missing fields');
    } catch {
      problems.push({ kind: 'digest-corrupted', digest: row.number, message: `Digest ${row.number} is not a readable digest document` });
      continue;
    }
    const key = keys.get(content.digestPublicKeyFingerprint);
    let valid = false;
    if (!key) {
      problems.push({ kind: 'unknown-key', digest: row.number, message: `Digest ${row.number} is signed by an unknown key (fingerprint ${String(content.digestPublicKeyFingerprint)})` });
    } else if (!digestSignatureValid(row.body, content, row.signature, key)) {
      problems.push({ kind: 'digest-signature', digest: row.number, message: `Digest ${row.number} (${content.digestName}) has an invalid signature: it was altered or not signed by this trail's key` });
    } else if (content.digestNumber !== row.number) {
      problems.push({ kind: 'digest-corrupted', digest: row.number, message: `Digest ${row.number} is stored under the wrong number: its signed number is ${content.digestNumber}` });
    } else {
      valid = true;
    }
    parsed.push({ row, content, valid });
  }
  return parsed;
}

/** Picks the retained digests (from the anchor on) and checks that they chain. */
function retainedDigests(all: readonly ParsedDigest[], problems: VerifyProblem[]): { chain: ParsedDigest[]; trailStart: number; anchorHash: Buffer } {
  const last = [...all].reverse().find((d) => d.valid);
  const trailStart = last?.content.trailStartSequence ?? 1;
  let startIndex = 0;
  let anchorHash = GENESIS_HASH;
  if (trailStart > 1) {
    startIndex = all.findIndex((d) => d.content.lastSequence === trailStart - 1);
    if (startIndex < 0) {
      problems.push({ kind: 'digest-missing', message: `No digest seals the retained trail's start: the digest ending at seq ${trailStart - 1} is missing` });
      return { chain: [], trailStart, anchorHash };
    }
    anchorHash = Buffer.from((all[startIndex] as ParsedDigest).content.chainHash, 'hex');
  }
  const chain = all.slice(startIndex);
  for (let i = 0; i < chain.length; i++) {
    const d = chain[i] as ParsedDigest;
    if (i === 0) {
      if (trailStart === 1 && d.content.previousDigestSignature !== null) {
        problems.push({ kind: 'digest-missing', digest: d.row.number, message: `Digests before ${d.row.number} are missing: it chains to ${String(d.content.previousDigestName)}` });
      }
      if (trailStart === 1 && d.content.previousChainHash !== hex(GENESIS_HASH)) {
        problems.push({ kind: 'digest-chain', digest: d.row.number, message: `Digest ${d.row.number} does not start at the beginning of the trail` });
      }
      continue;
    }
    const prev = chain[i - 1] as ParsedDigest;
    const c = d.content;
    if (c.digestNumber !== prev.content.digestNumber + 1) {
      problems.push({ kind: 'digest-missing', digest: d.row.number, message: `Digest(s) between ${prev.row.number} and ${d.row.number} are missing` });
    } else if (c.previousDigestSignature !== prev.row.signature || c.previousDigestHashValue !== sha256Hex(prev.row.body) || c.previousDigestName !== prev.content.digestName) {
      problems.push({ kind: 'digest-chain', digest: d.row.number, message: `Digest ${d.row.number} does not chain to digest ${prev.row.number}: one of them was replaced` });
    } else if (c.firstSequence !== prev.content.lastSequence + 1 || c.previousChainHash !== prev.content.chainHash) {
      problems.push({ kind: 'digest-chain', digest: d.row.number, message: `Digest ${d.row.number} does not continue the event chain sealed by digest ${prev.row.number}` });
    }
  }
  return { chain, trailStart, anchorHash };
}

/** Whether `body` hashes to `hash` at `seq` after `prev`. */
function fits(prev: Buffer | undefined, seq: number, body: string | undefined, hash: Buffer | undefined): boolean {
  if (!prev || body === undefined || !hash) return false;
  return chainHash(prev, seq, body).equals(hash);
}

/** Names what happened at the first row whose hash does not match, from its neighbours. */
function classify(window: readonly TrailRow[], at: number, prev: Buffer): { kind: ProblemKind; message: string; seq?: number } {
  const row = window[at] as TrailRow;
  const next = window[at + 1];
  const after = window[at + 2];
  const canon = window.map((r) => tryCanonical(r.body));
  const prevOf = (j: number): Buffer | undefined => (j === at ? prev : window[j - 1]?.hash);
  const belongsAt = (body: string | undefined, j: number): boolean => {
    const r = window[j];
    return r !== undefined && fits(prevOf(j), r.seq, body, r.hash);
  };
  const body = canon[at];
  const name = label(row);
  if (next && belongsAt(body, at + 1) && belongsAt(canon[at + 1], at)) {
    return { kind: 'reordered', message: `Events ${name} and seq ${next.seq} are in swapped order` };
  }
  // The row carries its own valid hash for another position: rows were moved. Belonging earlier
  // means rows were inserted before it (with hashes that chain); later, that it was moved up.
  for (let j = 0; j < window.length; j++) {
    if (j === at) continue;
    const seq = (window[j] as TrailRow).seq;
    const prevs = [prev, ...window.map((r) => r.hash)];
    if (!prevs.some((p) => fits(p, seq, body, row.hash))) continue;
    if (seq < row.seq) {
      return { kind: 'inserted', seq, message: `Event${row.seq - seq > 1 ? 's' : ''} seq ${seq}${row.seq - seq > 1 ? `–${row.seq - 1}` : ''} ${row.seq - seq > 1 ? 'were' : 'was'} inserted: the event now at ${name} belongs at seq ${seq}` };
    }
    return { kind: 'reordered', message: `Event ${name} was moved: it belongs at seq ${seq}` };
  }
  if (next && belongsAt(body, at + 1) && (!after || belongsAt(canon[at + 1], at + 2))) {
    return { kind: 'missing', message: `An event was removed at ${name}: the events after it moved up one place` };
  }
  if (next && fits(row.hash, next.seq + 1, canon[at + 1], next.hash)) {
    return { kind: 'missing', message: `An event was removed before ${name}, and the following events were renumbered` };
  }
  if (next && (fits(prev, row.seq, canon[at + 1], next.hash) || fits(prev, row.seq, canon[at + 1], row.hash))) {
    return { kind: 'inserted', message: `Event ${name} is not part of the trail: it was inserted` };
  }
  return { kind: 'edited', message: `Event ${name} does not match its chain hash: it was edited` };
}

const LOOKAHEAD = 3;

/** Verifies a trail. `keys` maps public key fingerprints to keys trusted for digest signatures. */
export async function verifyTrail(source: TrailSource, keys: ReadonlyMap<string, KeyObject>): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const digestRows = await source.digests();
  const parsed = checkDigests(digestRows, keys, problems);
  const { chain, trailStart, anchorHash } = retainedDigests(parsed, problems);
  const lastDigest = chain[chain.length - 1];
  const sealedThrough = lastDigest?.valid ? lastDigest.content.lastSequence : trailStart - 1;
  const boundaries = new Map<number, ParsedDigest>();
  for (const d of chain) if (d.valid && d.content.eventCount > 0) boundaries.set(d.content.lastSequence, d);

  let expected = trailStart;
  let prev = anchorHash;
  let checked = 0;
  let pendingDeletion = 0;
  let first: number | undefined;
  let stopped = false;
  const recent: TrailRow[] = [];
  const buffer: TrailRow[] = [];
  const iterator = source.rows()[Symbol.asyncIterator]();
  let exhausted = false;
  const fill = async () => {
    while (!exhausted && buffer.length <= LOOKAHEAD) {
      const n = await iterator.next();
      if (n.done) exhausted = true;
      else buffer.push(n.value);
    }
  };

  for (;;) {
    await fill();
    const row = buffer.shift();
    if (!row) break;
    if (row.seq < trailStart && checked === 0) {
      pendingDeletion++;
      continue;
    }
    first ??= row.seq;
    if (row.seq !== expected) {
      const d = describe(row);
      problems.push(
        row.seq > expected
          ? { kind: 'missing', seq: expected, message: `Event${row.seq - expected > 1 ? 's' : ''} seq ${expected}${row.seq - expected > 1 ? `–${row.seq - 1}` : ''} missing: deleted (the next event present is ${label(row)})` }
          : { ...d, kind: 'reordered', message: `Event ${label(row)} appears after seq ${expected - 1}: out of order or duplicated` },
      );
      stopped = true;
      break;
    }
    if (row.hash.length !== 32) {
      problems.push({ seq: row.seq, kind: 'corrupted', message: `Event seq ${row.seq} is corrupted: its stored hash is not 32 bytes` });
      stopped = true;
      break;
    }
    // A stored body is the exact text that was hashed: try it as it is before canonicalizing.
    let hash = chainHash(prev, row.seq, row.body);
    if (!hash.equals(row.hash)) {
      const body = tryCanonical(row.body);
      if (body === undefined) {
        problems.push({ seq: row.seq, kind: 'corrupted', message: `Event seq ${row.seq} is corrupted: its body is not valid JSON` });
        stopped = true;
        break;
      }
      hash = chainHash(prev, row.seq, body);
    }
    if (!hash.equals(row.hash)) {
      const window = [...recent, row, ...buffer];
      const verdict = classify(window, recent.length, prev);
      const named = window.find((r) => r.seq === verdict.seq) ?? row;
      problems.push({ ...describe(named), ...verdict });
      stopped = true;
      break;
    }
    const sealed = boundaries.get(row.seq);
    if (sealed && sealed.content.chainHash !== hex(hash)) {
      problems.push({
        kind: 'chain-rewritten',
        digest: sealed.row.number,
        seq: sealed.content.firstSequence,
        message: `Events seq ${sealed.content.firstSequence}–${sealed.content.lastSequence} do not match signed digest ${sealed.row.number}: an event in that range was altered, removed or inserted and the stored hashes recomputed`,
      });
      stopped = true;
      break;
    }
    prev = hash;
    expected++;
    checked++;
    recent.push(row);
    if (recent.length > 2) recent.shift();
  }

  const lastSeen = expected - 1;
  if (!stopped && lastDigest && lastSeen < lastDigest.content.lastSequence) {
    problems.push({
      kind: 'truncated',
      seq: lastSeen + 1,
      message: `Events seq ${lastSeen + 1}–${lastDigest.content.lastSequence} sealed by digest ${lastDigest.row.number} are missing: the end of the trail was removed`,
    });
  }
  return {
    ok: problems.length === 0,
    trailStartSequence: trailStart,
    firstSequence: first,
    lastSequence: checked > 0 ? lastSeen : undefined,
    eventsChecked: checked,
    digestsChecked: parsed.length,
    sealedThrough,
    unsealedEvents: Math.max(0, lastSeen - sealedThrough),
    pendingDeletion,
    problems,
  };
}
