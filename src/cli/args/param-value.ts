// Turns what was typed after a flag into the API value its shape calls for, as the AWS CLI does:
// JSON when it starts with `{` or `[`, shorthand otherwise; `file://` / `fileb://` anywhere a
// whole value goes; blobs from text, base64 or raw file bytes.

import { usageError } from '../cli-error.ts';
import { asText, loadParamValue, type ReadFile } from './param-file.ts';
import { parseShorthand, ShorthandSyntaxError } from './shorthand.ts';

export type ParamShape =
  | { readonly kind: 'string' }
  | { readonly kind: 'integer' }
  | { readonly kind: 'boolean' }
  /** `text`: without --cli-binary-format the value is taken as text (plaintext); `base64`: as base64 (ciphertext). */
  | { readonly kind: 'blob'; readonly plain: 'text' | 'base64' }
  /** string → string (EncryptionContext). */
  | { readonly kind: 'map' }
  | { readonly kind: 'list'; readonly member: ParamShape }
  | { readonly kind: 'structure'; readonly members: Readonly<Record<string, ParamShape>> };

/** `--cli-binary-format`: `base64` (every blob flag is base64) or `raw-in-base64-out` (every blob flag is raw text). */
export type BinaryFormat = 'base64' | 'raw-in-base64-out';

export interface ParseOptions {
  /** The flag as typed, for messages (`--encryption-context`). */
  readonly flag: string;
  /** The API member name, for messages (`EncryptionContext`). */
  readonly name: string;
  readonly binaryFormat: BinaryFormat | undefined;
  readonly readFile?: ReadFile;
}

/** Parses one flag's raw value(s) (an array for list flags, which take several words). */
export function parseParam(shape: ParamShape, raw: string | readonly string[], opts: ParseOptions): unknown {
  const words = typeof raw === 'string' ? [raw] : raw;
  if (shape.kind === 'list') return parseList(shape.member, words, opts);
  if (words.length !== 1) throw usageError('expected one value', opts.flag);
  const loaded = loadParamValue(words[0] as string, opts.flag, opts.readFile);
  switch (shape.kind) {
    case 'blob': {
      if (loaded.kind === 'bytes') return loaded.bytes;
      const mode = opts.binaryFormat ?? (shape.plain === 'text' ? 'raw-in-base64-out' : 'base64');
      return mode === 'base64' ? decodeBase64(loaded.text, opts.flag) : new TextEncoder().encode(loaded.text);
    }
    case 'string':
      return asText(loaded);
    case 'integer':
      return toInteger(asText(loaded).trim(), opts.flag, opts.name);
    case 'boolean':
      return toBoolean(asText(loaded).trim(), opts.name);
    case 'map':
    case 'structure':
      return coerce(shape, parseDocument(asText(loaded), opts.flag), opts.name);
  }
}

function parseList(member: ParamShape, words: readonly string[], opts: ParseOptions): unknown[] {
  if (words.length === 1) {
    const text = asText(loadParamValue(words[0] as string, opts.flag, opts.readFile));
    if (text.trimStart().startsWith('[')) return coerce({ kind: 'list', member }, parseJson(text, opts.flag), opts.name) as unknown[];
    words = [text];
  }
  return words.map((word, i) => {
    const path = `${opts.name}[${i}]`;
    if (member.kind === 'structure' || member.kind === 'map') return coerce(member, parseDocument(word, opts.flag), path);
    if (member.kind === 'integer') return toInteger(word, opts.flag, path);
    return word;
  });
}

function parseDocument(text: string, flag: string): unknown {
  if (/^\s*[{[]/.test(text)) return parseJson(text, flag);
  try {
    return parseShorthand(text);
  } catch (err) {
    if (err instanceof ShorthandSyntaxError) throw usageError(err.message, flag);
    throw err;
  }
}

function parseJson(text: string, flag: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw usageError(`Invalid JSON: ${(err as Error).message}\nJSON received: ${text}`, flag);
  }
}

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'map' : typeof v);

function invalidType(path: string, value: unknown, valid: string): Error {
  return usageError(`Parameter validation failed:\nInvalid type for parameter ${path}, value: ${JSON.stringify(value)}, type: ${typeName(value)}, valid types: ${valid}`);
}

/** Checks a JSON or shorthand value against the shape, converting shorthand's strings where the shape says so. */
export function coerce(shape: ParamShape, value: unknown, path: string): unknown {
  switch (shape.kind) {
    case 'string':
      if (typeof value !== 'string') throw invalidType(path, value, 'string');
      return value;
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
      throw invalidType(path, value, 'integer');
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw invalidType(path, value, 'boolean');
    case 'blob':
      if (typeof value !== 'string') throw invalidType(path, value, 'string (base64)');
      return decodeBase64(value, path);
    case 'map': {
      if (!isPlainObject(value)) throw invalidType(path, value, 'map');
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(value)) out[k] = coerce({ kind: 'string' }, v, `${path}.${k}`) as string;
      return out;
    }
    case 'list': {
      // Shorthand `Key=value` where a list is expected means [value], as in the AWS CLI.
      const items = Array.isArray(value) ? value : [value];
      return items.map((item, i) => coerce(shape.member, item, `${path}[${i}]`));
    }
    case 'structure': {
      if (!isPlainObject(value)) throw invalidType(path, value, 'structure');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const member = shape.members[k];
        if (!member) {
          throw usageError(`Parameter validation failed:\nUnknown parameter in ${path}: "${k}", must be one of: ${Object.keys(shape.members).join(', ')}`);
        }
        out[k] = coerce(member, v, `${path}.${k}`);
      }
      return out;
    }
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toInteger(text: string, flag: string, path: string): number {
  if (!/^-?\d+$/.test(text)) throw usageError(`invalid literal for an integer: '${text}'`, flag);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw invalidType(path, text, 'integer');
  return n;
}

function toBoolean(text: string, path: string): boolean {
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  throw invalidType(path, text, 'boolean');
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(text: string, where: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact)) {
    throw usageError(`Invalid base64: "${text.length > 40 ? `${text.slice(0, 40)}...` : text}" (use fileb:// for a binary file, or --cli-binary-format raw-in-base64-out for text)`, where.startsWith('--') ? where : undefined);
  }
  return new Uint8Array(Buffer.from(compact, 'base64'));
}
