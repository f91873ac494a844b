// The AWS CLI's shorthand syntax (`department=finance,customer_id=cust_98765`,
// `EncryptionContextSubset={dept=hr}`, `Name=[a,b]`), parsed with the same grammar as the AWS CLI
// v2 (awscli/shorthand.py), so a value written for `aws kms` means the same to `kontext`.
// Purely syntactic: values come out as strings, lists and objects; the parameter's shape coerces.

export type ShorthandValue = string | ShorthandValue[] | { [key: string]: ShorthandValue };

export class ShorthandSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShorthandSyntaxError';
  }
}

// Character classes copied from awscli/shorthand.py: a first value may contain `=` (so
// `a=b=c` is {a: 'b=c'}), a following CSV value may not (so `a=b,c=d` is two keys, not a list).
const START_WORD = String.raw`!#-&(-+\--<>-Z\\-z|-\u{10ffff}`;
const FIRST_FOLLOW = String.raw`\s!#-&(-+\--\\^-|~-\u{10ffff}`;
const SECOND_FOLLOW = String.raw`\s!#-&(-+\--<>-\u{10ffff}`;
const ESCAPED_COMMA = String.raw`(?:\\,)`;
const FIRST_VALUE = new RegExp(`^(?:${ESCAPED_COMMA}|[${START_WORD}])(?:${ESCAPED_COMMA}|[${FIRST_FOLLOW}])*`, 'u');
const SECOND_VALUE = new RegExp(`^(?:${ESCAPED_COMMA}|[${START_WORD}])(?:${ESCAPED_COMMA}|[${SECOND_FOLLOW}])*`, 'u');
const SINGLE_QUOTED = /^'(?:\\\\|\\'|[^'])*'/u;
const DOUBLE_QUOTED = /^"(?:\\\\|\\"|[^"])*"/u;
const KEY_CHARS = /[A-Za-z0-9\-_.#/:]/;
const WHITESPACE = /\s/;

/** Parses `key=value[,key=value...]` into an object. Throws ShorthandSyntaxError. */
export function parseShorthand(input: string): Record<string, ShorthandValue> {
  return new Parser(input).parameter();
}

class Parser {
  #i = 0;
  constructor(private readonly s: string) {}

  parameter(): Record<string, ShorthandValue> {
    const params: Record<string, ShorthandValue> = {};
    const [key, value] = this.keyval();
    params[key] = value;
    while (this.#i < this.s.length) {
      this.expect(',', true);
      const at = this.#i;
      const [k, v] = this.keyval();
      if (Object.prototype.hasOwnProperty.call(params, k)) {
        throw new ShorthandSyntaxError(`Second instance of key "${k}" encountered at position ${at} of: ${this.s}`);
      }
      params[k] = v;
    }
    return params;
  }

  private keyval(): [string, ShorthandValue] {
    const key = this.key();
    this.expect('=', true);
    return [key, this.values()];
  }

  private key(): string {
    const start = this.#i;
    while (!this.eof() && KEY_CHARS.test(this.current())) this.#i++;
    return this.s.slice(start, this.#i);
  }

  private values(): ShorthandValue {
    if (this.eof()) return '';
    if (this.current() === '[') return this.explicitList();
    if (this.current() === '{') return this.hashLiteral();
    return this.csvValue();
  }

  private csvValue(): ShorthandValue {
    const first = this.firstValue();
    this.skipWhitespace();
    if (this.eof() || this.current() !== ',') return first;
    this.expect(',', true);
    const list: string[] = [first];
    for (;;) {
      try {
        const next = this.secondValue();
        this.skipWhitespace();
        if (this.eof()) {
          list.push(next);
          break;
        }
        this.expect(',', true);
        list.push(next);
      } catch (err) {
        if (!(err instanceof ShorthandSyntaxError) || this.eof()) throw err;
        this.backtrackTo(',');
        break;
      }
    }
    return list.length === 1 ? first : list;
  }

  private explicitList(): ShorthandValue[] {
    this.expect('[', true);
    const values: ShorthandValue[] = [];
    while (this.current() !== ']') {
      if (this.eof()) this.fail(']');
      values.push(this.explicitValue());
      this.skipWhitespace();
      if (this.current() !== ']') {
        this.expect(',');
        this.skipWhitespace();
      }
    }
    this.expect(']');
    return values;
  }

  private hashLiteral(): Record<string, ShorthandValue> {
    this.expect('{', true);
    const out: Record<string, ShorthandValue> = {};
    while (this.current() !== '}') {
      if (this.eof()) this.fail('}');
      const key = this.key();
      this.expect('=', true);
      const value = this.explicitValue();
      this.skipWhitespace();
      if (this.current() !== '}') {
        this.expect(',');
        this.skipWhitespace();
      }
      out[key] = value;
    }
    this.expect('}');
    return out;
  }

  private explicitValue(): ShorthandValue {
    if (this.current() === '[') return this.explicitList();
    if (this.current() === '{') return this.hashLiteral();
    return this.firstValue();
  }

  private firstValue(): string {
    if (this.current() === "'") return this.quoted(SINGLE_QUOTED, "'");
    if (this.current() === '"') return this.quoted(DOUBLE_QUOTED, '"');
    const m = FIRST_VALUE.exec(this.s.slice(this.#i));
    if (!m) return '';
    this.#i += m[0].length;
    return m[0].replace(/\\,/g, ',').trimEnd();
  }

  private secondValue(): string {
    if (this.current() === "'") return this.quoted(SINGLE_QUOTED, "'");
    if (this.current() === '"') return this.quoted(DOUBLE_QUOTED, '"');
    const m = SECOND_VALUE.exec(this.s.slice(this.#i));
    if (!m) this.fail('<second>');
    this.#i += m[0].length;
    return m[0].replace(/\\,/g, ',').trimEnd();
  }

  private quoted(re: RegExp, quote: string): string {
    const m = re.exec(this.s.slice(this.#i));
    if (!m) this.fail(`<${quote === '"' ? 'double' : 'single'} quoted>`);
    this.#i += m[0].length;
    return m[0].slice(1, -1).split(`\\${quote}`).join(quote).split('\\\\').join('\\');
  }

  private expect(ch: string, skipWs = false): void {
    if (skipWs) this.skipWhitespace();
    if (this.eof() || this.current() !== ch) this.fail(ch);
    this.#i++;
    if (skipWs) this.skipWhitespace();
  }

  private fail(expected: string): never {
    const actual = this.eof() ? 'EOF' : this.current();
    throw new ShorthandSyntaxError(`Expected: '${expected}', received: '${actual}' for input:\n${this.s}\n${' '.repeat(this.#i)}^`);
  }

  private backtrackTo(ch: string): void {
    while (this.#i >= 0 && this.s[this.#i] !== ch) this.#i--;
  }

  private skipWhitespace(): void {
    while (!this.eof() && WHITESPACE.test(this.current())) this.#i++;
  }

  private current(): string {
    return this.s[this.#i] ?? '';
  }

  private eof(): boolean {
    return this.#i >= this.s.length;
  }
}
