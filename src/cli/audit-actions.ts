// What the `kontext audit` subcommands do (registered in audit-command.ts).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { DEFAULT_CONFIG } from '../config.ts';
import { searchAuditEvents } from '../audit/audit-query.ts';
import { eventErrorCode } from '../audit/cloudtrail-event.ts';
import { publicKeyFingerprint } from '../audit/digest.ts';
import { AuditAttr, contextPairValue, type IndexTerm } from '../audit/event-index.ts';
import { readAuditPublicKey } from '../audit/signing-key.ts';
import { storeTrailSource } from '../audit/store-trail-source.ts';
import { exportTrail, exportTrailSource, readExportPublicKey } from '../audit/trail-export.ts';
import { verifyTrail, type TrailSource, type VerifyReport } from '../audit/verify-trail.ts';
import { openSqliteAuditReader, type SqliteAuditReader } from '../store/sqlite/audit-reader.ts';
import { parseShorthand } from './args/shorthand.ts';
import type { AuditCommandIo, DataDirOption, QueryOptions } from './audit-command.ts';
import { CliError, EXIT, usageError } from './cli-error.ts';
import { connectionOptions } from './connection-options.ts';
import { callKontext } from './schema-client.ts';

function openReader(opts: DataDirOption, io: AuditCommandIo): SqliteAuditReader {
  const dir = opts.dataDir ?? io.env['KONTEXT_DATA_DIR'] ?? DEFAULT_CONFIG.dataDir;
  try {
    return openSqliteAuditReader(join(dir, 'kontext.db'));
  } catch (err) {
    throw new CliError(`kontext: cannot read the audit trail in ${dir}: ${(err as Error).message}`, EXIT.config);
  }
}

function positive(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw usageError('expected a positive integer', flag);
  return n;
}

function time(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const ms = Number.isFinite(n) ? n * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) throw usageError('expected an ISO-8601 time or epoch seconds', flag);
  return ms;
}

function contextPairs(value: string | undefined): Record<string, string> {
  if (value === undefined) return {};
  try {
    const parsed = value.trim().startsWith('{') ? (JSON.parse(value) as unknown) : parseShorthand(value);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) throw new Error('expected key=value pairs');
    return parsed as Record<string, string>;
  } catch (err) {
    throw usageError((err as Error).message, '--encryption-context');
  }
}

// ---- query ----

export async function runQuery(opts: QueryOptions, io: AuditCommandIo): Promise<void> {
  const max = positive(opts.maxItems, '--max-items', 100);
  const context = contextPairs(opts.encryptionContext);
  const startTime = time(opts.startTime, '--start-time');
  const endTime = time(opts.endTime, '--end-time');
  if (opts.dataDir === undefined) return queryServer(opts, io, max, context, startTime, endTime);
  const reader = openReader(opts, io);
  try {
    const account = opts.accountId ?? io.env['KONTEXT_ACCOUNT_ID'] ?? DEFAULT_CONFIG.accountId;
    const terms: IndexTerm[] = [
      ...Object.entries(context).map(([k, v]) => ({ attr: AuditAttr.ContextPair, value: contextPairValue(k, v) })),
      ...(opts.contextKey ?? []).map((k) => ({ attr: AuditAttr.ContextKey, value: k })),
    ];
    const add = (attr: IndexTerm['attr'], value: string | undefined) => value !== undefined && terms.push({ attr, value });
    add(AuditAttr.PrincipalArn, opts.principalArn);
    add(AuditAttr.ResourceName, opts.keyId);
    add(AuditAttr.EventName, opts.eventName);
    add(AuditAttr.EventSource, opts.eventSource);
    add(AuditAttr.ErrorCode, opts.errorCode && eventErrorCode(opts.errorCode));
    add(AuditAttr.Username, opts.username);
    add(AuditAttr.AccessKeyId, opts.accessKeyId);
    let printed = 0;
    let nextToken: string | undefined;
    do {
      const page = await searchAuditEvents(reader.audit, { account, terms, startTime, endTime, limit: Math.min(1000, max - printed), nextToken });
      for (const e of page.events) io.write(`${e.body}\n`);
      printed += page.events.length;
      nextToken = page.nextToken;
    } while (nextToken && printed < max);
  } finally {
    reader.close();
  }
}

async function queryServer(opts: QueryOptions, io: AuditCommandIo, max: number, context: Record<string, string>, startTime: number | undefined, endTime: number | undefined): Promise<void> {
  const input = {
    ...(Object.keys(context).length > 0 ? { EncryptionContext: context } : {}),
    ...(opts.contextKey ? { EncryptionContextKeys: opts.contextKey } : {}),
    ...(opts.principalArn !== undefined ? { PrincipalArn: opts.principalArn } : {}),
    ...(opts.keyId !== undefined ? { KeyArn: opts.keyId } : {}),
    ...(opts.eventName !== undefined ? { EventName: opts.eventName } : {}),
    ...(opts.eventSource !== undefined ? { EventSource: opts.eventSource } : {}),
    ...(opts.errorCode !== undefined ? { ErrorCode: opts.errorCode } : {}),
    ...(opts.username !== undefined ? { Username: opts.username } : {}),
    ...(opts.accessKeyId !== undefined ? { AccessKeyId: opts.accessKeyId } : {}),
    ...(startTime !== undefined ? { StartTime: startTime / 1000 } : {}),
    ...(endTime !== undefined ? { EndTime: endTime / 1000 } : {}),
  };
  let printed = 0;
  let nextToken: string | undefined;
  do {
    const page = await callKontext('QueryAuditEvents', { ...input, MaxResults: Math.min(1000, max - printed), ...(nextToken ? { NextToken: nextToken } : {}) }, connectionOptions(opts), io.env, io.userAgent);
    const events = (page['Events'] ?? []) as Array<{ Event: unknown }>;
    for (const e of events) io.write(`${JSON.stringify(e.Event)}\n`);
    printed += events.length;
    nextToken = typeof page['NextToken'] === 'string' ? page['NextToken'] : undefined;
  } while (nextToken && printed < max);
}

// ---- verify ----

function trustedKeyFromFile(file: string): { fingerprint: string; key: KeyObject } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw usageError(`cannot read ${file}: ${(err as Error).message}`, '--public-key');
  }
  try {
    const key = text.trim().startsWith('{')
      ? createPublicKey({ key: Buffer.from((JSON.parse(text) as { publicKey: string }).publicKey, 'base64'), format: 'der', type: 'spki' })
      : createPublicKey(text);
    return { fingerprint: publicKeyFingerprint(key.export({ type: 'spki', format: 'der' })), key };
  } catch (err) {
    throw usageError(`not a public key: ${(err as Error).message}`, '--public-key');
  }
}

export function describeReport(r: VerifyReport, fingerprint: string): string {
  const range = r.firstSequence !== undefined ? ` (seq ${r.firstSequence}–${r.lastSequence ?? r.firstSequence})` : '';
  const lines: string[] = [];
  if (r.ok) {
    lines.push(`Audit trail verified: ${r.eventsChecked} events${range}, ${r.digestsChecked} signed digests, sealed through seq ${r.sealedThrough}`);
  } else {
    lines.push(`Audit trail FAILED verification after ${r.eventsChecked} good events${range}`);
    const [first, ...rest] = r.problems;
    if (first) lines.push(`  first problem [${first.kind}]: ${first.message}`);
    for (const p of rest) lines.push(`  also [${p.kind}]: ${p.message}`);
  }
  if (r.unsealedEvents > 0) lines.push(`  ${r.unsealedEvents} event(s) after the last digest are chained but not yet signed`);
  if (r.trailStartSequence > 1) lines.push(`  retention: the trail starts at seq ${r.trailStartSequence}${r.pendingDeletion > 0 ? ` (${r.pendingDeletion} older events awaiting deletion)` : ''}`);
  lines.push(`  public key fingerprint (SHA-256): ${fingerprint}`);
  return `${lines.join('\n')}\n`;
}

export async function runVerify(opts: DataDirOption & { export?: string; publicKey?: string; json?: boolean }, io: AuditCommandIo): Promise<void> {
  let source: TrailSource;
  let trusted: { fingerprint: string; key: KeyObject } | undefined = opts.publicKey ? trustedKeyFromFile(opts.publicKey) : undefined;
  let reader: SqliteAuditReader | undefined;
  try {
    if (opts.export) {
      source = exportTrailSource(opts.export);
      if (!trusted) {
        try {
          trusted = readExportPublicKey(opts.export);
        } catch (err) {
          throw new CliError(`kontext: the export has no readable public key (${(err as Error).message}): pass --public-key`, EXIT.config);
        }
      }
    } else {
      reader = openReader(opts, io);
      source = storeTrailSource(reader.audit);
      trusted ??= await readAuditPublicKey(reader.meta);
      if (!trusted) throw new CliError('kontext: this data directory has no audit signing key: the server has not run with auditing on', EXIT.config);
    }
    const report = await verifyTrail(source, new Map([[trusted.fingerprint, trusted.key]]));
    io.write(opts.json ? `${JSON.stringify({ ...report, publicKeyFingerprint: trusted.fingerprint }, null, 2)}\n` : describeReport(report, trusted.fingerprint));
    if (!report.ok) process.exitCode = 1;
  } finally {
    reader?.close();
  }
}

// ---- export ----

export async function runExport(opts: DataDirOption & { out: string; eventsPerFile?: string }, io: AuditCommandIo): Promise<void> {
  const reader = openReader(opts, io);
  try {
    const key = await readAuditPublicKey(reader.meta);
    if (!key) throw new CliError('kontext: this data directory has no audit signing key: the server has not run with auditing on', EXIT.config);
    const firstDigest = (await reader.audit.digests())[0];
    const accountId = firstDigest ? String((JSON.parse(firstDigest.body) as { awsAccountId?: string }).awsAccountId ?? DEFAULT_CONFIG.accountId) : (io.env['KONTEXT_ACCOUNT_ID'] ?? DEFAULT_CONFIG.accountId);
    const summary = await exportTrail(reader.audit, key, opts.out, { accountId, eventsPerFile: positive(opts.eventsPerFile, '--events-per-file', 5000) });
    io.write(`Exported ${summary.events} events${summary.firstSequence !== undefined ? ` (seq ${summary.firstSequence}–${summary.lastSequence})` : ''} in ${summary.logFiles} log files, ${summary.digestFiles} digests and the public key to ${opts.out}\n`);
  } finally {
    reader.close();
  }
}

// ---- tail ----

export async function runTail(opts: DataDirOption & { fromSeq?: string; interval?: string; count?: string }, io: AuditCommandIo): Promise<void> {
  const reader = openReader(opts, io);
  const interval = positive(opts.interval, '--interval', 500);
  const limit = opts.count === undefined ? Infinity : positive(opts.count, '--count', 1);
  let next = opts.fromSeq !== undefined ? positive(opts.fromSeq, '--from-seq', 1) : ((await reader.audit.lastEvent())?.seq ?? 0) + 1;
  let printed = 0;
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    while (!stopped && printed < limit) {
      const rows = await reader.audit.events(next, Math.min(1000, limit - printed));
      for (const r of rows) io.write(`${r.body}\n`);
      printed += rows.length;
      const last = rows[rows.length - 1];
      if (last) next = last.seq + 1;
      else await new Promise((resolve) => setTimeout(resolve, interval));
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    reader.close();
  }
}
