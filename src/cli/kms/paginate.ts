// The AWS CLI's pagination of list verbs (botocore's PageIterator), so `--max-items`,
// `--starting-token` and `--page-size` behave as they do with `aws kms`: every page is fetched
// unless --max-items stops early; a stop leaves a NextToken that --starting-token resumes from.
// The token is botocore's, byte for byte — base64 of the JSON {"Marker": ..., "boto_truncate_amount": n}
// (Python's json.dumps spacing) — so a token from `aws kms` works here and the other way round.

import { usageError } from '../cli-error.ts';

type Page = Record<string, unknown>;

export interface PaginationArgs {
  /** Stop after this many items (leaving a NextToken when more remain). */
  readonly maxItems?: number;
  /** Where a previous --max-items stopped. */
  readonly startingToken?: string;
  /** Limit per request; every page is still fetched. */
  readonly pageSize?: number;
}

export interface Paginated {
  /** The pages as printed, the first one cut at the starting token and the last at --max-items. */
  readonly pages: Page[];
  readonly resultKey: string;
  readonly nextToken: string | undefined;
}

interface ResumePoint {
  readonly marker: string | null;
  /** Items of the page at `marker` already returned. */
  readonly skip: number;
}

const MAX_PAGES = 10_000;

export async function paginate(send: (input: Page) => Promise<Page>, input: Page, resultKey: string, args: PaginationArgs): Promise<Paginated> {
  const start = args.startingToken !== undefined ? decodeToken(args.startingToken) : { marker: null, skip: 0 };
  const pages: Page[] = [];
  // The resume point of the page being fetched: its marker, and what of it was returned before.
  let current: ResumePoint = start;
  let total = 0;
  let nextToken: string | undefined;
  const base = args.pageSize !== undefined ? { ...input, Limit: args.pageSize } : input;
  for (let n = 0; n < MAX_PAGES; n++) {
    const page = await send(current.marker === null ? base : { ...base, Marker: current.marker });
    const skip = n === 0 ? start.skip : 0;
    let items = ((page[resultKey] as unknown[] | undefined) ?? []).slice(skip);
    const nextMarker = page['Truncated'] === true && typeof page['NextMarker'] === 'string' ? page['NextMarker'] : null;
    const { NextMarker: _m, Truncated: _t, ...rest } = page;
    const over = args.maxItems !== undefined ? total + items.length - args.maxItems : 0;
    if (over > 0) {
      items = items.slice(0, items.length - over);
      pages.push(n === 0 ? { ...rest, [resultKey]: items } : { [resultKey]: items });
      nextToken = encodeToken({ marker: current.marker, skip: items.length + skip }, true);
      break;
    }
    pages.push(n === 0 ? { ...rest, [resultKey]: items } : { [resultKey]: items });
    total += items.length;
    if (nextMarker === null) break;
    if (args.maxItems !== undefined && total === args.maxItems) {
      nextToken = encodeToken({ marker: nextMarker, skip: 0 }, false);
      break;
    }
    if (nextMarker === current.marker) break; // a server repeating its marker would loop forever
    current = { marker: nextMarker, skip: 0 };
  }
  return { pages, resultKey, nextToken };
}

/** The pages as one result (botocore's build_full_result): the items merged, NextToken last. */
export function fullResult(p: Paginated): Page {
  const items = p.pages.flatMap((page) => (page[p.resultKey] as unknown[] | undefined) ?? []);
  return { ...p.pages[0], [p.resultKey]: items, ...(p.nextToken !== undefined ? { NextToken: p.nextToken } : {}) };
}

/** botocore's token: base64 of json.dumps({"Marker": m}) or, cut inside a page, with "boto_truncate_amount". */
export function encodeToken(point: ResumePoint, insidePage: boolean): string {
  const marker = `"Marker": ${pythonJson(point.marker)}`;
  const json = insidePage ? `{${marker}, "boto_truncate_amount": ${point.skip}}` : `{${marker}}`;
  return Buffer.from(json, 'utf8').toString('base64');
}

/** Reads a token as botocore does: base64 JSON, else its older "marker___count" form, else a bare marker. */
export function decodeToken(token: string): ResumePoint {
  const fromJson = jsonToken(token);
  if (fromJson) return fromJson;
  const parts = token.split('___');
  if (parts.length === 2 && /^-?\d+$/.test(parts[1]!)) return { marker: parts[0] === 'None' ? null : parts[0]!, skip: Number(parts[1]) };
  return { marker: token === 'None' ? null : token, skip: 0 };
}

function jsonToken(token: string): ResumePoint | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(token) || token.length % 4 !== 0) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const d = doc as Record<string, unknown>;
  const marker = d['Marker'] ?? null;
  const skip = d['boto_truncate_amount'] ?? 0;
  if ((marker !== null && typeof marker !== 'string') || typeof skip !== 'number' || !Number.isInteger(skip) || skip < 0) {
    throw usageError(`Bad starting token: ${token}`, '--starting-token');
  }
  return { marker, skip };
}

/** JSON as Python's json.dumps writes a string or null (non-ASCII as \\u escapes of four hex digits). */
function pythonJson(v: string | null): string {
  if (v === null) return 'null';
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A --max-items / --page-size value: a positive integer (--max-items may be 0, as the AWS CLI allows). */
export function countArg(raw: string | undefined, flag: string, min: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw usageError(`invalid int value: '${raw}'`, flag);
  const n = Number(raw);
  if (n < min) throw usageError(`Invalid value for ${flag}: ${n}, valid min value: ${min}`, flag);
  return n;
}
