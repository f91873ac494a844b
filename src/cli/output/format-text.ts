// `--output text`, line for line as the AWS CLI prints it (awscli/text.py): scalars of an object
// on one tab-separated line in key order, prefixed by the upper-cased name of the object that
// holds them; nested objects and lists on lines of their own; booleans True/False, null None.

import type { CliValue } from './cli-values.ts';

const isContainer = (v: CliValue | undefined): v is CliValue[] | { [k: string]: CliValue } => typeof v === 'object' && v !== null;
const scalarText = (v: CliValue | undefined): string => (v === true ? 'True' : v === false ? 'False' : v === null ? 'None' : v === undefined ? '' : String(v));
const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function formatText(value: CliValue): string {
  const lines: string[] = [];
  emit(value, undefined, undefined, lines);
  return lines.map((l) => `${l}\n`).join('');
}

function emit(item: CliValue, identifier: string | undefined, scalarKeys: string[] | undefined, out: string[]): void {
  if (Array.isArray(item)) emitList(item, identifier, out);
  else if (isContainer(item)) emitObject(item, identifier, scalarKeys, out);
  else out.push(scalarText(item));
}

function emitList(items: CliValue[], identifier: string | undefined, out: string[]): void {
  if (items.length === 0) return;
  if (items.some((el) => isContainer(el) && !Array.isArray(el))) {
    const keys = allScalarKeys(items);
    for (const el of items) emit(el, identifier, keys, out);
  } else if (items.some(Array.isArray)) {
    const scalars = items.filter((el) => !isContainer(el));
    if (scalars.length) emitScalarList(scalars, identifier, out);
    for (const el of items.filter(isContainer)) emit(el, identifier, undefined, out);
  } else {
    emitScalarList(items, identifier, out);
  }
}

function emitScalarList(items: CliValue[], identifier: string | undefined, out: string[]): void {
  if (identifier !== undefined) for (const el of items) out.push(`${identifier.toUpperCase()}\t${scalarText(el)}`);
  else out.push(items.map(scalarText).join('\t'));
}

function emitObject(obj: { [k: string]: CliValue }, identifier: string | undefined, scalarKeys: string[] | undefined, out: string[]): void {
  const scalars: string[] = [];
  const nested: Array<[string, CliValue]> = [];
  if (scalarKeys === undefined) {
    for (const key of Object.keys(obj).sort(byKey)) {
      const v = obj[key] as CliValue;
      if (isContainer(v)) nested.push([key, v]);
      else scalars.push(scalarText(v));
    }
  } else {
    // Objects in one list share the union of their scalar keys, so columns line up.
    for (const key of scalarKeys) scalars.push(scalarText(obj[key]));
    const known = new Set(scalarKeys);
    for (const key of Object.keys(obj).sort(byKey)) if (!known.has(key)) nested.push([key, obj[key] as CliValue]);
  }
  if (scalars.length) out.push((identifier !== undefined ? [identifier.toUpperCase(), ...scalars] : scalars).join('\t'));
  for (const [key, v] of nested) emit(v, key, undefined, out);
}

function allScalarKeys(items: CliValue[]): string[] {
  const keys = new Set<string>();
  for (const el of items) {
    if (isContainer(el) && !Array.isArray(el)) for (const [k, v] of Object.entries(el)) if (!isContainer(v)) keys.add(k);
  }
  return [...keys].sort(byKey);
}
