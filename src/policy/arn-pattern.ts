// ARN patterns for Resource/NotResource and the Arn* condition operators: "each of the six
// colon-delimited components of the ARN is checked separately" (IAM condition operators), so a `*`
// never spans a colon, except in the last component, which takes the rest of the ARN.

import { compileWildcardParts, type StepMeter, type WildcardMatcher, type WildcardPart } from './wildcard.ts';

const ARN_COMPONENTS = 6;

export function compileArnPattern(parts: readonly WildcardPart[]): WildcardMatcher {
  const components = splitParts(parts);
  const matchers = components.map((c) => compileWildcardParts(c));
  const source = matchers.map((m) => m.source).join(':');
  return {
    source,
    test(value: string, meter?: StepMeter): boolean {
      const pieces = splitValue(value, matchers.length);
      if (pieces.length !== matchers.length) return false;
      for (let i = 0; i < matchers.length; i++) {
        if (!(matchers[i] as WildcardMatcher).test(pieces[i] as string, meter)) return false;
      }
      return true;
    },
  };
}

/** Splits pattern parts at the first five colons, keeping glob and literal text apart. */
function splitParts(parts: readonly WildcardPart[]): WildcardPart[][] {
  const components: WildcardPart[][] = [[]];
  for (const part of parts) {
    const isGlob = 'glob' in part;
    const pieces = (isGlob ? part.glob : part.literal).split(':');
    pieces.forEach((piece, i) => {
      if (i > 0) {
        if (components.length < ARN_COMPONENTS) components.push([]);
        else appendText(components[components.length - 1] as WildcardPart[], ':', false);
      }
      appendText(components[components.length - 1] as WildcardPart[], piece, isGlob);
    });
  }
  return components;
}

function appendText(component: WildcardPart[], text: string, isGlob: boolean): void {
  if (text) component.push(isGlob ? { glob: text } : { literal: text });
}

/** At most `count` pieces: the last keeps any further colons. */
function splitValue(value: string, count: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (pieces.length < count - 1) {
    const colon = value.indexOf(':', start);
    if (colon < 0) break;
    pieces.push(value.slice(start, colon));
    start = colon + 1;
  }
  pieces.push(value.slice(start));
  return pieces;
}
