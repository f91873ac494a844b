// Proves who sent a request: parses its SigV4 signature, finds the access key (long-term or STS
// session), checks status, session token and expiry, then verifies the signature with the key's
// secret. Raises the JSON services' error names; the Query framing translates them for IAM/STS.
// Structurally an `Authenticator` (src/api/authenticator.ts) without importing the api layer.

import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { KontextError, isKontextError, type ErrorCode } from '../errors.ts';
import type { Caller } from './caller.ts';
import type { CredentialResolver } from './credential-resolver.ts';
import { hashSessionToken } from './identity-service.ts';
import { parseSigV4, verifySigV4, type SignedRequest } from './sigv4.ts';
import { SigningKeyCache } from './signing-key-cache.ts';

export interface SigV4AuthenticatorOptions {
  readonly resolver: CredentialResolver;
  readonly now: () => number;
  readonly log: Logger;
  readonly signingKeys?: SigningKeyCache;
}

export interface AuthenticatedCaller {
  readonly caller: Caller;
  readonly region: string;
  readonly signingService: string | undefined;
}

export const INVALID_TOKEN_MESSAGE = 'The security token included in the request is invalid';
export const EXPIRED_TOKEN_MESSAGE = 'The security token included in the request is expired';

const invalidToken = (reason: string): KontextError => new KontextError('UnrecognizedClientException', INVALID_TOKEN_MESSAGE, reason);

export class SigV4Authenticator {
  readonly #resolver: CredentialResolver;
  readonly #now: () => number;
  readonly #log: Logger;
  readonly #signingKeys: SigningKeyCache;
  readonly #failures = new Map<ErrorCode, number>();

  constructor(opts: SigV4AuthenticatorOptions) {
    this.#resolver = opts.resolver;
    this.#now = opts.now;
    this.#log = opts.log;
    this.#signingKeys = opts.signingKeys ?? new SigningKeyCache();
  }

  async authenticate(req: SignedRequest & { readonly sourceIp: string }): Promise<AuthenticatedCaller> {
    let accessKeyId: string | undefined;
    try {
      const now = this.#now();
      // Every region name is accepted as sent: the region only selects which keys are visible.
      const parsed = parseSigV4(req, { now: new Date(now) });
      accessKeyId = parsed.credential.accessKeyId;
      const credential = await this.#resolver.resolve(accessKeyId, now);
      if (!credential) throw invalidToken('unknown access key');
      if (credential.status !== 'Active') throw invalidToken('access key is inactive');
      const { session } = credential;
      if (session) {
        if (parsed.securityToken === undefined) throw invalidToken('temporary credentials used without their session token');
        if (!timingSafeEqual(hashSessionToken(parsed.securityToken), session.tokenHash)) throw invalidToken('session token does not match');
        if (now >= session.expiresAt) {
          throw new KontextError('ExpiredTokenException', EXPIRED_TOKEN_MESSAGE, `session expired at ${new Date(session.expiresAt).toISOString()}`);
        }
      } else if (parsed.securityToken !== undefined) {
        throw invalidToken('session token sent with a long-term access key');
      }
      verifySigV4(req, parsed, credential.secretAccessKey, { cache: this.#signingKeys });
      return { caller: credential.caller, region: parsed.credential.region, signingService: parsed.credential.service };
    } catch (err) {
      if (isKontextError(err)) this.#count(err, accessKeyId, req.sourceIp);
      throw err;
    }
  }

  /** Authentication failures since start, by error code. */
  failures(): Record<string, number> {
    return Object.fromEntries(this.#failures);
  }

  #count(err: KontextError, accessKeyId: string | undefined, sourceIp: string): void {
    this.#failures.set(err.code, (this.#failures.get(err.code) ?? 0) + 1);
    // The access key id is not secret (it names the key); the secret and the token never reach a log.
    this.#log.warn({ code: err.code, reason: err.reason, accessKeyId, sourceIp }, 'authentication failed');
  }
}
