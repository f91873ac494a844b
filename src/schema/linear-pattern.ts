// A compiled context-schema pattern that matches in time linear in the value: the pattern's AST
// becomes a Thompson NFA, simulated one character at a time with every live state in a set, so
// no input can make it backtrack. Same meaning as `new RegExp(source).test(value)` (search
// semantics: anchor with ^ and $ to match the whole value). The state buffers are allocated once
// per pattern and reused; matching is synchronous, so sharing them is safe.

import { parsePattern, PatternError, type PatternNode, type Ranges } from './pattern-parser.ts';

export { PatternError };

/** Upper bound on automaton states, after counted repetition is expanded. */
export const MAX_STATES = 4096;

const SET = 0;
const SPLIT = 1;
const ASSERT = 2;
const MATCH = 3;
const EMPTY = 4;

const A_BOL = 0;
const A_EOL = 1;
const A_WORD = 2;
const A_NONWORD = 3;

interface Frag {
  readonly start: number;
  /** States whose dangling `out` (or `out2` when negative: ~index) must be patched to the next state. */
  readonly holes: number[];
}

class Builder {
  kind: number[] = [];
  out: number[] = [];
  out2: number[] = [];
  arg: number[] = [];
  sets: Ranges[] = [];

  add(kind: number, arg = 0): number {
    if (this.kind.length >= MAX_STATES) throw new PatternError(`pattern is too complex (more than ${MAX_STATES} states once repetition is expanded)`);
    this.kind.push(kind);
    this.out.push(-1);
    this.out2.push(-1);
    this.arg.push(arg);
    return this.kind.length - 1;
  }

  patch(holes: readonly number[], to: number): void {
    for (const h of holes) {
      if (h >= 0) this.out[h] = to;
      else this.out2[~h] = to;
    }
  }

  build(node: PatternNode): Frag {
    switch (node.t) {
      case 'set': {
        this.sets.push(node.ranges);
        const s = this.add(SET, this.sets.length - 1);
        return { start: s, holes: [s] };
      }
      case 'assert': {
        const kind = node.kind === 'bol' ? A_BOL : node.kind === 'eol' ? A_EOL : node.kind === 'word' ? A_WORD : A_NONWORD;
        const s = this.add(ASSERT, kind);
        return { start: s, holes: [s] };
      }
      case 'seq': {
        if (node.items.length === 0) return this.empty();
        let first: Frag | undefined;
        let holes: number[] = [];
        for (const item of node.items) {
          const f = this.build(item);
          if (!first) first = f;
          else this.patch(holes, f.start);
          holes = f.holes;
        }
        return { start: first!.start, holes };
      }
      case 'alt': {
        const frags = node.options.map((o) => this.build(o));
        let start = frags[frags.length - 1]!.start;
        for (let i = frags.length - 2; i >= 0; i--) {
          const s = this.add(SPLIT);
          this.out[s] = frags[i]!.start;
          this.out2[s] = start;
          start = s;
        }
        return { start, holes: frags.flatMap((f) => f.holes) };
      }
      case 'rep':
        return this.repeat(node.node, node.min, node.max);
    }
  }

  empty(): Frag {
    const s = this.add(EMPTY);
    return { start: s, holes: [s] };
  }

  /** x{min,max}: min copies, then max-min optional copies (or one starred copy when unbounded). */
  repeat(node: PatternNode, min: number, max: number): Frag {
    let start = -1;
    let holes: number[] = [];
    const append = (f: Frag) => {
      if (start < 0) start = f.start;
      else this.patch(holes, f.start);
      holes = f.holes;
    };
    for (let i = 0; i < min; i++) append(this.build(node));
    if (max === Infinity) {
      const split = this.add(SPLIT);
      const body = this.build(node);
      this.out[split] = body.start;
      this.patch(body.holes, split);
      append({ start: split, holes: [~split] });
    } else {
      // Nested optionals: (x(x(x)?)?)? so that each optional copy is tried only after the previous.
      const optionalHoles: number[] = [];
      for (let i = min; i < max; i++) {
        const split = this.add(SPLIT);
        const body = this.build(node);
        this.out[split] = body.start;
        optionalHoles.push(~split);
        append({ start: split, holes: body.holes });
      }
      holes = [...holes, ...optionalHoles];
    }
    if (start < 0) return this.empty();
    return { start, holes };
  }
}

const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 95 || (c >= 97 && c <= 122);

function inRanges(ranges: Ranges, c: number): boolean {
  for (let i = 0; i < ranges.length; i += 2) {
    if (c < ranges[i]!) return false;
    if (c <= ranges[i + 1]!) return true;
  }
  return false;
}

export class LinearPattern {
  readonly source: string;
  readonly #kind: Uint8Array;
  readonly #out: Int32Array;
  readonly #out2: Int32Array;
  readonly #arg: Int32Array;
  readonly #sets: readonly Ranges[];
  readonly #start: number;
  readonly #anchoredStart: boolean;
  // Reused per match: current and next state lists, a visit mark per state, a closure stack.
  readonly #clist: Int32Array;
  readonly #nlist: Int32Array;
  readonly #mark: Uint32Array;
  readonly #stack: Int32Array;
  #gen = 0;

  /** Throws PatternError when the pattern is invalid, unsupported or too large. */
  constructor(source: string) {
    this.source = source;
    const ast = parsePattern(source);
    const b = new Builder();
    const frag = b.build(ast);
    const match = b.add(MATCH);
    b.patch(frag.holes, match);
    const n = b.kind.length;
    this.#kind = Uint8Array.from(b.kind);
    this.#out = Int32Array.from(b.out);
    this.#out2 = Int32Array.from(b.out2);
    this.#arg = Int32Array.from(b.arg);
    this.#sets = b.sets;
    this.#start = frag.start;
    this.#anchoredStart = ast.t === 'assert' ? ast.kind === 'bol' : ast.t === 'seq' && ast.items[0]?.t === 'assert' && ast.items[0].kind === 'bol';
    this.#clist = new Int32Array(n + 1);
    this.#nlist = new Int32Array(n + 1);
    this.#mark = new Uint32Array(n);
    this.#stack = new Int32Array(n * 2 + 2);
  }

  /** Like RegExp.prototype.test: true when the pattern matches anywhere in `s`. */
  test(s: string): boolean {
    let clist = this.#clist;
    let nlist = this.#nlist;
    let ccount = this.#addClosure(clist, 0, this.#start, s, 0, true);
    if (ccount < 0) return true;
    const n = s.length;
    for (let pos = 0; pos < n; pos++) {
      const c = s.charCodeAt(pos);
      this.#nextGen();
      let ncount = 0;
      for (let i = 0; i < ccount; i++) {
        const st = clist[i]!;
        if (this.#kind[st] === SET && inRanges(this.#sets[this.#arg[st]!]!, c)) {
          ncount = this.#addClosure(nlist, ncount, this.#out[st]!, s, pos + 1, false);
          if (ncount < 0) return true;
        }
      }
      if (!this.#anchoredStart) {
        ncount = this.#addClosure(nlist, ncount, this.#start, s, pos + 1, false);
        if (ncount < 0) return true;
      }
      if (ncount === 0) return false;
      const t = clist;
      clist = nlist;
      nlist = t;
      ccount = ncount;
    }
    return false;
  }

  #nextGen(): void {
    this.#gen = (this.#gen + 1) >>> 0;
    if (this.#gen === 0) {
      this.#mark.fill(0);
      this.#gen = 1;
    }
  }

  /**
   * Adds `state` and everything reachable from it without consuming input at `pos` to `list`.
   * Returns the new count, or -1 as soon as MATCH is reachable.
   */
  #addClosure(list: Int32Array, count: number, state: number, s: string, pos: number, newGen: boolean): number {
    if (newGen) this.#nextGen();
    const stack = this.#stack;
    const mark = this.#mark;
    const gen = this.#gen;
    let sp = 0;
    stack[sp++] = state;
    while (sp > 0) {
      const st = stack[--sp]!;
      if (st < 0 || mark[st] === gen) continue;
      mark[st] = gen;
      switch (this.#kind[st]) {
        case MATCH:
          return -1;
        case SET:
          list[count++] = st;
          break;
        case SPLIT:
          stack[sp++] = this.#out2[st]!;
          stack[sp++] = this.#out[st]!;
          break;
        case EMPTY:
          stack[sp++] = this.#out[st]!;
          break;
        case ASSERT:
          if (this.#holds(this.#arg[st]!, s, pos)) stack[sp++] = this.#out[st]!;
          break;
      }
    }
    return count;
  }

  #holds(kind: number, s: string, pos: number): boolean {
    if (kind === A_BOL) return pos === 0;
    if (kind === A_EOL) return pos === s.length;
    const before = pos > 0 && isWordChar(s.charCodeAt(pos - 1));
    const after = pos < s.length && isWordChar(s.charCodeAt(pos));
    return kind === A_WORD ? before !== after : before === after;
  }
}
