// Secret detection over a whole encryption context, and the redacted copy the audit trail stores
// instead: a flagged value becomes `[REDACTED:<kind>]`; a key that is itself secret-shaped is
// replaced too, so neither ever reaches an event, a log line or an error message.

import { detectSecretValue, HIGH_ENTROPY_MIN_LENGTH, type KeyHint, type SecretKind } from './value-detectors.ts';
import { expectsRandomValue, isSecretKeyName } from './secret-key-names.ts';

export interface SecretFinding {
  /** The context key, or its redacted marker when the key itself looks secret. */
  readonly key: string;
  readonly kind: SecretKind;
  /** The key (not only the value) is secret-shaped. */
  readonly inKey: boolean;
}

export const redactionMarker = (kind: SecretKind): string => `[REDACTED:${kind}]`;

const PLAIN_KEY: KeyHint = { randomExpected: false };
const RANDOM_KEY: KeyHint = { randomExpected: true };
const NO_FINDINGS: readonly SecretFinding[] = Object.freeze([]);

/** Findings for `context`; the shared empty array when clean (the common case allocates nothing). */
export function detectSecrets(context: Readonly<Record<string, string>> | undefined): readonly SecretFinding[] {
  if (context === undefined) return NO_FINDINGS;
  let findings: SecretFinding[] | undefined;
  let keyIndex = 0;
  for (const key in context) {
    keyIndex++;
    const value = context[key]!;
    const keyKind = detectSecretValue(key, PLAIN_KEY);
    if (keyKind !== undefined) {
      (findings ??= []).push({ key: `${redactionMarker(keyKind)}#${keyIndex}`, kind: keyKind, inKey: true });
      continue;
    }
    const valueKind = detectSecretValue(value, value.length >= HIGH_ENTROPY_MIN_LENGTH && expectsRandomValue(key) ? RANDOM_KEY : PLAIN_KEY) ?? (isSecretKeyName(key) ? 'secret-key-name' : undefined);
    if (valueKind !== undefined) (findings ??= []).push({ key, kind: valueKind, inKey: false });
  }
  return findings ?? NO_FINDINGS;
}

/** A copy of `context` with every flagged value (and secret-shaped key) replaced by its marker. */
export function redactContext(context: Readonly<Record<string, string>>, findings: readonly SecretFinding[]): Record<string, string> {
  const byKey = new Map(findings.filter((f) => !f.inKey).map((f) => [f.key, f.kind]));
  const inKey = findings.filter((f) => f.inKey);
  const out: Record<string, string> = {};
  let keyIndex = 0;
  let k = 0;
  for (const key in context) {
    keyIndex++;
    const hidden = inKey[k];
    if (hidden && hidden.key === `${redactionMarker(hidden.kind)}#${keyIndex}`) {
      out[hidden.key] = redactionMarker(hidden.kind);
      k++;
      continue;
    }
    const kind = byKey.get(key);
    out[key] = kind === undefined ? context[key]! : redactionMarker(kind);
  }
  return out;
}
