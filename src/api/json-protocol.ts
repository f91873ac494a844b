// awsJson1.1 framing: `X-Amz-Target: <prefix>.<Operation>`, JSON bodies, errors as
// {"__type": name, "message": text} with the x-amzn-ErrorType header.

import type { IncomingMessage } from 'node:http';
import { ERROR_CATALOGUE, KontextError, isKontextError } from '../errors.ts';
import type { ServiceName } from '../operations/operation.ts';
import type { OperationRegistry } from '../operations/registry.ts';
import type { Authenticator } from './authenticator.ts';
import type { ProtocolHandler, ProtocolResponse, ReceivedRequest } from './http-server.ts';
import type { Pipeline } from './pipeline.ts';

const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** X-Amz-Target prefixes of the JSON services served on this endpoint. */
export const JSON_TARGET_PREFIXES: ReadonlyMap<string, ServiceName> = new Map([
  ['TrentService', 'kms'],
  ['Kontext', 'kontext'],
  ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101', 'cloudtrail'],
  ['CloudTrail_20131101', 'cloudtrail'],
]);

export function jsonError(err: KontextError): ProtocolResponse {
  return {
    status: ERROR_CATALOGUE[err.code].status,
    contentType: CONTENT_TYPE,
    body: JSON.stringify({ __type: err.code, message: err.message }),
    headers: { 'x-amzn-ErrorType': err.code },
  };
}

function parseTarget(target: string): { service: ServiceName; operation: string } | undefined {
  const dot = target.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const service = JSON_TARGET_PREFIXES.get(target.slice(0, dot));
  return service ? { service, operation: target.slice(dot + 1) } : undefined;
}

/** SigV4 credential-scope services each JSON service accepts (Kontext.* extends KMS, so either). */
const SIGNING_SERVICES: Readonly<Record<ServiceName, readonly string[]>> = {
  kms: ['kms'],
  kontext: ['kontext', 'kms'],
  cloudtrail: ['cloudtrail'],
  iam: ['iam'],
  sts: ['sts'],
};

/** A request signed for another service is refused as AWS refuses it. */
function checkSigningService(service: ServiceName, signingService: string | undefined): KontextError | undefined {
  if (signingService === undefined || SIGNING_SERVICES[service].includes(signingService)) return undefined;
  return new KontextError('InvalidSignatureException', `Credential should be scoped to correct service: '${SIGNING_SERVICES[service][0]}'. `);
}

export function jsonProtocol(registry: OperationRegistry, pipeline: Pipeline, authenticator: Authenticator): ProtocolHandler {
  return {
    accepts(req: IncomingMessage) {
      return req.method === 'POST' && req.headers['x-amz-target'] !== undefined;
    },
    errorResponse(_req, err) {
      return jsonError(err);
    },
    async handle(req: ReceivedRequest) {
      let auth;
      try {
        auth = await authenticator.authenticate({ method: req.method, rawUrl: req.rawUrl, headers: req.headers, body: req.body, sourceIp: req.meta.sourceIp });
      } catch (err) {
        if (!isKontextError(err)) throw err;
        // Failed authentication is audited too (for a known operation, so junk targets add nothing).
        const claimed = parseTarget(String(req.headers['x-amz-target']));
        const spec = claimed && registry.get(claimed.service, claimed.operation);
        if (claimed && spec) await pipeline.recordUnauthenticated({ meta: req.meta, service: claimed.service, operationName: claimed.operation, spec, headers: req.headers, rawUrl: req.rawUrl }, err);
        return jsonError(err);
      }
      const target = String(req.headers['x-amz-target']);
      const parsed = parseTarget(target);
      if (!parsed) return jsonError(new KontextError('UnknownOperationException', `Unknown operation ${target}`));
      const scopeError = checkSigningService(parsed.service, auth.signingService);
      if (scopeError) return jsonError(scopeError);
      const spec = registry.get(parsed.service, parsed.operation);
      if (!spec) return jsonError(new KontextError('UnknownOperationException', `Unknown operation ${target}`));
      const outcome = await pipeline.execute(spec, {
        meta: req.meta,
        service: parsed.service,
        operationName: parsed.operation,
        caller: auth.caller,
        region: auth.region,
        decode: () => {
          if (req.body.length === 0) return {};
          try {
            return JSON.parse(req.body.toString('utf8')) as unknown;
          } catch {
            throw new KontextError('SerializationException', 'Start of structure or map found where not expected, or the body is not valid JSON');
          }
        },
      });
      if (outcome.error) return jsonError(outcome.error);
      return { status: 200, contentType: CONTENT_TYPE, body: JSON.stringify(outcome.output ?? {}) };
    },
  };
}
