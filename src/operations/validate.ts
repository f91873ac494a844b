// Input validation for the awsJson1.1 services, shaped by the AWS models: a JSON type mismatch is
// a SerializationException; constraint violations (length, range, enum, pattern, required) are
// collected into one ValidationException worded as AWS words it:
// "2 validation errors detected: Value null at 'keyId' failed to satisfy constraint: ...; ...".

import { KontextError } from '../errors.ts';

export interface Field<T> {
  readonly required: boolean;
  /** Pushes constraint problems onto `problems`; throws SerializationException on a type mismatch. */
  read(value: unknown, path: string, problems: string[]): T;
}

type Out<F> = F extends Field<infer T> ? T : never;
export type Shape = Record<string, Field<unknown>>;
export type Parsed<S extends Shape> = { [K in keyof S as S[K]['required'] extends true ? K : never]: Out<S[K]> } & {
  [K in keyof S as S[K]['required'] extends true ? never : K]?: Out<S[K]>;
};

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

function serialization(what: string): KontextError {
  return new KontextError('SerializationException', what);
}

function typeName(v: unknown): string {
  if (v === null) return 'NULL';
  if (Array.isArray(v)) return 'START_ARRAY';
  if (typeof v === 'object') return 'START_OBJECT';
  if (typeof v === 'string') return 'VALUE_STRING';
  if (typeof v === 'number') return Number.isInteger(v) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  if (typeof v === 'boolean') return v ? 'VALUE_TRUE' : 'VALUE_FALSE';
  return 'UNKNOWN';
}

function quote(v: string, sensitive: boolean): string {
  return sensitive ? '' : ` '${v}'`;
}

interface StringRules {
  min?: number;
  max?: number;
  pattern?: RegExp;
  enum?: readonly string[];
  sensitive?: boolean;
}

export function str<R extends boolean = false>(rules: StringRules = {}, required?: R): Field<string> & { required: R } {
  return {
    required: (required ?? false) as R,
    read(value, path, problems) {
      if (typeof value !== 'string') throw serialization(`Unexpected ${typeName(value)} at '${path}': expected a string`);
      const shown = quote(value, rules.sensitive ?? false);
      if (rules.min !== undefined && value.length < rules.min) {
        problems.push(`Value${shown} at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${rules.min}`);
      } else if (rules.max !== undefined && value.length > rules.max) {
        problems.push(`Value${shown} at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${rules.max}`);
      }
      if (rules.enum && !rules.enum.includes(value)) {
        problems.push(`Value${shown} at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${rules.enum.join(', ')}]`);
      }
      if (rules.pattern && value.length > 0 && !rules.pattern.test(value)) {
        problems.push(`Value${shown} at '${path}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${rules.pattern.source}`);
      }
      return value;
    },
  };
}

export function int<R extends boolean = false>(rules: { min?: number; max?: number } = {}, required?: R): Field<number> & { required: R } {
  return {
    required: (required ?? false) as R,
    read(value, path, problems) {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw serialization(`Unexpected ${typeName(value)} at '${path}': expected an integer`);
      }
      if (rules.min !== undefined && value < rules.min) {
        problems.push(`Value '${value}' at '${path}' failed to satisfy constraint: Member must have value greater than or equal to ${rules.min}`);
      } else if (rules.max !== undefined && value > rules.max) {
        problems.push(`Value '${value}' at '${path}' failed to satisfy constraint: Member must have value less than or equal to ${rules.max}`);
      }
      return value;
    },
  };
}

export function bool<R extends boolean = false>(required?: R): Field<boolean> & { required: R } {
  return {
    required: (required ?? false) as R,
    read(value, path) {
      if (typeof value !== 'boolean') throw serialization(`Unexpected ${typeName(value)} at '${path}': expected a boolean`);
      return value;
    },
  };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A base64-encoded blob; lengths are in decoded bytes, values are never echoed. */
export function blob<R extends boolean = false>(rules: { min?: number; max?: number } = {}, required?: R): Field<Buffer> & { required: R } {
  return {
    required: (required ?? false) as R,
    read(value, path, problems) {
      if (typeof value !== 'string') throw serialization(`Unexpected ${typeName(value)} at '${path}': expected a base64-encoded blob`);
      if (value.length % 4 !== 0 || !BASE64.test(value)) throw serialization(`Value at '${path}' is not valid base64`);
      const buf = Buffer.from(value, 'base64');
      if (rules.min !== undefined && buf.length < rules.min) {
        problems.push(`Value at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${rules.min}`);
      } else if (rules.max !== undefined && buf.length > rules.max) {
        problems.push(`Value at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${rules.max}`);
      }
      return buf;
    },
  };
}

/** A JSON object of string to string (e.g. EncryptionContext). */
export function stringMap<R extends boolean = false>(rules: { maxEntries?: number; keyMin?: number } = {}, required?: R): Field<Record<string, string>> & { required: R } {
  return {
    required: (required ?? false) as R,
    read(value, path, problems) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw serialization(`Unexpected ${typeName(value)} at '${path}': expected a map of strings`);
      }
      const out: Record<string, string> = Object.create(null) as Record<string, string>;
      let n = 0;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') throw serialization(`Unexpected ${typeName(v)} at '${path}.${k}': expected a string`);
        if (rules.keyMin !== undefined && k.length < rules.keyMin) {
          problems.push(`Value at '${path}' failed to satisfy constraint: Map keys must have length greater than or equal to ${rules.keyMin}`);
        }
        out[k] = v;
        n++;
      }
      if (rules.maxEntries !== undefined && n > rules.maxEntries) {
        problems.push(`Value at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${rules.maxEntries}`);
      }
      return out;
    },
  };
}

export function list<T, R extends boolean = false>(item: Field<T>, rules: { min?: number; max?: number } = {}, required?: R): Field<T[]> & { required: R } {
  return {
    required: (required ?? false) as R,
    read(value, path, problems) {
      if (!Array.isArray(value)) throw serialization(`Unexpected ${typeName(value)} at '${path}': expected a list`);
      if (rules.min !== undefined && value.length < rules.min) {
        problems.push(`Value at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${rules.min}`);
      } else if (rules.max !== undefined && value.length > rules.max) {
        problems.push(`Value at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${rules.max}`);
      }
      return value.map((v, i) => {
        if (v === null) {
          problems.push(`Value null at '${path}.${i + 1}.member' failed to satisfy constraint: Member must not be null`);
          return undefined as T;
        }
        return item.read(v, `${path}.${i + 1}.member`, problems);
      });
    },
  };
}

export function struct<S extends Shape, R extends boolean = false>(shape: S, required?: R): Field<Parsed<S>> & { required: R } {
  // Wire names are computed once per shape, not per request.
  const entries = Object.entries(shape).map(([name, field]) => [name, field, lowerFirst(name)] as const);
  return {
    required: (required ?? false) as R,
    read(value, path, problems) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw serialization(`Unexpected ${typeName(value)} at '${path || 'body'}': expected an object`);
      }
      const src = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, field, wireName] of entries) {
        const fieldPath = path ? `${path}.${wireName}` : wireName;
        const v = src[name];
        if (v === undefined || v === null) {
          if (field.required) problems.push(`Value null at '${fieldPath}' failed to satisfy constraint: Member must not be null`);
          continue;
        }
        out[name] = field.read(v, fieldPath, problems);
      }
      return out as Parsed<S>;
    },
  };
}

/** Builds an operation's input parser from its shape. */
export function inputParser<S extends Shape>(shape: S): (body: unknown) => Parsed<S> {
  const root = struct(shape);
  return (body) => {
    const problems: string[] = [];
    const parsed = root.read(body ?? {}, '', problems);
    if (problems.length > 0) throw validationError(problems);
    return parsed;
  };
}

export function validationError(problems: readonly string[]): KontextError {
  const n = problems.length;
  return new KontextError('ValidationException', `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
}

export const REQUIRED = true as const;
