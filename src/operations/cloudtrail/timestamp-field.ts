// awsJson1.1 timestamps: epoch seconds as a JSON number (fractions allowed). ISO-8601 strings are
// accepted too, as some hand-written clients send them.

import { KontextError } from '../../errors.ts';
import type { Field } from '../validate.ts';

/** A timestamp parsed to epoch milliseconds. */
export function timestampField(): Field<number> & { required: false } {
  return {
    required: false,
    read(value, path) {
      let ms = Number.NaN;
      if (typeof value === 'number') ms = value * 1000;
      else if (typeof value === 'string' && value.trim() !== '') {
        const asNumber = Number(value);
        ms = Number.isFinite(asNumber) ? asNumber * 1000 : Date.parse(value);
      }
      // The range a Date can hold, so every accepted time can be printed.
      if (Number.isFinite(ms) && Math.abs(ms) <= 8.64e15) return Math.round(ms);
      throw new KontextError('SerializationException', `Value at '${path}' is not a timestamp: expected epoch seconds`);
    },
  };
}

/**
 * Event times are shown to the second, so a range is applied to whole seconds: an event at
 * 12:00:00.700 is inside a range that ends at 12:00:00.
 */
export function secondRange(startMs: number | undefined, endMs: number | undefined): { startTime: number | undefined; endTime: number | undefined } {
  return {
    startTime: startMs === undefined ? undefined : Math.ceil(startMs / 1000) * 1000,
    endTime: endMs === undefined ? undefined : Math.floor(endMs / 1000) * 1000 + 999,
  };
}

export function checkTimeRange(startMs: number | undefined, endMs: number | undefined): void {
  if (startMs !== undefined && endMs !== undefined && startMs > endMs) {
    throw new KontextError('InvalidTimeRangeException', 'The start time must not be later than the end time');
  }
}

export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
