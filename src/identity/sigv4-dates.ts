// The date formats SigV4 requests carry (ISO-8601 basic and HTTP dates), parsed without Date's
// lenient parser so malformed values are refused.

/** Seconds since the epoch for YYYYMMDDTHHMMSSZ, or NaN. */
export function parseIsoBasic(value: string): number {
  if (value.length !== 16 || value.charCodeAt(8) !== 84 /* T */ || value.charCodeAt(15) !== 90 /* Z */) {
    return NaN;
  }
  const year = digits(value, 0, 4);
  const month = digits(value, 4, 2);
  const day = digits(value, 6, 2);
  const hour = digits(value, 9, 2);
  const minute = digits(value, 11, 2);
  const second = digits(value, 13, 2);
  return toEpochSeconds(year, month, day, hour, minute, second);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Seconds since the epoch for an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") or ISO basic date, or NaN. */
export function parseHttpDate(value: string): number {
  if (value.length === 16) return parseIsoBasic(value);
  if (value.length !== 29 || value[3] !== ',' || value[4] !== ' ' || !value.endsWith(' GMT')) return NaN;
  const month = MONTHS.indexOf(value.slice(8, 11)) + 1;
  if (month === 0 || value[7] !== ' ' || value[11] !== ' ' || value[16] !== ' ') return NaN;
  if (value[19] !== ':' || value[22] !== ':') return NaN;
  return toEpochSeconds(
    digits(value, 12, 4), month, digits(value, 5, 2),
    digits(value, 17, 2), digits(value, 20, 2), digits(value, 23, 2),
  );
}

function digits(value: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

function toEpochSeconds(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59)) return NaN;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day > monthDays) return NaN;
  // Days from civil (Howard Hinnant): integer arithmetic, no Date allocation on the hot path.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

export function formatIsoBasic(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString(); // 2015-08-30T12:36:00.000Z
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
}
