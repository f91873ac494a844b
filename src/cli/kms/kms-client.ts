// The KMS client a verb talks through: endpoint, region, credentials and timeouts resolved the
// way the AWS CLI resolves them, with Kontext's defaults where AWS would have none.

import type { KMSClient } from '@aws-sdk/client-kms';

// Loaded on first use, so `kontext --help` and the server do not pay for the SDK.
const loadSdk = () => import('@aws-sdk/client-kms');

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4599';
export const DEFAULT_REGION = 'us-east-1';

export interface ConnectionOptions {
  readonly endpointUrl?: string | undefined;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  /** Seconds; 0 means no limit (as --cli-read-timeout 0 does). */
  readonly readTimeout?: number | undefined;
  readonly connectTimeout?: number | undefined;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** --endpoint-url, then KONTEXT_ENDPOINT, then the AWS endpoint variables, then the local default. */
export function resolveEndpoint(o: ConnectionOptions, env: Env): string {
  return o.endpointUrl || env['KONTEXT_ENDPOINT'] || env['AWS_ENDPOINT_URL_KMS'] || env['AWS_ENDPOINT_URL'] || DEFAULT_ENDPOINT;
}

/** --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region, then us-east-1 (Kontext's default region). */
export async function resolveRegion(o: ConnectionOptions, env: Env): Promise<string> {
  const given = o.region || env['AWS_REGION'] || env['AWS_DEFAULT_REGION'];
  if (given) return given;
  const { KMSClient } = await loadSdk();
  const probe = new KMSClient(o.profile ? { profile: o.profile } : {});
  try {
    return await probe.config.region();
  } catch {
    return DEFAULT_REGION;
  } finally {
    probe.destroy();
  }
}

export interface KmsConnection {
  readonly client: KMSClient;
  readonly endpoint: string;
  readonly region: string;
}

export async function connectKms(o: ConnectionOptions, env: Env, userAgent: string): Promise<KmsConnection> {
  // The SDK's notice that its 2027 releases need Node 22 is for the developers of Kontext, not
  // for someone running one command; it would otherwise print on every call.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const endpoint = resolveEndpoint(o, env);
  const region = await resolveRegion(o, env);
  const ms = (s: number | undefined) => (s === undefined ? undefined : s * 1000);
  const requestTimeout = ms(o.readTimeout);
  const connectionTimeout = ms(o.connectTimeout);
  const { KMSClient } = await loadSdk();
  const client = new KMSClient({
    endpoint,
    region,
    ...(o.profile ? { profile: o.profile } : {}),
    customUserAgent: userAgent,
    ...(requestTimeout !== undefined || connectionTimeout !== undefined
      ? { requestHandler: { ...(requestTimeout ? { requestTimeout } : {}), ...(connectionTimeout ? { connectionTimeout } : {}) } }
      : {}),
  });
  return { client, endpoint, region };
}
