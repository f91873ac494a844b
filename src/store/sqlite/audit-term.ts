// The audit index stores each (account, attribute, value) as one 53-bit integer term, which keeps
// index rows small and inserts cheap. Collisions are possible in principle, so the query layer
// re-checks every result against its filters. The function is on disk: never change it.

import type { AuditIndexEntry } from '../audit-repository.ts';

/** cyrb53 (public domain): a fast, well-mixed 53-bit string hash. */
function cyrb53(str: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Attribute codes are integers and account ids are 12 digits, so `|` cannot make two entries meet. */
export const hashEntry = (e: AuditIndexEntry): number => cyrb53(`${e.attr}|${e.account}|${e.value}`);

/**
 * Most of an event's terms repeat across events (event name, source, caller, key, common context
 * pairs): remembered per account and attribute, so the hot path skips the string building and
 * hashing. Bounded: a full cache starts over.
 */
const MAX_REMEMBERED = 20_000;
/** account → attribute code → value → term. */
let remembered = new Map<string, Array<Map<string, number> | undefined>>();
let rememberedCount = 0;

export function termOf(e: AuditIndexEntry): number {
  let byAttr = remembered.get(e.account);
  const known = byAttr?.[e.attr]?.get(e.value);
  if (known !== undefined) return known;
  const term = hashEntry(e);
  if (rememberedCount >= MAX_REMEMBERED) {
    remembered = new Map();
    rememberedCount = 0;
    byAttr = undefined;
  }
  if (!byAttr) remembered.set(e.account, (byAttr = []));
  (byAttr[e.attr] ??= new Map()).set(e.value, term);
  rememberedCount++;
  return term;
}
