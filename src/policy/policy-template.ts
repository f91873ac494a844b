// Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`) and the `${*}`, `${?}`,
// `${$}` escapes in condition values and Resource ARNs, parsed once and resolved per request.
// Only Version 2012-10-17 has variables; older documents keep `${...}` as literal text (IAM User
// Guide, "IAM policy elements: Variables and tags").

import type { ConditionValues } from './request-facts.ts';
import type { WildcardPart } from './wildcard.ts';

export type TemplatePart =
  | { readonly kind: 'glob'; readonly text: string }
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'variable'; readonly key: string; readonly fallback: string | undefined };

export interface PolicyTemplate {
  readonly raw: string;
  readonly parts: readonly TemplatePart[];
  readonly hasVariables: boolean;
}

const ESCAPES: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

export function parseTemplate(raw: string, variablesEnabled: boolean): PolicyTemplate {
  if (!variablesEnabled || !raw.includes('${')) {
    return { raw, parts: [{ kind: 'glob', text: raw }], hasVariables: false };
  }
  const parts: TemplatePart[] = [];
  let hasVariables = false;
  let text = '';
  let i = 0;
  while (i < raw.length) {
    const open = raw.indexOf('${', i);
    const close = open < 0 ? -1 : raw.indexOf('}', open + 2);
    if (open < 0 || close < 0) {
      text += raw.slice(i);
      break;
    }
    text += raw.slice(i, open);
    const inner = raw.slice(open + 2, close);
    const escaped = ESCAPES[inner];
    const variable = escaped === undefined ? parseVariable(inner) : undefined;
    if (escaped === undefined && variable === undefined) {
      // Not a variable we understand: AWS leaves such text alone, so it stays part of the value.
      text += raw.slice(open, close + 1);
    } else {
      if (text) parts.push({ kind: 'glob', text });
      text = '';
      if (escaped !== undefined) parts.push({ kind: 'literal', text: escaped });
      else if (variable) {
        parts.push(variable);
        hasVariables = true;
      }
    }
    i = close + 1;
  }
  if (text) parts.push({ kind: 'glob', text });
  return { raw, parts, hasVariables };
}

/** `aws:username` or `aws:userid, 'anonymous'`: a key with an optional quoted default. */
function parseVariable(inner: string): TemplatePart | undefined {
  const comma = inner.indexOf(',');
  const key = (comma < 0 ? inner : inner.slice(0, comma)).trim();
  if (!/^[A-Za-z0-9._-]+:[^\s,'${}]+$/.test(key)) return undefined;
  if (comma < 0) return { kind: 'variable', key: key.toLowerCase(), fallback: undefined };
  const fallback = /^\s*'([^']*)'\s*$/.exec(inner.slice(comma + 1));
  if (!fallback) return undefined;
  return { kind: 'variable', key: key.toLowerCase(), fallback: fallback[1] ?? '' };
}

/**
 * Substitutes variables from the request. Resolved values are literal text (a `*` in a user's tag
 * is not a wildcard). Returns undefined when a variable has no single value and no default: IAM
 * says such a match "fails and causes the statement to be invalid".
 */
export function resolveTemplate(
  template: PolicyTemplate,
  values: ConditionValues,
): readonly WildcardPart[] | undefined {
  const out: WildcardPart[] = [];
  for (const part of template.parts) {
    if (part.kind === 'glob') out.push({ glob: part.text });
    else if (part.kind === 'literal') out.push({ literal: part.text });
    else {
      const value = singleValue(values.get(part.key)) ?? part.fallback;
      if (value === undefined) return undefined;
      out.push({ literal: value });
    }
  }
  return out;
}

/** The template's parts with no variables substituted, for static values compiled once. */
export function staticParts(template: PolicyTemplate): readonly WildcardPart[] {
  return template.parts.map((p) => (p.kind === 'glob' ? { glob: p.text } : { literal: p.kind === 'literal' ? p.text : '' }));
}

export function partsToString(parts: readonly WildcardPart[]): string {
  let s = '';
  for (const p of parts) s += 'glob' in p ? p.glob : p.literal;
  return s;
}

function singleValue(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return value.length === 1 ? value[0] : undefined;
}
