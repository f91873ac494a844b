// Query protocol parameters: form-encoded pairs (body and, for GET, the URL) decoded into the nested
// input an operation parses. Flattened names become structure: `Tags.member.2.Key=k` gives
// `{ Tags: [, { Key: 'k' }] }` with list positions taken from the 1-based index. Leaves stay
// strings; the operation's fields convert numbers and booleans.

import { KontextError } from '../errors.ts';

export interface QueryParams {
  readonly action: string | undefined;
  readonly version: string | undefined;
  /** Operation parameters (Action, Version and SigV4 presigning parameters removed). */
  readonly params: ReadonlyMap<string, string>;
}

/** Parameters a presigned URL carries for SigV4, not for the operation. */
const SIGNING_PARAMS = new Set([
  'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token',
]);

/** Bounds what one request may ask the decoder to build. */
const MAX_PARAMS = 1000;
const MAX_LIST_INDEX = 1000;
const MAX_DEPTH = 8;

export function readQueryParams(rawUrl: string, body: Buffer): QueryParams {
  const q = rawUrl.indexOf('?');
  const sources = [q === -1 ? '' : rawUrl.slice(q + 1), body.length > 0 ? body.toString('utf8') : ''];
  const params = new Map<string, string>();
  let action: string | undefined;
  let version: string | undefined;
  for (const source of sources) {
    if (source === '') continue;
    for (const [name, value] of new URLSearchParams(source)) {
      if (name === 'Action') action = value;
      else if (name === 'Version') version = value;
      else if (!SIGNING_PARAMS.has(name)) params.set(name, value);
      if (params.size > MAX_PARAMS) throw new KontextError('SerializationException', `Too many parameters: more than ${MAX_PARAMS}`);
    }
  }
  return { action, version, params };
}

type Node = { [name: string]: Node | string };

const malformed = (name: string, why: string): KontextError => new KontextError('SerializationException', `Malformed parameter ${name}: ${why}`);

/** Builds the nested input from flattened names. */
export function decodeQueryParams(params: ReadonlyMap<string, string>): Record<string, unknown> {
  const root: Node = Object.create(null) as Node;
  for (const [name, value] of params) {
    const parts = name.split('.');
    if (parts.length > MAX_DEPTH) throw malformed(name, 'nested too deeply');
    let node = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (part === '') throw malformed(name, 'empty name segment');
      if (i === parts.length - 1) {
        if (typeof node[part] === 'object') throw malformed(name, 'given both as a value and as a structure');
        node[part] = value;
      } else {
        let child = node[part];
        if (child === undefined) node[part] = child = Object.create(null) as Node;
        else if (typeof child === 'string') {
          // `Tags=` (an empty list) followed by members: the members win.
          if (child !== '') throw malformed(name, 'given both as a value and as a structure');
          node[part] = child = Object.create(null) as Node;
        }
        node = child;
      }
    }
  }
  return toValue(root) as Record<string, unknown>;
}

/** `{ member: { '1': a, '2': b } }` becomes `[a, b]`; other structures become plain objects. */
function toValue(node: Node | string): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'member' && typeof node['member'] === 'object') {
    const members = node['member'];
    const list: unknown[] = [];
    for (const [index, item] of Object.entries(members)) {
      if (!/^[1-9]\d{0,3}$/.test(index) || Number(index) > MAX_LIST_INDEX) throw malformed(`member.${index}`, 'list index must be 1 to 1000');
      list[Number(index) - 1] = toValue(item);
    }
    // Gaps (member.1 and member.3 only) are closed up, as AWS reads the members in order.
    return list.filter((v) => v !== undefined);
  }
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of keys) out[key] = toValue(node[key] as Node | string);
  return out;
}
