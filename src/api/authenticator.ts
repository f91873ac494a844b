// How a request proves who sent it. The identity module's SigV4 authenticator implements this;
// the scope-only authenticator below reads the region from the credential scope without
// verifying anything and is only for in-process tests and the `--no-auth` bench layer.

import type { Caller } from '../identity/caller.ts';
import { rootCaller } from '../identity/caller.ts';

export interface InboundRequest {
  readonly method: string;
  readonly rawUrl: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  readonly sourceIp: string;
}

export interface Authenticated {
  readonly caller: Caller;
  /** The region of the SigV4 credential scope. */
  readonly region: string;
  /** The service of the SigV4 credential scope (kms, iam, sts, cloudtrail, kontext). */
  readonly signingService: string | undefined;
}

export interface Authenticator {
  /** Throws KontextError with the AWS authentication error when the request is not proven. */
  authenticate(req: InboundRequest): Promise<Authenticated>;
}

const SCOPE = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** Reads the credential scope's region and service; treats every caller as the account root. */
export function scopeOnlyAuthenticator(accountId: string, defaultRegion: string): Authenticator {
  return {
    async authenticate(req) {
      const auth = req.headers['authorization'];
      const m = typeof auth === 'string' ? SCOPE.exec(auth) : null;
      return {
        caller: rootCaller(accountId, m?.[1]),
        region: m?.[3] ?? defaultRegion,
        signingService: m?.[4],
      };
    },
  };
}
