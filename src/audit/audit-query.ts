// Searches the trail by index terms (all must match), a time range and a page cursor, newest
// first. The most selective term drives the index walk; the others are checked by probes, and
// every result is re-checked against the event itself.

import { createHash } from 'node:crypto';
import { KontextError } from '../errors.ts';
import type { AuditEventRow, AuditRepository } from '../store/audit-repository.ts';
import type { CloudTrailEvent } from './cloudtrail-event.ts';
import { AuditAttr, eventAccounts, indexTerms, type IndexTerm } from './event-index.ts';
import { seqOfEventId } from './event-id.ts';

/** Most selective first: the driver is the first term present in this order. */
const SELECTIVITY: readonly number[] = [
  AuditAttr.EventId,
  AuditAttr.ContextPair,
  AuditAttr.ResourceName,
  AuditAttr.AccessKeyId,
  AuditAttr.PrincipalArn,
  AuditAttr.Username,
  AuditAttr.ErrorCode,
  AuditAttr.ContextKey,
  AuditAttr.EventName,
  AuditAttr.EventSource,
  AuditAttr.ResourceType,
  AuditAttr.ReadOnly,
  AuditAttr.Region,
  AuditAttr.All,
];

export interface AuditSearch {
  readonly account: string;
  readonly terms: readonly IndexTerm[];
  /** Epoch ms, inclusive. */
  readonly startTime: number | undefined;
  readonly endTime: number | undefined;
  readonly limit: number;
  readonly nextToken: string | undefined;
}

export interface FoundEvent {
  readonly seq: number;
  readonly body: string;
  readonly event: CloudTrailEvent;
}

export interface AuditSearchResult {
  readonly events: FoundEvent[];
  readonly nextToken: string | undefined;
}

/** Ties a page token to the search that issued it, as AWS rejects a token reused with other parameters. */
function searchFingerprint(s: AuditSearch): string {
  const terms = [...s.terms].map((t) => `${t.attr}=${t.value}`).sort();
  return createHash('sha256')
    .update(JSON.stringify([s.account, terms, s.startTime ?? null, s.endTime ?? null]))
    .digest('base64url')
    .slice(0, 16);
}

export function encodeNextToken(s: AuditSearch, beforeSeq: number): string {
  return Buffer.from(JSON.stringify({ v: 1, s: beforeSeq, q: searchFingerprint(s) }), 'utf8').toString('base64url');
}

/** The exclusive upper sequence bound a token carries; throws InvalidNextTokenException. */
export function decodeNextToken(s: AuditSearch): number | undefined {
  if (s.nextToken === undefined) return undefined;
  const bad = () => new KontextError('InvalidNextTokenException', 'The NextToken is not valid: use the NextToken of a previous response to the same request');
  let parsed: { v?: unknown; s?: unknown; q?: unknown };
  try {
    if (Buffer.from(s.nextToken, 'base64url').toString('base64url') !== s.nextToken) throw bad();
    parsed = JSON.parse(Buffer.from(s.nextToken, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw bad();
  }
  if (parsed.v !== 1 || typeof parsed.s !== 'number' || !Number.isSafeInteger(parsed.s) || parsed.q !== searchFingerprint(s)) throw bad();
  return parsed.s;
}

function matches(event: CloudTrailEvent, account: string, wanted: readonly IndexTerm[]): boolean {
  if (!eventAccounts(event).includes(account)) return false;
  if (wanted.length === 0) return true;
  const have = new Set(indexTerms(event).map((t) => `${t.attr}\u0000${t.value}`));
  have.add(`${AuditAttr.EventId}\u0000${event.eventID}`);
  return wanted.every((t) => have.has(`${t.attr}\u0000${t.value}`));
}

/** Events past the index mark are read in chunks of this many. */
const TAIL_CHUNK = 500;

export async function searchAuditEvents(repo: AuditRepository, s: AuditSearch): Promise<AuditSearchResult> {
  const before = decodeNextToken(s);
  const terms = s.terms.length > 0 ? [...s.terms] : [{ attr: AuditAttr.All, value: '' }];
  terms.sort((a, b) => SELECTIVITY.indexOf(a.attr) - SELECTIVITY.indexOf(b.attr));
  const [driver, ...filters] = terms as [IndexTerm, ...IndexTerm[]];
  const range = await repo.seqRange(s.startTime, s.endTime);
  const maxSeq = before === undefined ? range.maxSeq : Math.min(range.maxSeq, before - 1);
  if (range.minSeq > maxSeq) return { events: [], nextToken: undefined };

  // One more than a page tells whether there is a next page.
  const want = s.limit + 1;
  const found: FoundEvent[] = [];
  const consider = (row: AuditEventRow) => {
    let event: CloudTrailEvent;
    try {
      event = JSON.parse(row.body) as CloudTrailEvent;
    } catch {
      return; // a damaged row is verify's to report; a search skips it
    }
    // The index stores hashed terms, and the newest events are not indexed yet: every
    // candidate is checked against the event itself.
    if (matches(event, s.account, s.terms)) found.push({ seq: row.seq, body: row.body, event });
  };

  // An event id names its row: no index involved.
  const byId = s.terms.find((t) => t.attr === AuditAttr.EventId);
  if (byId) {
    const seq = seqOfEventId(byId.value);
    if (seq !== undefined && seq >= range.minSeq && seq <= maxSeq) for (const row of await repo.eventsDescending(seq, seq, 1)) consider(row);
    return { events: found.slice(0, s.limit), nextToken: undefined };
  }

  // The newest events may be past the index mark (it follows the durable writes closely): scan them.
  const indexed = await repo.indexedThrough();
  let upper = maxSeq;
  while (upper > indexed && upper >= range.minSeq && found.length < want) {
    const rows = await repo.eventsDescending(upper, Math.max(indexed + 1, range.minSeq), TAIL_CHUNK);
    for (const row of rows) if (found.length < want) consider(row);
    const last = rows[rows.length - 1];
    if (!last) break;
    upper = last.seq - 1;
  }
  upper = Math.min(upper, indexed);
  while (found.length < want && upper >= range.minSeq) {
    const limit = want - found.length;
    const rows = await repo.query({
      driver: { account: s.account, ...driver },
      filters: filters.map((f) => ({ account: s.account, ...f })),
      minSeq: range.minSeq,
      maxSeq: upper,
      limit,
    });
    for (const row of rows) consider(row);
    const last = rows[rows.length - 1];
    if (rows.length < limit || !last) break;
    upper = last.seq - 1;
  }

  const events = found.slice(0, s.limit);
  const lastReturned = events[events.length - 1];
  return { events, nextToken: found.length > s.limit && lastReturned ? encodeNextToken(s, lastReturned.seq) : undefined };
}
