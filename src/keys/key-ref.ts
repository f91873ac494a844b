// Parses a KeyId parameter: key id, key ARN, alias name or alias ARN, as AWS accepts them.

import { KontextError } from '../errors.ts';

export type KeyRef =
  | { readonly kind: 'key'; readonly keyId: string; readonly accountId: string | undefined; readonly region: string | undefined }
  | { readonly kind: 'alias'; readonly aliasName: string; readonly accountId: string | undefined; readonly region: string | undefined };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// arn:<partition>:kms:<region>:<account>:<resource>
const KMS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(.+)$/;

export const isKeyId = (s: string): boolean => UUID.test(s);

export function parseKeyRef(value: string): KeyRef {
  if (value.startsWith('arn:')) {
    const m = KMS_ARN.exec(value);
    const resource = m?.[3];
    if (m && resource?.startsWith('key/') && UUID.test(resource.slice(4))) {
      return { kind: 'key', keyId: resource.slice(4), accountId: m[2], region: m[1] };
    }
    if (m && resource?.startsWith('alias/') && resource.length > 6) {
      return { kind: 'alias', aliasName: resource, accountId: m[2], region: m[1] };
    }
    throw new KontextError('NotFoundException', `Invalid arn ${value}`);
  }
  if (value.startsWith('alias/')) return { kind: 'alias', aliasName: value, accountId: undefined, region: undefined };
  if (UUID.test(value)) return { kind: 'key', keyId: value, accountId: undefined, region: undefined };
  throw new KontextError('NotFoundException', `Invalid keyId ${value}`);
}
