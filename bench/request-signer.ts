// A small SigV4 signer for the load generator's awsJson1.1 requests. Every request gets a fresh
// signature over its own x-amz-date; the signing key is derived once per day and the payload hash
// of a fixed body once per body, so signing costs one SHA-256 and one HMAC per request and the
// generator stays cheaper than the server it measures.

import { createHmac, hash } from 'node:crypto';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** YYYYMMDDTHHMMSSZ */
export function amzDateOf(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function payloadHash(body: string | Buffer): string {
  return hash('sha256', body, 'hex');
}

export class RequestSigner {
  readonly #creds: Credentials;
  readonly #region: string;
  readonly #service: string;
  #second = -1;
  #amzDate = '';
  #day = '';
  #scope = '';
  #signingKey: Buffer = Buffer.alloc(0);
  readonly #signedHeaders: string;

  constructor(creds: Credentials, region: string, service: string) {
    this.#creds = creds;
    this.#region = region;
    this.#service = service;
    this.#signedHeaders = creds.sessionToken ? 'content-type;host;x-amz-date;x-amz-security-token;x-amz-target' : 'content-type;host;x-amz-date;x-amz-target';
  }

  get sessionToken(): string | undefined {
    return this.#creds.sessionToken;
  }

  #clock(epochMs: number): void {
    const second = Math.floor(epochMs / 1000);
    if (second === this.#second) return;
    this.#second = second;
    this.#amzDate = amzDateOf(epochMs);
    const day = this.#amzDate.slice(0, 8);
    if (day !== this.#day) {
      this.#day = day;
      this.#scope = `${day}/${this.#region}/${this.#service}/aws4_request`;
      const kDate = createHmac('sha256', 'AWS4' + this.#creds.secretAccessKey).update(day).digest();
      const kRegion = createHmac('sha256', kDate).update(this.#region).digest();
      const kService = createHmac('sha256', kRegion).update(this.#service).digest();
      this.#signingKey = createHmac('sha256', kService).update('aws4_request').digest();
    }
  }

  /**
   * The signed headers of `POST /` with an awsJson1.1 body, as `name: value` lines ready for the
   * wire (each ending in CRLF). `bodyHash` is payloadHash(body), computed once per distinct body.
   */
  signJson(host: string, target: string, bodyHash: string, epochMs: number = Date.now()): { amzDate: string; authorization: string; headerLines: string } {
    this.#clock(epochMs);
    const token = this.#creds.sessionToken;
    const canonical =
      `POST\n/\n\ncontent-type:${JSON_CONTENT_TYPE}\nhost:${host}\nx-amz-date:${this.#amzDate}\n` +
      (token ? `x-amz-security-token:${token}\n` : '') +
      `x-amz-target:${target}\n\n${this.#signedHeaders}\n${bodyHash}`;
    const stringToSign = `AWS4-HMAC-SHA256\n${this.#amzDate}\n${this.#scope}\n${hash('sha256', canonical, 'hex')}`;
    const signature = createHmac('sha256', this.#signingKey).update(stringToSign).digest('hex');
    const authorization = `AWS4-HMAC-SHA256 Credential=${this.#creds.accessKeyId}/${this.#scope}, SignedHeaders=${this.#signedHeaders}, Signature=${signature}`;
    const headerLines =
      `Content-Type: ${JSON_CONTENT_TYPE}\r\nX-Amz-Date: ${this.#amzDate}\r\n` +
      (token ? `X-Amz-Security-Token: ${token}\r\n` : '') +
      `X-Amz-Target: ${target}\r\nAuthorization: ${authorization}\r\n`;
    return { amzDate: this.#amzDate, authorization, headerLines };
  }
}
