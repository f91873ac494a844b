// The audit sink that makes every event durable before its request is answered. Group commit:
// records queue up while the previous batch syncs and are then written together, in one
// transaction and one fsync. The sink keeps the
// chain tip (sequence, hash) in memory and advances it on commit; a batch that fails to commit
// leaves it unchanged, so the next batch retries the same positions and the chain has no gaps.
// Digests and retention run on the same single writer path, between batches.

import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { AuditAppend, AuditRepository } from '../store/audit-repository.ts';
import type { AuditObserver, AuditRecord, AuditSink } from './audit-sink.ts';
import { buildCloudTrailEvent, eventTimeString, serializeEvent, type CloudTrailEvent } from './cloudtrail-event.ts';
import { digestName, signDigest, type AuditSigner, type DigestContent, type DigestReason } from './digest.ts';
import { indexEntries } from './event-index.ts';
import { GENESIS_HASH, chainHash, sha256Hex } from './hash-chain.ts';
import { pruneStep, type PruneProgress } from './retention.ts';
import { checkUnsealedTail } from './startup-check.ts';
import { eventIdFor } from './event-id.ts';
import { catchUpIndex } from './index-catch-up.ts';

export interface DurableAuditSinkOptions {
  readonly repo: AuditRepository;
  readonly signer: AuditSigner;
  /** The account that owns the trail (digests) and events with no caller. */
  readonly accountId: string;
  readonly log: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly now: () => number;
  /** Seal a digest after this many events... */
  readonly digestEveryEvents: number;
  /** ...or this often when there are unsealed events (0: only by count and at shutdown). */
  readonly digestIntervalMs: number;
  /** Events older than this are removed, at digest boundaries (0: keep forever). */
  readonly retentionMs: number;
  /** How often retention runs. */
  readonly retentionCheckMs?: number;
  /** Most events in one transaction. */
  readonly maxBatch?: number;
}

interface Pending {
  readonly time: number;
  readonly index: AuditAppend['index'];
  /** Complete but for its eventID, which is made from the sequence number when the batch is written. */
  readonly event: CloudTrailEvent;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

interface Unsealed {
  count: number;
  oldest: number | undefined;
  newest: number | undefined;
}

interface Tip {
  readonly nextSeq: number;
  readonly prevHash: Buffer;
  readonly lastTime: number;
  readonly digest: DigestTip | undefined;
  readonly trailStart: number;
  readonly unsealed: Unsealed;
}

interface DigestTip {
  readonly number: number;
  readonly name: string;
  readonly bodyHash: string;
  readonly signature: string;
  readonly lastSeq: number;
  /** The sealed chain hash (hex): where the next digest's range starts from. */
  readonly chainHash: string;
  readonly endTime: number;
}

export interface SinkState {
  readonly nextSeq: number;
  readonly trailStart: number;
  readonly lastDigestNumber: number;
  readonly unsealedEvents: number;
}

const DEFAULT_MAX_BATCH = 1024;
/**
 * Batches committed and waiting for their sync. One (commit only once the previous batch is
 * durable) made the cheapest batches but serialized the work: with every connection waiting on
 * the same sync, no request was processed while the disk worked, so at 32 connections the server
 * alternated between CPU and fsync. Several let the requests answered by one sync be processed
 * while the next runs; the store still coalesces them into one fsync at a time.
 */
const MAX_UNSYNCED_BATCHES = 8;

export class DurableAuditSink implements AuditSink {
  readonly #o: DurableAuditSinkOptions;
  readonly #maxBatch: number;
  #queue: Pending[] = [];
  readonly #tasks: Array<() => Promise<void>> = [];
  #scheduled = false;
  #running: Promise<void> | undefined;
  #closed = false;
  #timers: NodeJS.Timeout[] = [];
  readonly #observers: AuditObserver[] = [];
  /** Batches committed and not yet reported durable. */
  readonly #syncing = new Set<Promise<void>>();

  // Chain tip: what is committed (durable, or about to be).
  #nextSeq: number;
  #prevHash: Buffer;
  #lastTime: number;
  #digest: DigestTip | undefined;
  #trailStart: number;
  #unsealed: Unsealed;
  #prune: PruneProgress | undefined;

  private constructor(o: DurableAuditSinkOptions, tip: Tip) {
    this.#o = o;
    this.#maxBatch = o.maxBatch ?? DEFAULT_MAX_BATCH;
    this.#nextSeq = tip.nextSeq;
    this.#prevHash = tip.prevHash;
    this.#lastTime = tip.lastTime;
    this.#digest = tip.digest;
    this.#trailStart = tip.trailStart;
    this.#unsealed = tip.unsealed;
  }

  /** Loads the chain tip from the store, seals events a crash left unsealed, starts the timers. */
  static async open(o: DurableAuditSinkOptions): Promise<DurableAuditSink> {
    const indexed = await catchUpIndex(o.repo);
    if (indexed > 0) o.log.warn({ events: indexed }, 'audit trail: indexed events a crash left unindexed');
    const last = await o.repo.lastEvent();
    const lastDigest = await o.repo.lastDigest();
    let digest: DigestTip | undefined;
    let trailStart = 1;
    if (lastDigest) {
      const content = JSON.parse(lastDigest.body) as DigestContent;
      digest = {
        number: lastDigest.number,
        name: content.digestName,
        bodyHash: sha256Hex(lastDigest.body),
        signature: lastDigest.signature,
        lastSeq: content.lastSequence,
        chainHash: content.chainHash,
        endTime: lastDigest.endTime,
      };
      trailStart = content.trailStartSequence;
    } else {
      trailStart = (await o.repo.firstEvent())?.seq ?? 1;
    }
    const sealedThrough = digest?.lastSeq ?? trailStart - 1;
    const unsealedCount = last ? Math.max(0, last.seq - sealedThrough) : 0;
    const unsealed: Unsealed = { count: unsealedCount, oldest: undefined, newest: undefined };
    if (unsealedCount > 0 && last) {
      unsealed.oldest = (await o.repo.events(sealedThrough + 1, 1))[0]?.time;
      unsealed.newest = last.time;
    }
    const sink = new DurableAuditSink(o, {
      nextSeq: last ? last.seq + 1 : trailStart,
      prevHash: last ? last.hash : GENESIS_HASH,
      lastTime: last?.time ?? 0,
      digest,
      trailStart,
      unsealed,
    });
    if (unsealedCount > 0) {
      const problem = await checkUnsealedTail(o.repo, sealedThrough, lastDigest);
      if (problem) o.log.error({ problem }, 'audit trail: the events after the last digest do not chain; sealing them anyway so the break stays visible to verify');
      else o.log.warn({ events: unsealedCount, fromSeq: sealedThrough + 1 }, 'audit trail: sealing events left unsealed by an unclean shutdown');
      await sink.seal('startup');
    }
    sink.#startTimers();
    return sink;
  }

  #startTimers(): void {
    if (this.#o.digestIntervalMs > 0) {
      const t = setInterval(() => {
        if (this.#unsealed.count > 0) this.#enqueue(() => this.#seal('interval'));
      }, this.#o.digestIntervalMs);
      t.unref();
      this.#timers.push(t);
    }
    if (this.#o.retentionMs > 0) {
      const check = () => this.#enqueue(() => this.#retain());
      check();
      const t = setInterval(check, this.#o.retentionCheckMs ?? 3_600_000);
      t.unref();
      this.#timers.push(t);
    }
  }

  subscribe(observer: AuditObserver): void {
    this.#observers.push(observer);
  }

  state(): SinkState {
    return { nextSeq: this.#nextSeq, trailStart: this.#trailStart, lastDigestNumber: this.#digest?.number ?? 0, unsealedEvents: this.#unsealed.count };
  }

  record(r: AuditRecord): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('The audit trail is closed'));
    // Built here; serialized once, when its batch is written and its eventID known.
    const event = buildCloudTrailEvent(r, { eventId: '', defaultAccountId: this.#o.accountId });
    const index = indexEntries(event);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ time: r.completedAt, index, event, resolve, reject });
      this.#schedule();
    });
  }

  /** Seals the unsealed events in a digest, after the writes queued before it. */
  seal(reason: DigestReason = 'request'): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#enqueue(() => this.#seal(reason).then(resolve, (err: unknown) => {
        reject(err);
        throw err;
      }));
    });
  }

  /** Runs retention now (normally on a timer); resolves when this pass is done. */
  retainNow(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#enqueue(async () => {
        try {
          await this.#retain();
          while (this.#prune) await this.#pruneChunk();
          resolve();
        } catch (err) {
          reject(err);
          throw err;
        }
      });
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    await this.#drain();
    if (this.#unsealed.count > 0) await this.seal('shutdown').catch((err: unknown) => this.#o.log.error({ err }, 'audit trail: final digest failed'));
    this.#closed = true;
    await this.#drain();
    await Promise.all([...this.#syncing]);
  }

  #enqueue(task: () => Promise<void>): void {
    this.#tasks.push(task);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || this.#running) return;
    this.#scheduled = true;
    // setImmediate, not a microtask: records from every request finishing in this I/O phase join.
    setImmediate(() => {
      this.#scheduled = false;
      void this.#drain();
    });
  }

  #drain(): Promise<void> {
    this.#running ??= this.#loop().finally(() => {
      this.#running = undefined;
      if (this.#queue.length > 0 || this.#tasks.length > 0 || this.#prune) this.#schedule();
    });
    return this.#running;
  }

  async #loop(): Promise<void> {
    while (this.#queue.length > 0 || this.#tasks.length > 0 || this.#prune) {
      if (this.#queue.length > 0) {
        // Commit now unless several batches already wait for their sync (MAX_UNSYNCED_BATCHES).
        while (this.#syncing.size >= MAX_UNSYNCED_BATCHES) await Promise.race(this.#syncing);
        const batch = this.#queue.length <= this.#maxBatch ? this.#queue : this.#queue.slice(0, this.#maxBatch);
        this.#queue = this.#queue.length <= this.#maxBatch ? [] : this.#queue.slice(this.#maxBatch);
        await this.#writeBatch(batch);
      }
      // One task between batches: digests and retention progress under constant load.
      const task = this.#tasks.shift();
      if (task) await task().catch((err: unknown) => this.#o.log.error({ err }, 'audit trail: background task failed'));
      else if (this.#prune) await this.#pruneChunk().catch((err: unknown) => this.#o.log.error({ err }, 'audit trail: retention failed'));
    }
  }

  async #writeBatch(batch: Pending[]): Promise<void> {
    const rows: AuditAppend[] = [];
    let seq = this.#nextSeq;
    let prev = this.#prevHash;
    let time = this.#lastTime;
    for (const p of batch) {
      // Times never decrease along the chain, so a time range is a sequence range.
      time = Math.max(time, p.time);
      (p.event as { eventID: string }).eventID = eventIdFor(seq, p.time);
      const body = serializeEvent(p.event);
      const hash = chainHash(prev, seq, body);
      rows.push({ seq, time, body, hash, index: p.index });
      prev = hash;
      seq++;
    }
    const started = performance.now();
    const failed = (err: unknown) => {
      this.#o.log.error({ err, events: batch.length, fromSeq: rows[0]?.seq }, 'audit trail: write failed; the requests fail');
      for (const p of batch) p.reject(err);
      this.#notify((o) => o.batchWritten?.(batch.length, (performance.now() - started) / 1000, false));
    };
    // The next batch may chain on this one as soon as it is committed; its requests are answered
    // only once it is durable. So batches are inserted while the previous one syncs.
    let markCommitted!: () => void;
    const committed = new Promise<'committed'>((resolve) => (markCommitted = () => resolve('committed')));
    const durable = this.#o.repo.append(rows, () => markCommitted());
    const first = await Promise.race([committed, durable.then(() => 'durable' as const, (err: unknown) => ({ err }))]);
    if (typeof first === 'object') {
      // Not committed: the tip stays, and the next batch retries the same positions.
      failed(first.err);
      return;
    }
    this.#nextSeq = seq;
    this.#prevHash = prev;
    this.#unsealed.oldest ??= (rows[0] as AuditAppend).time;
    this.#unsealed.newest = time;
    this.#unsealed.count += rows.length;
    this.#lastTime = time;
    if (this.#unsealed.count >= this.#o.digestEveryEvents) this.#enqueue(() => this.#seal('count'));
    const settled = durable.then(
      () => {
        for (const p of batch) p.resolve();
        const seconds = (performance.now() - started) / 1000;
        this.#notify((o) => {
          o.batchWritten?.(rows.length, seconds, true);
          o.committed?.(rows.map((row, i) => ({ seq: row.seq, time: row.time, event: (batch[i] as Pending).event })));
        });
      },
      // Committed but not durable (the sync failed): the requests fail; the events stay in the trail.
      failed,
    );
    this.#syncing.add(settled);
    void settled.finally(() => this.#syncing.delete(settled));
  }

  /** Observers never fail a write: whatever they throw is logged. */
  #notify(call: (o: AuditObserver) => void): void {
    for (const o of this.#observers) {
      try {
        call(o);
      } catch (err) {
        this.#o.log.error({ err }, 'audit trail: an observer failed');
      }
    }
  }

  async #seal(reason: DigestReason): Promise<void> {
    if (this.#unsealed.count === 0 && reason !== 'retention' && reason !== 'request') return;
    const now = this.#o.now();
    const number = (this.#digest?.number ?? 0) + 1;
    const lastSeq = this.#nextSeq - 1;
    const firstSeq = (this.#digest?.lastSeq ?? this.#trailStart - 1) + 1;
    const endTime = Math.max(now, this.#digest?.endTime ?? 0);
    const content: DigestContent = {
      digestVersion: '1.0',
      awsAccountId: this.#o.accountId,
      digestName: digestName(number, endTime),
      digestNumber: number,
      digestStartTime: eventTimeString(this.#digest?.endTime ?? this.#unsealed.oldest ?? endTime),
      digestEndTime: eventTimeString(endTime),
      digestReason: reason,
      digestPublicKeyFingerprint: this.#o.signer.fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      previousDigestName: this.#digest?.name ?? null,
      previousDigestHashValue: this.#digest?.bodyHash ?? null,
      previousDigestHashAlgorithm: 'SHA-256',
      previousDigestSignature: this.#digest?.signature ?? null,
      trailStartSequence: this.#prune?.newTrailStart ?? this.#trailStart,
      firstSequence: firstSeq,
      lastSequence: lastSeq,
      eventCount: Math.max(0, lastSeq - firstSeq + 1),
      oldestEventTime: this.#unsealed.oldest === undefined ? null : eventTimeString(this.#unsealed.oldest),
      newestEventTime: this.#unsealed.newest === undefined ? null : eventTimeString(this.#unsealed.newest),
      // Each digest starts where the previous one sealed (the genesis hash for the first), so
      // nothing is read back from the store, where retention may have removed that event.
      previousChainHash: this.#digest?.chainHash ?? GENESIS_HASH.toString('hex'),
      chainHash: this.#prevHash.toString('hex'),
      chainHashAlgorithm: 'SHA-256',
    };
    const signed = signDigest(content, this.#o.signer);
    await this.#o.repo.appendDigest({ number, firstSeq, lastSeq, endTime, body: signed.body, signature: signed.signature });
    this.#digest = { number, name: content.digestName, bodyHash: sha256Hex(signed.body), signature: signed.signature, lastSeq, chainHash: content.chainHash, endTime };
    this.#trailStart = content.trailStartSequence;
    this.#unsealed = { count: 0, oldest: undefined, newest: undefined };
  }

  async #retain(): Promise<void> {
    if (this.#prune) return;
    const digests = await this.#o.repo.digests();
    const first = await this.#o.repo.firstEvent();
    if (first && first.seq < this.#trailStart) {
      // A retention pass was interrupted after its digest: finish the deletes.
      const anchor = digests.find((d) => (JSON.parse(d.body) as DigestContent).lastSequence === this.#trailStart - 1);
      this.#prune = { anchorNumber: anchor?.number ?? 0, newTrailStart: this.#trailStart, nextSeq: first.seq };
      return;
    }
    if (this.#o.retentionMs <= 0) return;
    const cutoff = this.#o.now() - this.#o.retentionMs;
    // The newest digest whose events are all older than the cutoff becomes the anchor.
    let anchor: { number: number; lastSeq: number } | undefined;
    for (const d of digests) {
      const content = JSON.parse(d.body) as DigestContent;
      if (content.lastSequence < this.#trailStart || content.eventCount === 0) continue;
      const newest = content.newestEventTime === null ? undefined : Date.parse(content.newestEventTime);
      if (newest !== undefined && newest < cutoff) anchor = { number: d.number, lastSeq: content.lastSequence };
    }
    if (!anchor) return;
    this.#prune = { anchorNumber: anchor.number, newTrailStart: anchor.lastSeq + 1, nextSeq: first?.seq ?? this.#trailStart };
    // First the signed statement of where the trail now starts, then the deletes: a crash in
    // between leaves extra old events, never a trail that looks truncated.
    await this.#seal('retention');
    this.#o.log.info({ trailStart: this.#prune.newTrailStart, anchorDigest: anchor.number }, 'audit trail: retention removing old events');
  }

  async #pruneChunk(): Promise<void> {
    const progress = this.#prune;
    if (!progress) return;
    const next = await pruneStep(this.#o.repo, progress);
    this.#prune = next;
  }
}
