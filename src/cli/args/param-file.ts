// `file://path` (the file's text) and `fileb://path` (its raw bytes) in place of a parameter
// value, as the AWS CLI reads them. `~` expands to the home directory.

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { usageError } from '../cli-error.ts';

export type LoadedValue = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

export type ReadFile = (path: string) => Uint8Array;

const expandHome = (path: string): string => (path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path);

/** Resolves a raw flag value: the text as given, or the contents of a file:// / fileb:// file. */
export function loadParamValue(raw: string, flag: string, readFile: ReadFile = readFileSync): LoadedValue {
  const prefix = raw.startsWith('fileb://') ? 'fileb://' : raw.startsWith('file://') ? 'file://' : undefined;
  if (!prefix) return { kind: 'text', text: raw };
  const path = expandHome(raw.slice(prefix.length));
  let bytes: Uint8Array;
  try {
    bytes = readFile(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (err as Error).message;
    throw usageError(`Unable to load paramfile ${raw}: ${reason}: '${path}'`, flag);
  }
  return prefix === 'fileb://' ? { kind: 'bytes', bytes } : { kind: 'text', text: Buffer.from(bytes).toString('utf8') };
}

/** The value as text (a fileb:// file is read as UTF-8). */
export const asText = (v: LoadedValue): string => (v.kind === 'text' ? v.text : Buffer.from(v.bytes).toString('utf8'));
