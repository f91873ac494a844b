// Tag rules shared by CreateKey and TagResource (TagException as AWS raises it).

import { KontextError } from '../../errors.ts';
import type { Tag } from '../../keys/key-record.ts';

export const MAX_TAGS_PER_KEY = 50;

export function checkTags(tags: readonly Tag[]): void {
  for (const t of tags) {
    if (t.TagKey.toLowerCase().startsWith('aws:')) {
      throw new KontextError('TagException', `Tag keys beginning with 'aws:' are reserved: '${t.TagKey}'`);
    }
  }
}

export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map<string, Tag>(existing.map((t) => [t.TagKey, t]));
  for (const t of added) byKey.set(t.TagKey, { TagKey: t.TagKey, TagValue: t.TagValue });
  if (byKey.size > MAX_TAGS_PER_KEY) throw new KontextError('LimitExceededException', `A KMS key can have at most ${MAX_TAGS_PER_KEY} tags`);
  return [...byKey.values()];
}
