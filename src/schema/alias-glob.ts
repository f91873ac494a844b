// Alias patterns (`alias/payments-*`): `*` matches any run of characters, `?` exactly one.
// Matched with the two-pointer wildcard algorithm: no backtracking explosion, whatever the pattern.

export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const pc = pattern[p];
    if (pc !== undefined && (pc === '?' || pc === text[t]) && pc !== '*') {
      p++;
      t++;
    } else if (pc === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Characters before the first wildcard: the longer, the more specific the pattern. */
export const literalPrefixLength = (pattern: string): number => {
  const i = pattern.search(/[*?]/);
  return i < 0 ? pattern.length : i;
};
