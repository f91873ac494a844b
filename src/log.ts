// Structured logging (pino). Secrets never reach it: handlers log ids and outcomes, never payloads.

import { pino, type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'kontext' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 1, sync: false, minLength: 4096 }));
}
