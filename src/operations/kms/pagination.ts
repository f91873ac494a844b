// Opaque List* markers: the last returned sort key, base64url-encoded with a type prefix.

import { KontextError } from '../../errors.ts';

export function encodeMarker(kind: string, last: string): string {
  return Buffer.from(`${kind}:${last}`, 'utf8').toString('base64url');
}

export function decodeMarker(kind: string, marker: string | undefined): string | undefined {
  if (marker === undefined) return undefined;
  const decoded = Buffer.from(marker, 'base64url').toString('utf8');
  if (!decoded.startsWith(`${kind}:`) || Buffer.from(decoded, 'utf8').toString('base64url') !== marker) {
    throw new KontextError('InvalidMarkerException', 'The marker is not valid: use the NextMarker of a previous response');
  }
  return decoded.slice(kind.length + 1);
}

/** Fetches limit+1 rows to know whether the listing is truncated. */
export function pageOf<T>(rows: T[], limit: number, kind: string, sortKey: (t: T) => string): { items: T[]; NextMarker?: string; Truncated: boolean } {
  if (rows.length <= limit) return { items: rows, Truncated: false };
  const items = rows.slice(0, limit);
  return { items, NextMarker: encodeMarker(kind, sortKey(items[items.length - 1] as T)), Truncated: true };
}
