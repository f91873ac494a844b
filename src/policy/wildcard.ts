// Linear-time `*` / `?` wildcard matching for actions, StringLike and ARN patterns, compiled once per
// pattern. No regular expressions, no backtracking: hostile patterns cannot blow up on long values.

/** Counts inner-loop work so tests can prove the matcher stays linear; omit it on the hot path. */
export interface StepMeter {
  steps: number;
}

/**
 * One piece of a pattern: `glob` text gives `*` and `?` their wildcard meaning, `literal` text
 * (from `${*}` escapes or resolved policy variables) matches character for character.
 */
export type WildcardPart = { readonly glob: string } | { readonly literal: string };

export interface WildcardMatcher {
  readonly source: string;
  test(value: string, meter?: StepMeter): boolean;
}

const ANY_ONE = -1;

/** A run of pattern characters between two `*`, with its precompiled search strategy. */
interface Segment {
  readonly codes: readonly number[];
  readonly find: (text: readonly number[], from: number, to: number, meter?: StepMeter) => number;
}

export interface WildcardOptions {
  readonly ignoreCase?: boolean;
}

export function compileWildcard(pattern: string, options: WildcardOptions = {}): WildcardMatcher {
  return compileWildcardParts([{ glob: pattern }], options);
}

export function compileWildcardParts(
  parts: readonly WildcardPart[],
  options: WildcardOptions = {},
): WildcardMatcher {
  const ignoreCase = options.ignoreCase === true;
  const runs: number[][] = [[]];
  let source = '';
  for (const part of parts) {
    const isGlob = 'glob' in part;
    const text = isGlob ? part.glob : part.literal;
    source += text;
    for (const ch of ignoreCase ? text.toLowerCase() : text) {
      const code = ch.codePointAt(0) ?? 0;
      if (isGlob && ch === '*') runs.push([]);
      else (runs[runs.length - 1] as number[]).push(isGlob && ch === '?' ? ANY_ONE : code);
    }
  }
  if (runs.length === 1) return exactMatcher(source, runs[0] as number[], ignoreCase);
  const segments = runs.map(makeSegment);
  const first = segments[0] as Segment;
  const last = segments[segments.length - 1] as Segment;
  // Empty middle runs come from `**`; they match anywhere, so drop them.
  const middle = segments.slice(1, -1).filter((s) => s.codes.length > 0);
  const minLength = segments.reduce((n, s) => n + s.codes.length, 0);
  return {
    source,
    test(value, meter) {
      const text = toCodes(ignoreCase ? value.toLowerCase() : value);
      if (text.length < minLength) return false;
      if (!matchesAt(first.codes, text, 0, meter)) return false;
      const end = text.length - last.codes.length;
      if (!matchesAt(last.codes, text, end, meter)) return false;
      // Leftmost-first placement of each middle run is optimal: a later placement never leaves
      // more room for the runs after it, so one forward pass decides the match.
      let pos = first.codes.length;
      for (const segment of middle) {
        const at = segment.find(text, pos, end, meter);
        if (at < 0) return false;
        pos = at + segment.codes.length;
      }
      return true;
    },
  };
}

function exactMatcher(source: string, codes: readonly number[], ignoreCase: boolean): WildcardMatcher {
  return {
    source,
    test(value, meter) {
      const text = toCodes(ignoreCase ? value.toLowerCase() : value);
      return text.length === codes.length && matchesAt(codes, text, 0, meter);
    },
  };
}

/** Code points, so that `?` matches one character even outside the Basic Multilingual Plane. */
function toCodes(value: string): number[] {
  const codes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const code = value.codePointAt(i) ?? 0;
    codes.push(code);
    if (code > 0xffff) i++;
  }
  return codes;
}

function matchesAt(codes: readonly number[], text: readonly number[], at: number, meter?: StepMeter): boolean {
  if (meter) meter.steps += codes.length;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] as number;
    if (c !== ANY_ONE && c !== text[at + i]) return false;
  }
  return true;
}

function makeSegment(codes: number[]): Segment {
  return { codes, find: codes.includes(ANY_ONE) ? shiftAndFinder(codes) : kmpFinder(codes) };
}

/** Knuth–Morris–Pratt: O(text + run) for runs without `?`. */
function kmpFinder(codes: readonly number[]): Segment['find'] {
  const fail = new Int32Array(codes.length);
  for (let i = 1, k = 0; i < codes.length; i++) {
    while (k > 0 && codes[i] !== codes[k]) k = fail[k - 1] as number;
    if (codes[i] === codes[k]) k++;
    fail[i] = k;
  }
  return (text, from, to, meter) => {
    if (codes.length === 0) return from;
    let k = 0;
    let i = from;
    for (; i < to; i++) {
      while (k > 0 && text[i] !== codes[k]) k = fail[k - 1] as number;
      if (text[i] === codes[k]) k++;
      if (k === codes.length) {
        if (meter) meter.steps += 2 * (i + 1 - from);
        return i + 1 - k;
      }
    }
    // KMP's amortised bound: at most two steps per scanned character.
    if (meter) meter.steps += 2 * (i - from);
    return -1;
  };
}

/**
 * Shift-And (bit-parallel) search for runs containing `?`: O(text × ⌈run/32⌉), one machine word
 * per character for runs up to 32 long.
 */
function shiftAndFinder(codes: readonly number[]): Segment['find'] {
  const words = Math.ceil(codes.length / 32);
  const wild = new Uint32Array(words);
  const masks = new Map<number, Uint32Array>();
  codes.forEach((c, i) => {
    if (c === ANY_ONE) wild[i >>> 5] = (wild[i >>> 5] as number) | (1 << (i & 31));
  });
  codes.forEach((c, i) => {
    if (c === ANY_ONE) return;
    let mask = masks.get(c);
    if (!mask) masks.set(c, (mask = Uint32Array.from(wild)));
    mask[i >>> 5] = (mask[i >>> 5] as number) | (1 << (i & 31));
  });
  const lastWord = words - 1;
  const lastBit = 1 << ((codes.length - 1) & 31);
  return (text, from, to, meter) => {
    const state = new Uint32Array(words);
    let i = from;
    for (; i < to; i++) {
      const mask = masks.get(text[i] as number) ?? wild;
      let carry = 1;
      for (let w = 0; w < words; w++) {
        const s = state[w] as number;
        state[w] = ((s << 1) | carry) & (mask[w] as number);
        carry = s >>> 31;
      }
      if (((state[lastWord] as number) & lastBit) !== 0) {
        if (meter) meter.steps += (i + 1 - from) * words;
        return i + 1 - codes.length;
      }
    }
    if (meter) meter.steps += (i - from) * words;
    return -1;
  };
}
