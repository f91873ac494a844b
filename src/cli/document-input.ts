// Reading the inputs the Kontext.* commands share: a JSON document from a file or stdin, and
// positive integer flags. Problems are usage errors (exit 252), as the AWS CLI treats them.

import { readFileSync } from 'node:fs';
import { usageError } from './cli-error.ts';

/** Reads a JSON object from `file` ('-' for standard input); `what` names it in errors. */
export function readJsonDocument(file: string, what: string): object {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw usageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw usageError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw usageError(`${file} must hold a JSON object (${what})`);
  return doc;
}

export function positiveInteger(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw usageError(`expected a positive integer: '${v}'`, flag);
  return n;
}
