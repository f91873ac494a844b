// RFC 3986 percent-encoding as SigV4 canonicalization needs it: escaping, normalizing an
// already-encoded path or query, and reading one query parameter without a URL parser.

function isUnreserved(c: number): boolean {
  return (
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) ||
    c === 45 || c === 46 || c === 95 || c === 126
  );
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

const HEX = '0123456789ABCDEF';
const pctByte = (b: number): string => '%' + (HEX[b >> 4] as string) + (HEX[b & 15] as string);

/**
 * AWS's URI encoding: everything but RFC 3986 unreserved characters as %XX. A character up to 0xFF
 * is one byte of the URL as node decoded it; wider ones (only from callers other than node) are
 * encoded as their UTF-8 bytes.
 */
export function escapeUriComponent(value: string): string {
  let i = 0;
  while (i < value.length && isUnreserved(value.charCodeAt(i))) i++;
  if (i === value.length) return value;
  let out = value.slice(0, i);
  for (const ch of value.slice(i)) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && isUnreserved(c)) out += ch;
    else if (c < 256) out += pctByte(c);
    else for (const b of Buffer.from(ch, 'utf8')) out += pctByte(b);
  }
  return out;
}

/**
 * The canonical encoding of a query name or value as received: what escapeUri(decode(x)) gives,
 * computed byte-wise so malformed escapes cannot throw. SDKs already send the canonical form,
 * which the first loop recognises without allocating.
 */
export function normalizeEncoding(raw: string): string {
  let canonical = true;
  for (let i = 0; i < raw.length && canonical; i++) {
    const c = raw.charCodeAt(i);
    if (isUnreserved(c)) continue;
    const hi = raw.charCodeAt(i + 1);
    const lo = raw.charCodeAt(i + 2);
    canonical =
      c === 37 && ((hi >= 48 && hi <= 57) || (hi >= 65 && hi <= 70)) &&
      ((lo >= 48 && lo <= 57) || (lo >= 65 && lo <= 70)) &&
      !isUnreserved(hexValue(hi) * 16 + hexValue(lo));
    i += 2;
  }
  if (canonical) return raw;

  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (isUnreserved(c)) {
      out += raw[i];
      continue;
    }
    if (c === 37) {
      const hi = hexValue(raw.charCodeAt(i + 1));
      const lo = hexValue(raw.charCodeAt(i + 2));
      if (hi !== -1 && lo !== -1) {
        const b = hi * 16 + lo;
        out += isUnreserved(b) ? String.fromCharCode(b) : pctByte(b);
        i += 2;
        continue;
      }
    }
    if (c < 256) {
      out += pctByte(c);
    } else {
      const cp = raw.codePointAt(i) as number;
      for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) out += pctByte(b);
      if (cp > 0xffff) i++;
    }
  }
  return out;
}

/** The decoded value of the first parameter with this (unencoded) name, or undefined. */
export function queryParam(query: string, name: string): string | undefined {
  let start = 0;
  while (start < query.length) {
    let amp = query.indexOf('&', start);
    if (amp === -1) amp = query.length;
    if (query.startsWith(name, start)) {
      const after = start + name.length;
      if (after === amp) return '';
      if (query.charCodeAt(after) === 61 /* = */) return decodeComponent(query.slice(after + 1, amp));
    }
    start = amp + 1;
  }
  return undefined;
}

function decodeComponent(raw: string): string {
  if (raw.indexOf('%') === -1) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
