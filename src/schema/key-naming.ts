// Naming checks for context keys: a convention (snake_case by default) and canonical names with
// the aliases to flag (`client_id` where `customer_id` is canonical). Findings are warnings only:
// they go to the audit event, a counter and the log, never to the caller.

import { squashKey } from '../detect/key-words.ts';
import type { KeyConvention, KeyNamingRules } from './schema-document.ts';

export interface NamingFinding {
  readonly code: 'key-convention' | 'non-canonical-key';
  readonly key: string;
  /** The canonical spelling, for non-canonical keys. */
  readonly suggestion?: string;
}

const CONVENTIONS: Readonly<Record<KeyConvention, RegExp | undefined>> = {
  snake_case: /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/,
  camelCase: /^[a-z][a-zA-Z0-9]*$/,
  PascalCase: /^[A-Z][a-zA-Z0-9]*$/,
  'kebab-case': /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/,
  any: undefined,
};

/** Keys AWS services and the AWS Encryption SDK put in contexts: never ours to rename. */
const AWS_KEYS = new Set(['SecretARN', 'SecretVersionId', 'PARAMETER_ARN', 'aws-crypto-public-key']);
const isAwsKey = (key: string): boolean => key.startsWith('aws:') || key.startsWith('aws-crypto-') || AWS_KEYS.has(key);

const CACHE_MAX = 4096;

export class KeyNamingCheck {
  readonly rules: KeyNamingRules;
  readonly #convention: RegExp | undefined;
  /** alias → canonical, and squashed canonical → canonical (catches `Customer_ID`, `customerId`). */
  readonly #aliases = new Map<string, string>();
  readonly #squashed = new Map<string, string>();
  readonly #cache = new Map<string, NamingFinding | null>();

  constructor(rules: KeyNamingRules) {
    this.rules = rules;
    this.#convention = CONVENTIONS[rules.convention];
    for (const c of rules.canonicalNames) {
      this.#squashed.set(squashKey(c.name), c.name);
      for (const a of c.aliases) this.#aliases.set(a, c.name);
    }
  }

  /** True when no key could ever be flagged (skip the per-key loop). */
  get inactive(): boolean {
    return this.#convention === undefined && this.#aliases.size === 0 && this.#squashed.size === 0;
  }

  /** The finding for `key`, or undefined. Cached per key name. */
  check(key: string): NamingFinding | undefined {
    const hit = this.#cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const finding = this.#judge(key);
    if (this.#cache.size >= CACHE_MAX) this.#cache.clear();
    this.#cache.set(key, finding ?? null);
    return finding;
  }

  #judge(key: string): NamingFinding | undefined {
    if (isAwsKey(key)) return undefined;
    const canonical = this.#aliases.get(key) ?? this.#squashed.get(squashKey(key));
    if (canonical !== undefined && canonical !== key) return { code: 'non-canonical-key', key, suggestion: canonical };
    if (this.#convention && !this.#convention.test(key)) return { code: 'key-convention', key };
    return undefined;
  }
}

/** Parses `customer_id=client_id|org_id;tenant_id=tenant` (the KONTEXT_CONTEXT_KEY_ALIASES format). */
export function parseCanonicalNames(text: string): Array<{ name: string; aliases: string[] }> {
  return text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name = '', aliases = ''] = entry.split('=', 2);
      return { name: name.trim(), aliases: aliases.split(/[|,]/).map((a) => a.trim()).filter(Boolean) };
    });
}
