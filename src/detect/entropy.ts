// Character statistics for telling random tokens from names: Shannon entropy per character and the
// rate of switches between upper case, lower case and digits. Allocation-free (one shared table;
// JavaScript runs these synchronously, so sharing it is safe).

const counts = new Uint16Array(128);

/** Shannon entropy in bits per character of `s[start, end)`; non-ASCII characters count as one symbol. */
export function shannonEntropy(s: string, start = 0, end = s.length): number {
  const n = end - start;
  if (n <= 0) return 0;
  counts.fill(0);
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    counts[c < 128 ? c : 127]!++;
  }
  let h = 0;
  for (let i = 0; i < 128; i++) {
    const k = counts[i]!;
    if (k > 0) {
      const p = k / n;
      h -= p * Math.log2(p);
    }
  }
  return h;
}

export const UPPER = 1;
export const LOWER = 2;
export const DIGIT = 4;

export function charClass(c: number): number {
  if (c >= 65 && c <= 90) return UPPER;
  if (c >= 97 && c <= 122) return LOWER;
  if (c >= 48 && c <= 57) return DIGIT;
  return 0;
}

export interface TokenShape {
  /** Letters and digits in the token. */
  alnum: number;
  upper: number;
  lower: number;
  digit: number;
  /** Switches between upper, lower and digit over consecutive letters/digits, per letter/digit. */
  switchRate: number;
}

const shape: TokenShape = { alnum: 0, upper: 0, lower: 0, digit: 0, switchRate: 0 };

/** Class counts of `s[start, end)`. Returns a shared object: read it before the next call. */
export function tokenShape(s: string, start = 0, end = s.length): TokenShape {
  let upper = 0;
  let lower = 0;
  let digit = 0;
  let switches = 0;
  let prev = 0;
  for (let i = start; i < end; i++) {
    const k = charClass(s.charCodeAt(i));
    if (k === 0) continue;
    if (k === UPPER) upper++;
    else if (k === LOWER) lower++;
    else digit++;
    if (prev !== 0 && k !== prev) switches++;
    prev = k;
  }
  const alnum = upper + lower + digit;
  shape.alnum = alnum;
  shape.upper = upper;
  shape.lower = lower;
  shape.digit = digit;
  shape.switchRate = alnum > 1 ? switches / (alnum - 1) : 0;
  return shape;
}

const isVowel = (c: number): boolean => {
  const l = c | 0x20;
  return l === 97 || l === 101 || l === 105 || l === 111 || l === 117 || l === 121;
};

/**
 * Share of the letters and digits of `s[start, end)` that sit in word-like runs: an optional
 * capital then two or more lower-case letters, three letters at least, with a vowel
 * (`Order`, `Created`, `payments`). CamelCase and path names score above 0.6; random base62 and
 * base64 score about 0.2 and exceed 0.56 about once in a thousand.
 */
export function wordCoverage(s: string, start = 0, end = s.length): number {
  let covered = 0;
  let alnum = 0;
  let i = start;
  while (i < end) {
    const c = s.charCodeAt(i);
    const k = charClass(c);
    if (k === 0) {
      i++;
      continue;
    }
    let j = i;
    if (k === UPPER) j++;
    let vowel = j > i && isVowel(c);
    const lowerStart = j;
    while (j < end && charClass(s.charCodeAt(j)) === LOWER) {
      if (isVowel(s.charCodeAt(j))) vowel = true;
      j++;
    }
    if (j - lowerStart >= 2 && j - i >= 3 && vowel) {
      covered += j - i;
      alnum += j - i;
      i = j;
    } else {
      alnum++;
      i++;
    }
  }
  return alnum > 0 ? covered / alnum : 0;
}
