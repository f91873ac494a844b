// Luhn checksum and payment-card issuer ranges: a 13–19 digit run counts as a card number only when
// it passes Luhn AND its prefix and length belong to a real card brand, so that arbitrary numeric
// ids (one in ten of which pass Luhn by chance) are not mistaken for cards.

/** Luhn over `digits` (ASCII '0'..'9' only). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const prefixNumber = (digits: string, n: number): number => Number(digits.slice(0, n));

/** True when the prefix (IIN) and length are those of a major card brand. */
export function cardBrandMatches(digits: string): boolean {
  const len = digits.length;
  const p1 = digits.charCodeAt(0) - 48;
  const p2 = prefixNumber(digits, 2);
  const p3 = prefixNumber(digits, 3);
  const p4 = prefixNumber(digits, 4);
  const p6 = prefixNumber(digits, 6);
  if (p1 === 4) return len === 13 || len === 16 || len === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return len === 15; // American Express
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) return len >= 16 && len <= 19; // Discover
  if (p4 >= 3528 && p4 <= 3589) return len >= 16 && len <= 19; // JCB
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return len >= 14 && len <= 19; // Diners Club
  if (p2 === 62) return len >= 16 && len <= 19; // UnionPay
  if (p4 === 5018 || p4 === 5020 || p4 === 5038 || p4 === 5893 || p4 === 6304 || p4 === 6759 || p4 === 6761 || p4 === 6762 || p4 === 6763) {
    return len >= 12 && len <= 19; // Maestro
  }
  return false;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Finds a card number in `value`: a maximal run of digits joined by single spaces or dashes, not
 * touching a letter or digit on either side, with 13–19 digits in total, Luhn-valid and
 * brand-shaped. A longer run (a bigger id, a UUID made of digits) is not a card; neither is a run
 * inside a hex id.
 */
export function containsCardNumber(value: string): boolean {
  const n = value.length;
  let i = 0;
  while (i < n) {
    const c0 = value.charCodeAt(i);
    if (!isDigit(c0) || (i > 0 && isAlnum(value.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    let digits = 0;
    let j = i;
    for (;;) {
      while (j < n && isDigit(value.charCodeAt(j))) {
        digits++;
        j++;
      }
      const sep = j < n ? value.charCodeAt(j) : 0;
      if ((sep === 32 || sep === 45) && j + 1 < n && isDigit(value.charCodeAt(j + 1))) j++;
      else break;
    }
    if (digits >= 13 && digits <= 19 && (j >= n || !isAlnum(value.charCodeAt(j)))) {
      const run = value.slice(i, j).replace(/[ -]/g, '');
      if (cardBrandMatches(run) && luhnValid(run)) return true;
    }
    i = j + 1;
  }
  return false;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isAlnum(c: number): boolean {
  return isDigit(c) || isAlpha(c);
}
