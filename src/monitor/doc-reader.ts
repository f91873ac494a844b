// Reads an untyped JSON document member by member, collecting every problem as data
// ({ code, path, message }) instead of stopping at the first, so one ValidationException can name
// every bad field. Paths use the wire's lowerCamel member names: `parameters.windowSeconds`.

export interface DocIssue {
  readonly code: 'invalid_type' | 'required' | 'too_small' | 'too_big' | 'invalid_value' | 'unrecognized_member';
  readonly path: string;
  readonly message: string;
}

export type Obj = Record<string, unknown>;

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

export const memberPath = (parent: string, name: string): string => (parent ? `${parent}.${lowerFirst(name)}` : lowerFirst(name));

interface NumberRules {
  readonly min?: number;
  /** Strictly greater than this. */
  readonly above?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

interface StringRules {
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp;
  readonly oneOf?: readonly string[];
}

export class DocReader {
  readonly issues: DocIssue[] = [];

  issue(code: DocIssue['code'], path: string, message: string): void {
    this.issues.push({ code, path, message });
  }

  /** The value as an object; an issue (and undefined) otherwise. */
  object(v: unknown, path: string): Obj | undefined {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Obj;
    this.issue('invalid_type', path || 'body', 'Member must be an object');
    return undefined;
  }

  /** Flags members the document does not define: a misspelt `Treshold` must not silently become the default. */
  onlyMembers(o: Obj, path: string, allowed: readonly string[]): void {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) this.issue('unrecognized_member', memberPath(path, k), `Member is not recognized: expected one of ${allowed.join(', ')}`);
  }

  string(o: Obj, name: string, path: string, rules: StringRules & { required: true }): string;
  string(o: Obj, name: string, path: string, rules?: StringRules): string | undefined;
  string(o: Obj, name: string, path: string, rules: StringRules & { required?: boolean } = {}): string | undefined {
    const p = memberPath(path, name);
    const v = o[name];
    if (v === undefined || v === null) {
      if (rules.required) this.issue('required', p, 'Member must not be null');
      return rules.required ? '' : undefined;
    }
    if (typeof v !== 'string') {
      this.issue('invalid_type', p, 'Member must be a string');
      return rules.required ? '' : undefined;
    }
    this.checkString(v, p, rules);
    return v;
  }

  checkString(v: string, p: string, rules: StringRules): void {
    if (rules.min !== undefined && v.length < rules.min) this.issue('too_small', p, `Member must have length greater than or equal to ${rules.min}`);
    else if (rules.max !== undefined && v.length > rules.max) this.issue('too_big', p, `Member must have length less than or equal to ${rules.max}`);
    if (rules.oneOf && !rules.oneOf.includes(v)) this.issue('invalid_value', p, `Member must satisfy enum value set: [${rules.oneOf.join(', ')}]`);
    if (rules.pattern && !rules.pattern.test(v)) this.issue('invalid_value', p, `Member must satisfy regular expression pattern: ${rules.pattern.source}`);
  }

  number(o: Obj, name: string, path: string, fallback: number, rules: NumberRules = {}): number {
    const v = this.optionalNumber(o, name, path, rules);
    return v ?? fallback;
  }

  optionalNumber(o: Obj, name: string, path: string, rules: NumberRules = {}): number | undefined {
    const p = memberPath(path, name);
    const v = o[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.issue('invalid_type', p, 'Member must be a number');
      return undefined;
    }
    if (rules.integer && !Number.isInteger(v)) this.issue('invalid_type', p, 'Member must be an integer');
    if (rules.above !== undefined && !(v > rules.above)) this.issue('too_small', p, `Member must have value greater than ${rules.above}`);
    if (rules.min !== undefined && v < rules.min) this.issue('too_small', p, `Member must have value greater than or equal to ${rules.min}`);
    if (rules.max !== undefined && v > rules.max) this.issue('too_big', p, `Member must have value less than or equal to ${rules.max}`);
    return v;
  }

  boolean(o: Obj, name: string, path: string, fallback: boolean): boolean {
    const v = o[name];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') {
      this.issue('invalid_type', memberPath(path, name), 'Member must be a boolean');
      return fallback;
    }
    return v;
  }

  stringList(o: Obj, name: string, path: string, rules: { min?: number; max: number; item?: StringRules }): string[] | undefined {
    const p = memberPath(path, name);
    const v = o[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      this.issue('invalid_type', p, 'Member must be a list of strings');
      return undefined;
    }
    if (rules.min !== undefined && v.length < rules.min) this.issue('too_small', p, `Member must have length greater than or equal to ${rules.min}`);
    if (v.length > rules.max) this.issue('too_big', p, `Member must have length less than or equal to ${rules.max}`);
    const out: string[] = [];
    v.forEach((item, i) => {
      const ip = `${p}.${i + 1}.member`;
      if (typeof item !== 'string') this.issue('invalid_type', ip, 'Member must be a string');
      else {
        this.checkString(item, ip, rules.item ?? {});
        out.push(item);
      }
    });
    return out;
  }
}

/** The issues as the lines of one ValidationException, worded as validate.ts words its own. */
export const issueLines = (issues: readonly DocIssue[]): string[] => issues.map((i) => `Value at '${i.path}' failed to satisfy constraint: ${i.message}`);
