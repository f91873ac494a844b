// Query framing for IAM and STS: form-encoded `Action` + `Version` (POST body, or the URL of a GET
// such as a presigned GetCallerIdentity), the service taken from the SigV4 credential scope, XML
// replies. Authentication errors carry the Query names (QUERY_PROTOCOL_EQUIVALENT).

import type { IncomingMessage } from 'node:http';
import { ERROR_CATALOGUE, KontextError, QUERY_PROTOCOL_EQUIVALENT, isKontextError, type ErrorCode } from '../errors.ts';
import type { ServiceName } from '../operations/operation.ts';
import type { OperationRegistry } from '../operations/registry.ts';
import type { Authenticator } from './authenticator.ts';
import type { ProtocolHandler, ProtocolResponse, ReceivedRequest } from './http-server.ts';
import type { Pipeline } from './pipeline.ts';
import { decodeQueryParams, readQueryParams } from './query-params.ts';
import { queryErrorXml, queryResponseXml, type XmlValue } from './query-xml.ts';

export type QueryService = 'iam' | 'sts';

export const QUERY_SERVICES: Readonly<Record<QueryService, { readonly namespace: string; readonly version: string }>> = {
  iam: { namespace: 'https://iam.amazonaws.com/doc/2010-05-08/', version: '2010-05-08' },
  sts: { namespace: 'https://sts.amazonaws.com/doc/2011-06-15/', version: '2011-06-15' },
};

const CONTENT_TYPE = 'text/xml';
const FORM = 'application/x-www-form-urlencoded';

const isQueryService = (s: string | undefined): s is QueryService => s === 'iam' || s === 'sts';

/** The Query name of an error raised under its JSON name (authentication, validation, internal). */
export function queryErrorCode(code: ErrorCode): ErrorCode {
  return QUERY_PROTOCOL_EQUIVALENT[code] ?? code;
}

export function queryError(service: QueryService, err: KontextError, requestId: string): ProtocolResponse {
  const code = queryErrorCode(err.code);
  const spec = ERROR_CATALOGUE[code];
  return {
    status: spec.status,
    contentType: CONTENT_TYPE,
    body: queryErrorXml(QUERY_SERVICES[service].namespace, spec.fault === 'client' ? 'Sender' : 'Receiver', code, err.message, requestId),
  };
}

/** Reads the scope's service without verifying anything, to word errors before authentication. */
function scopeService(headers: IncomingMessage['headers'], rawUrl: string): string | undefined {
  const auth = headers['authorization'];
  let credential = typeof auth === 'string' ? /Credential=([^,\s]+)/.exec(auth)?.[1] : /[?&]X-Amz-Credential=([^&]*)/.exec(rawUrl)?.[1];
  if (credential === undefined) return undefined;
  try {
    credential = decodeURIComponent(credential);
  } catch {
    return undefined;
  }
  return credential.split('/')[3];
}

export function queryProtocol(registry: OperationRegistry, pipeline: Pipeline, authenticator: Authenticator): ProtocolHandler {
  /** The service a request is for when its scope does not say: STS by its action names, else IAM. */
  const serviceOf = (scope: string | undefined, action: string | undefined): QueryService => {
    if (isQueryService(scope)) return scope;
    return action !== undefined && registry.get('sts', action) ? 'sts' : 'iam';
  };

  return {
    accepts(req: IncomingMessage) {
      if (req.headers['x-amz-target'] !== undefined) return false;
      if (req.method === 'POST') return String(req.headers['content-type'] ?? '').toLowerCase().startsWith(FORM);
      return req.method === 'GET' && /[?&]Action=/.test(req.url ?? '');
    },
    errorResponse(req, err, requestId) {
      return queryError(serviceOf(scopeService(req.headers, req.url ?? ''), undefined), err, requestId);
    },
    async handle(req: ReceivedRequest) {
      const requestId = req.meta.requestId;
      let query;
      try {
        query = readQueryParams(req.rawUrl, req.body);
      } catch (err) {
        if (isKontextError(err)) return queryError(serviceOf(scopeService(req.headers, req.rawUrl), undefined), err, requestId);
        throw err;
      }
      const { action } = query;
      let auth;
      try {
        auth = await authenticator.authenticate({ method: req.method, rawUrl: req.rawUrl, headers: req.headers, body: req.body, sourceIp: req.meta.sourceIp });
      } catch (err) {
        if (!isKontextError(err)) throw err;
        const rejected = serviceOf(scopeService(req.headers, req.rawUrl), action);
        const spec = action ? registry.get(rejected, action) : undefined;
        if (action && spec) await pipeline.recordUnauthenticated({ meta: req.meta, service: rejected, operationName: action, spec, headers: req.headers, rawUrl: req.rawUrl }, err);
        return queryError(rejected, err, requestId);
      }
      const service = serviceOf(auth.signingService, action);
      if (!isQueryService(auth.signingService)) {
        const err = new KontextError('SignatureDoesNotMatch', `Credential should be scoped to correct service: '${service}'`);
        return queryError(service, err, requestId);
      }
      if (action === undefined || action === '') {
        return queryError(service, new KontextError('MissingAction', 'Missing Action'), requestId);
      }
      const spec = registry.get(service, action);
      if (!spec) {
        const err = new KontextError('InvalidAction', `Could not find operation ${action} for version ${query.version ?? QUERY_SERVICES[service].version}`);
        return queryError(service, err, requestId);
      }
      const outcome = await pipeline.execute(spec, {
        meta: req.meta,
        service: service satisfies ServiceName,
        operationName: action,
        caller: auth.caller,
        region: auth.region,
        decode: () => decodeQueryParams(query.params),
      });
      if (outcome.error) return queryError(service, outcome.error, requestId);
      return {
        status: 200,
        contentType: CONTENT_TYPE,
        body: queryResponseXml(action, QUERY_SERVICES[service].namespace, requestId, outcome.output as XmlValue),
      };
    },
  };
}
