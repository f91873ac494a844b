// An SDK response as the AWS CLI shows it: `$metadata` dropped, blobs as base64, timestamps as
// ISO-8601 in the local time zone with microseconds (Python's datetime.isoformat(), which the
// AWS CLI v2 prints: `2026-11-29T00:38:44.110000+00:00`).

export type CliValue = string | number | boolean | null | CliValue[] | { [key: string]: CliValue };

export function toCliValue(value: unknown): CliValue | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return isoTimestamp(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map((v) => toCliValue(v) ?? null);
  if (typeof value === 'object') {
    const out: Record<string, CliValue> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$metadata') continue;
      const c = toCliValue(v);
      if (c !== undefined) out[k] = c;
    }
    return out;
  }
  return String(value);
}

const pad = (n: number, width = 2): string => String(Math.trunc(n)).padStart(width, '0');

/** `YYYY-MM-DDTHH:MM:SS[.ffffff]±HH:MM` in the local zone, microseconds only when non-zero. */
export function isoTimestamp(d: Date, offsetMinutes = -d.getTimezoneOffset()): string {
  const local = new Date(d.getTime() + offsetMinutes * 60_000);
  const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const ms = local.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${pad(ms * 1000, 6)}`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${date}T${time}${fraction}${sign}${pad(abs / 60)}:${pad(abs % 60)}`;
}
