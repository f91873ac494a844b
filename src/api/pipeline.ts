// The one place a request passes through: authenticate → resolve operation → validate →
// authorize (inside the handler, via Services.authorizer) → handle → audit → respond.
// Protocol framings (awsJson1.1, Query) decode the body before and encode the outcome after.

import type { Logger } from 'pino';
import { KontextError, isKontextError } from '../errors.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import { claimedCredential } from '../audit/claimed-credential.ts';
import type { Caller } from '../identity/caller.ts';
import type { AuditNotes, OperationContext, OperationSpec, RequestMeta, ServiceName } from '../operations/operation.ts';
import type { Services } from '../services.ts';
import { UNKNOWN_OPERATION, type KontextMetrics } from '../monitor/metrics.ts';

export interface Outcome {
  readonly output?: unknown;
  readonly error?: KontextError;
}

export interface PipelineRequest {
  readonly meta: RequestMeta;
  readonly service: ServiceName;
  readonly operationName: string;
  readonly caller: Caller;
  readonly region: string;
  /** Decodes the body into the operation's raw input (JSON parse, Query params). */
  readonly decode: () => unknown;
}

/** Errors we did not type become a generic internal error; the details go to the log only. */
export function toWireError(err: unknown, log: Logger, requestId: string): KontextError {
  if (isKontextError(err)) return err;
  log.error({ err, requestId }, 'unhandled error');
  return new KontextError('KMSInternalException', 'An internal error occurred', 'unhandled exception; see the server log');
}

export class Pipeline {
  readonly #services: Services;
  readonly #audit: AuditSink;
  readonly #log: Logger;
  readonly #metrics: KontextMetrics | undefined;
  readonly #logRequests: boolean;

  constructor(services: Services, audit: AuditSink) {
    this.#services = services;
    this.#audit = audit;
    this.#log = services.log;
    this.#metrics = services.monitor?.metrics;
    this.#logRequests = this.#log.isLevelEnabled('debug');
  }

  async execute(spec: OperationSpec<unknown, unknown> | undefined, req: PipelineRequest): Promise<Outcome> {
    const notes: AuditNotes = { resources: [], reason: undefined, extraRequestParameters: {} };
    let input: unknown;
    let output: unknown;
    let error: KontextError | undefined;
    try {
      if (!spec) throw new KontextError('UnknownOperationException', `Unknown operation ${req.operationName}`);
      input = spec.parse(req.decode());
      const ctx: OperationContext = { meta: req.meta, region: req.region, caller: req.caller, services: this.#services, audit: notes };
      output = await spec.handle(input, ctx);
    } catch (err) {
      error = toWireError(err, this.#log, req.meta.requestId);
    }
    let requestParameters: Record<string, unknown> | null = null;
    let responseElements: Record<string, unknown> | null = null;
    if (spec && input !== undefined) {
      requestParameters = spec.requestParameters(input);
      if (requestParameters && Object.keys(notes.extraRequestParameters).length > 0) {
        requestParameters = { ...requestParameters, ...notes.extraRequestParameters };
      }
      if (!error && spec.responseElements) responseElements = spec.responseElements(output);
    }
    try {
      await this.#audit.record({
        meta: req.meta,
        service: req.service,
        eventName: req.operationName,
        region: req.region,
        caller: req.caller,
        readOnly: spec?.readOnly ?? true,
        requestParameters,
        responseElements,
        error: error && { code: error.code, message: error.message, reason: error.reason },
        notes,
        completedAt: this.#services.now(),
      });
    } catch (err) {
      // No unaudited operation is acknowledged: a failed audit write fails the request.
      this.#log.error({ err, requestId: req.meta.requestId }, 'audit write failed');
      this.#metrics?.requestDone(req.service, spec ? req.operationName : UNKNOWN_OPERATION, 'KMSInternalException', this.#services.now() - req.meta.receivedAt);
      return { error: new KontextError('KMSInternalException', 'The request could not be recorded in the audit trail; retry later', 'audit write failed') };
    }
    const ms = this.#services.now() - req.meta.receivedAt;
    // Unregistered operation names are the caller's free text: one label for all of them.
    this.#metrics?.requestDone(req.service, spec ? req.operationName : UNKNOWN_OPERATION, error?.code, ms);
    const keyArn = notes.resources[0]?.ARN;
    if (error) {
      this.#log.info({ reqId: req.meta.requestId, op: req.operationName, key: keyArn, outcome: 'error', code: error.code, reason: error.reason, ms }, 'request');
      return { error };
    }
    // Successful calls at debug: the audit trail is the per-request record, and a log line per
    // answer cost ~6 % of an Encrypt's CPU. Failures stay at info.
    if (this.#logRequests) this.#log.debug({ reqId: req.meta.requestId, op: req.operationName, key: keyArn, outcome: 'ok', ms }, 'request');
    return { output };
  }

  /**
   * Audits a call that failed authentication, which the protocol layer answers itself. The
   * caller gets the authentication error either way; a failed audit write is logged.
   */
  async recordUnauthenticated(req: RejectedRequest, error: KontextError): Promise<void> {
    const claimed = claimedCredential(req.headers['authorization'], req.rawUrl);
    try {
      await this.#audit.record({
        meta: req.meta,
        service: req.service,
        eventName: req.operationName,
        region: claimed.region ?? this.#services.config.defaultRegion,
        caller: undefined,
        claimedAccessKeyId: claimed.accessKeyId,
        readOnly: req.spec?.readOnly ?? true,
        requestParameters: null,
        responseElements: null,
        error: { code: error.code, message: error.message, reason: error.reason },
        notes: { resources: [], reason: undefined, extraRequestParameters: {} },
        completedAt: this.#services.now(),
      });
    } catch (err) {
      this.#log.error({ err, requestId: req.meta.requestId }, 'audit write failed');
    }
    this.#metrics?.requestDone(req.service, req.spec ? req.operationName : UNKNOWN_OPERATION, error.code, this.#services.now() - req.meta.receivedAt);
  }
}

export interface RejectedRequest {
  readonly meta: RequestMeta;
  readonly service: ServiceName;
  readonly operationName: string;
  readonly spec: OperationSpec<unknown, unknown> | undefined;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly rawUrl: string;
}
