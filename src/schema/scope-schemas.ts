// The compiled schemas of one account and region, indexed for the per-request question "which
// schema governs this key?". Exactly one does, the most specific: a key-id match beats an alias
// pattern, which beats a tag; among alias patterns the longer literal prefix wins, among tags one
// with a value beats one without; remaining ties go to the schema name that sorts first. Immutable:
// a change builds a new one, so a request always checks against one consistent snapshot.

import type { Tag } from '../keys/key-record.ts';
import { globMatch, literalPrefixLength } from './alias-glob.ts';
import type { CompiledSchema } from './compile-schema.ts';

export type MatchedBy = 'key-id' | 'alias' | 'tag';

export interface SchemaMatch {
  readonly schema: CompiledSchema;
  readonly matchedBy: MatchedBy;
}

interface AliasRule {
  readonly pattern: string;
  readonly prefix: number;
  readonly schema: CompiledSchema;
}

interface TagRule {
  readonly value: string | undefined;
  readonly schema: CompiledSchema;
}

const byName = (a: CompiledSchema, b: CompiledSchema): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export class ScopeSchemas {
  readonly schemas: readonly CompiledSchema[];
  readonly #byKeyId = new Map<string, CompiledSchema>();
  readonly #aliasRules: AliasRule[] = [];
  readonly #tagRules = new Map<string, TagRule[]>();
  /** Some schema matches by alias: the key's aliases must be known to choose. */
  readonly hasAliasRules: boolean;
  /** Some schema sets its own secret-detection mode. */
  readonly detectionOverride: boolean;

  constructor(schemas: readonly CompiledSchema[]) {
    this.schemas = [...schemas].sort(byName);
    for (const s of this.schemas) {
      const t = s.document.appliesTo;
      for (const id of t.keyIds) if (!this.#byKeyId.has(id)) this.#byKeyId.set(id, s);
      for (const pattern of t.aliasPatterns) this.#aliasRules.push({ pattern, prefix: literalPrefixLength(pattern), schema: s });
      for (const tag of t.tags) {
        let rules = this.#tagRules.get(tag.tagKey);
        if (!rules) this.#tagRules.set(tag.tagKey, (rules = []));
        rules.push({ value: tag.tagValue, schema: s });
      }
    }
    // Longest literal prefix first; the stable sort keeps name order among equals.
    this.#aliasRules.sort((a, b) => b.prefix - a.prefix);
    for (const rules of this.#tagRules.values()) rules.sort((a, b) => Number(b.value !== undefined) - Number(a.value !== undefined));
    this.hasAliasRules = this.#aliasRules.length > 0;
    this.detectionOverride = this.schemas.some((s) => s.document.secretDetection !== undefined);
  }

  get size(): number {
    return this.schemas.length;
  }

  get(name: string): CompiledSchema | undefined {
    return this.schemas.find((s) => s.name === name);
  }

  /** The schema governing a key with these tags and aliases, or undefined. */
  select(keyId: string, tags: readonly Tag[], aliases: readonly string[]): SchemaMatch | undefined {
    const direct = this.#byKeyId.get(keyId);
    if (direct) return { schema: direct, matchedBy: 'key-id' };
    if (aliases.length > 0) {
      for (const rule of this.#aliasRules) {
        for (const alias of aliases) if (globMatch(rule.pattern, alias)) return { schema: rule.schema, matchedBy: 'alias' };
      }
    }
    if (tags.length > 0 && this.#tagRules.size > 0) {
      let best: TagRule | undefined;
      for (const tag of tags) {
        const rules = this.#tagRules.get(tag.TagKey);
        if (!rules) continue;
        for (const r of rules) {
          if (r.value !== undefined && r.value !== tag.TagValue) continue;
          if (!best || (r.value !== undefined && best.value === undefined) || ((r.value !== undefined) === (best.value !== undefined) && byName(r.schema, best.schema) < 0)) best = r;
        }
      }
      if (best) return { schema: best.schema, matchedBy: 'tag' };
    }
    return undefined;
  }
}
