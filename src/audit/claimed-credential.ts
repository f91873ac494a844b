// For requests that fail authentication: the access key id and region the request claims, read
// from the SigV4 Authorization header or presigned query, so the audit event says who tried.

const HEADER_SCOPE = /Credential=([^/,\s]{1,128})\/\d{8}\/([^/,\s]{1,64})\//;
const QUERY_SCOPE = /[?&]X-Amz-Credential=([^&]{1,512})/i;

export interface ClaimedCredential {
  readonly accessKeyId: string | undefined;
  readonly region: string | undefined;
}

export function claimedCredential(authorization: string | string[] | undefined, rawUrl: string): ClaimedCredential {
  const header = typeof authorization === 'string' ? HEADER_SCOPE.exec(authorization) : null;
  if (header) return { accessKeyId: header[1], region: header[2] };
  const query = QUERY_SCOPE.exec(rawUrl);
  if (query?.[1]) {
    let scope: string;
    try {
      scope = decodeURIComponent(query[1]);
    } catch {
      return { accessKeyId: undefined, region: undefined };
    }
    const [accessKeyId, , region] = scope.split('/');
    return { accessKeyId: accessKeyId || undefined, region: region || undefined };
  }
  return { accessKeyId: undefined, region: undefined };
}
