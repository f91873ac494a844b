// Calls a Kontext.* operation (awsJson1.1, `X-Amz-Target: Kontext.<Op>`) the way the KMS verbs
// call KMS: same endpoint, region and credential chain (the KMS client resolves them), signed
// with SigV4 here (node:crypto; the SDK has no client for Kontext's own operations).

import { createHash, createHmac } from 'node:crypto';
import { describeCallFailure } from './kms/call-errors.ts';
import { connectKms, type ConnectionOptions, type Env } from './kms/kms-client.ts';

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export interface SignInput {
  readonly url: URL;
  readonly region: string;
  readonly service: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly credentials: SigningCredentials;
  readonly now: Date;
}

const sha256 = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** The headers of a SigV4-signed POST (header form, signed payload). */
export function signRequest(i: SignInput): Record<string, string> {
  const amzDate = i.now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const payloadHash = sha256(i.body);
  const headers: Record<string, string> = { ...i.headers, host: i.url.host, 'x-amz-date': amzDate, 'x-amz-content-sha256': payloadHash };
  if (i.credentials.sessionToken) headers['x-amz-security-token'] = i.credentials.sessionToken;
  const names = Object.keys(headers).map((n) => n.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names.map((n) => `${n}:${String(lower[n]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = ['POST', i.url.pathname || '/', '', canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${i.region}/${i.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${i.credentials.secretAccessKey}`, date), i.region), i.service), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${i.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}` };
}

/** An error the service returned, shaped like the SDK's so the KMS verbs' failure messages apply. */
class KontextServiceError extends Error {
  readonly $metadata: { httpStatusCode: number };
  constructor(name: string, message: string, status: number) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

export async function callKontext(operation: string, input: object, options: ConnectionOptions, env: Env, userAgent: string): Promise<Record<string, unknown>> {
  const conn = await connectKms(options, env, userAgent);
  try {
    const credentials = await conn.client.config.credentials();
    const url = new URL(conn.endpoint);
    const body = JSON.stringify(input);
    const headers = signRequest({
      url,
      region: conn.region,
      service: 'kontext',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Kontext.${operation}`, 'user-agent': userAgent },
      body,
      credentials,
      now: new Date(),
    });
    const ms = (s: number | undefined) => (s ? s * 1000 : undefined);
    const timeout = ms(options.readTimeout);
    const res = await fetch(new URL('/', url), { method: 'POST', headers, body, ...(timeout ? { signal: AbortSignal.timeout(timeout) } : {}) });
    const text = await res.text();
    const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (!res.ok) throw new KontextServiceError(String(json['__type'] ?? `HTTP ${res.status}`), String(json['message'] ?? ''), res.status);
    return json;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    throw describeCallFailure(cause?.code ? Object.assign(err as object, { code: cause.code }) : err, operation, conn.endpoint);
  } finally {
    conn.client.destroy();
  }
}
