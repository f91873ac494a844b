// Splits a context key into lower-case words (snake_case, kebab-case, camelCase, PascalCase,
// acronyms: `SecretARN` → secret, arn; `apiKey` → api, key; `X-API-Key` → x, api, key).

export function keyWords(key: string): string[] {
  const words: string[] = [];
  let word = '';
  const flush = () => {
    if (word) words.push(word.toLowerCase());
    word = '';
  };
  for (let i = 0; i < key.length; i++) {
    const ch = key[i]!;
    const c = key.charCodeAt(i);
    const upper = c >= 65 && c <= 90;
    const lower = c >= 97 && c <= 122;
    const digit = c >= 48 && c <= 57;
    if (!upper && !lower && !digit) {
      flush();
      continue;
    }
    if (upper && word) {
      const prev = key.charCodeAt(i - 1);
      const prevLower = (prev >= 97 && prev <= 122) || (prev >= 48 && prev <= 57);
      const next = key.charCodeAt(i + 1);
      const nextLower = next >= 97 && next <= 122;
      const prevUpper = prev >= 65 && prev <= 90;
      // camelCase boundary (aB) or the end of an acronym (ARNs → AR|Ns is wrong, so only before a lower-case run: APIKey → API|Key)
      if (prevLower || (prevUpper && nextLower)) flush();
    }
    word += ch;
  }
  flush();
  return words;
}

/** Lower case with separators removed: `Customer_ID`, `customerId` and `customer-id` all give `customerid`. */
export const squashKey = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');
