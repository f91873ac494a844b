// Turns an authorization request into the evaluator's request facts: the network and time facts,
// the key's properties (kms:KeySpec, aws:ResourceTag/...), the encryption context, and the facts
// the operation passed (kms:RequestAlias, kms:GrantOperations, ...), which win over derived ones.

import { buildRequestFacts, type GrantConstraintType, type PrincipalFacts, type RequestFacts, type RequestFactsInput } from '../policy/index.ts';
import type { KeyRecord } from '../keys/key-record.ts';
import type { AuthzRequest } from './authorizer.ts';

/** Operations whose kms:EncryptionAlgorithm is SYMMETRIC_DEFAULT when the request names none. */
const ALGORITHM_ACTIONS: ReadonlySet<string> = new Set(
  ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext'].flatMap(
    (op) => [`kms:${op}`, `kms:${op}`.toLowerCase()],
  ),
);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const tagCache = new WeakMap<readonly KeyRecord['tags'][number][], Readonly<Record<string, string>>>();

function resourceTags(key: KeyRecord): Readonly<Record<string, string>> | undefined {
  if (key.tags.length === 0) return undefined;
  let tags = tagCache.get(key.tags);
  if (!tags) {
    const out: Record<string, string> = {};
    for (const t of key.tags) out[t.TagKey] = t.TagValue;
    tagCache.set(key.tags, (tags = out));
  }
  return tags;
}

export function authzRequestFacts(req: AuthzRequest, principal: PrincipalFacts): RequestFacts {
  return buildRequestFacts(authzFactsInput(req, principal));
}

/** The plain facts of a request, before they are built (the simulator adjusts them first). */
export function authzFactsInput(req: Omit<AuthzRequest, 'caller'>, principal: PrincipalFacts): RequestFactsInput {
  const { key, facts } = req;
  const input: Mutable<RequestFactsInput> = {
    principal,
    action: req.action,
    resource: key?.arn ?? req.resourceArn ?? '*',
    now: new Date(req.now),
    sourceIp: req.sourceIp,
    secureTransport: req.secureTransport,
    requestedRegion: req.region,
  };
  if (key) {
    input.keyAccountId = key.accountId;
    input.keySpec = key.keySpec;
    input.keyUsage = key.keyUsage;
    input.keyOrigin = key.origin;
    input.multiRegion = false;
    const tags = resourceTags(key);
    if (tags) input.resourceTags = tags;
  }
  if (req.encryptionContext) input.encryptionContext = req.encryptionContext;
  if (ALGORITHM_ACTIONS.has(req.action)) input.encryptionAlgorithm = 'SYMMETRIC_DEFAULT';
  if (facts) {
    const constraint = facts['kms:grantconstrainttype'];
    if (constraint === 'EncryptionContextEquals' || constraint === 'EncryptionContextSubset') input.grantConstraintType = constraint as GrantConstraintType;
    input.extra = facts;
  }
  return input;
}
