// Parses the regular-expression subset that context-schema patterns may use into a small AST.
// The subset is what a linear-time automaton can run: literals, classes, `.`, `\d\w\s` (and their
// negations), groups, alternation, quantifiers and the anchors `^ $ \b \B`. Backreferences and
// lookaround cannot run in linear time and are refused with a reason, as are over-long patterns.

export const MAX_PATTERN_LENGTH = 512;
export const MAX_REPEAT = 1000;

/** Sorted, non-overlapping inclusive code-unit ranges [lo0, hi0, lo1, hi1, ...]. */
export type Ranges = readonly number[];

export type PatternNode =
  | { readonly t: 'set'; readonly ranges: Ranges }
  | { readonly t: 'assert'; readonly kind: 'bol' | 'eol' | 'word' | 'nonword' }
  | { readonly t: 'seq'; readonly items: readonly PatternNode[] }
  | { readonly t: 'alt'; readonly options: readonly PatternNode[] }
  | { readonly t: 'rep'; readonly node: PatternNode; readonly min: number; readonly max: number };

export class PatternError extends Error {}

const MAX_CODE = 0xffff;
const DIGIT: Ranges = [48, 57];
const WORD: Ranges = [48, 57, 65, 90, 95, 95, 97, 122];
const SPACE: Ranges = [9, 13, 32, 32, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff];
const LINE_TERMINATORS: Ranges = [10, 10, 13, 13, 0x2028, 0x2029];

export function normalizeRanges(input: readonly number[]): number[] {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < input.length; i += 2) pairs.push([input[i]!, input[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const last = out.length - 1;
    if (last > 0 && lo <= out[last]! + 1) out[last] = Math.max(out[last]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

export function complementRanges(r: Ranges): number[] {
  const n = normalizeRanges(r);
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < n.length; i += 2) {
    if (n[i]! > next) out.push(next, n[i]! - 1);
    next = n[i + 1]! + 1;
  }
  if (next <= MAX_CODE) out.push(next, MAX_CODE);
  return out;
}

const DOT = complementRanges(LINE_TERMINATORS);

class Parser {
  readonly #src: string;
  #i = 0;
  constructor(src: string) {
    this.#src = src;
  }

  parse(): PatternNode {
    const node = this.#alternation();
    if (this.#i < this.#src.length) throw new PatternError(`unmatched ')' at offset ${this.#i}`);
    return node;
  }

  #peek(): string | undefined {
    return this.#src[this.#i];
  }

  #alternation(): PatternNode {
    const options = [this.#sequence()];
    while (this.#peek() === '|') {
      this.#i++;
      options.push(this.#sequence());
    }
    return options.length === 1 ? options[0]! : { t: 'alt', options };
  }

  #sequence(): PatternNode {
    const items: PatternNode[] = [];
    for (;;) {
      const c = this.#peek();
      if (c === undefined || c === '|' || c === ')') break;
      const atom = this.#atom();
      items.push(this.#quantified(atom));
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  #quantified(atom: PatternNode): PatternNode {
    const c = this.#peek();
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.#src.slice(this.#i));
      if (!m) return atom; // a literal '{' (JavaScript Annex B)
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) throw new PatternError(`repetition counts above ${MAX_REPEAT} are not supported`);
      this.#i += m[0].length - 1;
    } else return atom;
    this.#i++;
    if (this.#peek() === '?') this.#i++; // lazy: irrelevant to whether the pattern matches
    if (atom.t === 'assert') throw new PatternError('an anchor cannot be repeated');
    const q = this.#peek();
    if (q === '*' || q === '+' || q === '?' || (q === '{' && /^\{\d+(,\d*)?\}/.test(this.#src.slice(this.#i)))) throw new PatternError('nothing to repeat');
    return { t: 'rep', node: atom, min, max };
  }

  #atom(): PatternNode {
    const c = this.#src[this.#i++]!;
    switch (c) {
      case '(':
        return this.#group();
      case '[':
        return { t: 'set', ranges: this.#class() };
      case '.':
        return { t: 'set', ranges: DOT };
      case '^':
        return { t: 'assert', kind: 'bol' };
      case '$':
        return { t: 'assert', kind: 'eol' };
      case '\\':
        return this.#escape(false);
      case '*':
      case '+':
      case '?':
        throw new PatternError('nothing to repeat');
      default:
        return literal(c.charCodeAt(0));
    }
  }

  #group(): PatternNode {
    if (this.#peek() === '?') {
      const rest = this.#src.slice(this.#i, this.#i + 3);
      if (rest.startsWith('?:')) this.#i += 2;
      else if (/^\?<[A-Za-z_$]/.test(rest)) {
        const close = this.#src.indexOf('>', this.#i);
        if (close < 0) throw new PatternError('unterminated group name');
        this.#i = close + 1;
      } else throw new PatternError('lookahead and lookbehind are not supported (they cannot run in linear time)');
    }
    const inner = this.#alternation();
    if (this.#peek() !== ')') throw new PatternError('unterminated group');
    this.#i++;
    return inner;
  }

  #class(): number[] {
    let negate = false;
    if (this.#peek() === '^') {
      negate = true;
      this.#i++;
    }
    const ranges: number[] = [];
    for (;;) {
      const c = this.#peek();
      if (c === undefined) throw new PatternError('unterminated character class');
      if (c === ']') {
        this.#i++;
        break;
      }
      const lo = this.#classAtom();
      if (this.#peek() === '-' && this.#src[this.#i + 1] !== ']' && this.#src[this.#i + 1] !== undefined && lo.length === 2 && lo[0] === lo[1]) {
        this.#i++;
        const hi = this.#classAtom();
        if (hi.length !== 2 || hi[0] !== hi[1]) throw new PatternError('invalid range in character class');
        if (hi[0]! < lo[0]!) throw new PatternError('range out of order in character class');
        ranges.push(lo[0]!, hi[0]!);
      } else ranges.push(...lo);
    }
    const normal = normalizeRanges(ranges);
    return negate ? complementRanges(normal) : normal;
  }

  /** One class member: a single code unit as [c, c], or a class escape's ranges. */
  #classAtom(): number[] {
    const c = this.#src[this.#i++]!;
    if (c !== '\\') return [c.charCodeAt(0), c.charCodeAt(0)];
    const node = this.#escape(true);
    if (node.t !== 'set') throw new PatternError('invalid escape in character class');
    return [...node.ranges];
  }

  #escape(inClass: boolean): PatternNode {
    const c = this.#src[this.#i++];
    if (c === undefined) throw new PatternError('\\ at end of pattern');
    switch (c) {
      case 'd':
        return { t: 'set', ranges: DIGIT };
      case 'D':
        return { t: 'set', ranges: complementRanges(DIGIT) };
      case 'w':
        return { t: 'set', ranges: WORD };
      case 'W':
        return { t: 'set', ranges: complementRanges(WORD) };
      case 's':
        return { t: 'set', ranges: SPACE };
      case 'S':
        return { t: 'set', ranges: complementRanges(SPACE) };
      case 'b':
        if (inClass) throw new PatternError('\\b inside a character class is not supported');
        return { t: 'assert', kind: 'word' };
      case 'B':
        if (inClass) throw new PatternError('\\B inside a character class is not supported');
        return { t: 'assert', kind: 'nonword' };
      case 't':
        return literal(9);
      case 'n':
        return literal(10);
      case 'v':
        return literal(11);
      case 'f':
        return literal(12);
      case 'r':
        return literal(13);
      case '0':
        if (/[0-9]/.test(this.#peek() ?? '')) throw new PatternError('octal escapes are not supported');
        return literal(0);
      case 'x':
      case 'u': {
        const len = c === 'x' ? 2 : 4;
        const hex = this.#src.slice(this.#i, this.#i + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new PatternError(`invalid \\${c} escape`);
        this.#i += len;
        return literal(parseInt(hex, 16));
      }
      case 'k':
        throw new PatternError('backreferences are not supported (they cannot run in linear time)');
      case 'p':
      case 'P':
        throw new PatternError('Unicode property escapes are not supported');
      case 'c':
        throw new PatternError('control escapes are not supported');
      default:
        if (/[1-9]/.test(c)) throw new PatternError('backreferences are not supported (they cannot run in linear time)');
        if (/[A-Za-z]/.test(c)) throw new PatternError(`unknown escape \\${c}`);
        return literal(c.charCodeAt(0));
    }
  }
}

function literal(code: number): PatternNode {
  return { t: 'set', ranges: [code, code] };
}

/** Parses `source` (a JavaScript regular expression without flags) or throws PatternError with the reason. */
export function parsePattern(source: string): PatternNode {
  if (source.length > MAX_PATTERN_LENGTH) throw new PatternError(`patterns may be at most ${MAX_PATTERN_LENGTH} characters`);
  try {
    new RegExp(source);
  } catch {
    throw new PatternError('not a valid regular expression');
  }
  return new Parser(source).parse();
}
