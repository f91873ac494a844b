// The test every user of encryption context should have, in one call: encrypt with sample
// values, then prove that decryption fails when any one context pair is changed, re-cased,
// removed, or when a pair is added or the context dropped — and succeeds with the right one.

import { AssertionError } from 'node:assert';
import type { EncryptionContext } from './context-definition.ts';
import type { ContextCipher, Plaintext } from './context-cipher.ts';
import { toBytes } from './context-cipher.ts';

export interface BindingOptions {
  readonly plaintext?: Plaintext;
  /** Error names that count as "refused" (default InvalidCiphertextException; add AccessDeniedException when a key policy checks the context). */
  readonly refusedWith?: readonly string[];
}

export interface BindingCheck {
  /** e.g. `changed tenant_id`, `removed purpose`, `added extra key`. */
  readonly variant: string;
  /** `refused` when decryption failed as it must; otherwise what happened instead. */
  readonly outcome: 'refused' | 'decrypted' | `failed with ${string}`;
}

export interface BindingReport {
  readonly context: EncryptionContext;
  readonly checks: readonly BindingCheck[];
}

/** Throws an AssertionError listing every variant that was not refused; returns the report otherwise. */
export async function assertContextBound<V>(cipher: ContextCipher<V>, sample: V, options: BindingOptions = {}): Promise<BindingReport> {
  const plaintext = toBytes(options.plaintext ?? 'kontext context-binding probe');
  const refusedWith = new Set(options.refusedWith ?? ['InvalidCiphertextException']);
  const context = cipher.context(sample);
  const ciphertext = await cipher.encrypt(plaintext, sample);
  const back = await cipher.decrypt(ciphertext, sample);
  if (!Buffer.from(back).equals(Buffer.from(plaintext))) {
    throw new AssertionError({ message: 'Context binding check: decrypting with the same values did not return the plaintext' });
  }
  const checks: BindingCheck[] = [];
  for (const [variant, ctx] of variants(context)) {
    let outcome: BindingCheck['outcome'];
    try {
      await cipher.decryptWithRawContext(ciphertext, ctx);
      outcome = 'decrypted';
    } catch (err) {
      const name = err instanceof Error ? err.name : String(err);
      outcome = refusedWith.has(name) ? 'refused' : `failed with ${name}`;
    }
    checks.push({ variant, outcome });
  }
  const bad = checks.filter((c) => c.outcome !== 'refused');
  if (bad.length > 0) {
    throw new AssertionError({
      message: `Encryption context is not bound to the ciphertext: ${bad.map((c) => `${c.variant}: ${c.outcome}`).join('; ')}`,
      actual: bad,
      expected: 'every variant refused',
    });
  }
  return { context, checks };
}

/** Every context that differs from the right one in exactly one way. */
function* variants(context: EncryptionContext): Generator<[string, EncryptionContext]> {
  for (const [key, value] of Object.entries(context)) {
    yield [`changed ${key}`, { ...context, [key]: value === '' ? 'x' : `${value}x` }];
    if (value.toUpperCase() !== value) yield [`re-cased value of ${key}`, { ...context, [key]: value.toUpperCase() }];
    if (key.toUpperCase() !== key && !(key.toUpperCase() in context)) {
      const { [key]: _, ...rest } = context;
      yield [`re-cased key ${key}`, { ...rest, [key.toUpperCase()]: value }];
    }
    const { [key]: _removed, ...without } = context;
    yield [`removed ${key}`, without];
  }
  let extra = 'unexpected_field';
  while (extra in context) extra += '_';
  yield ['added extra key', { ...context, [extra]: 'x' }];
  if (Object.keys(context).length > 0) yield ['no context', {}];
}
