// What the evaluator knows about one request: who asks, for what action on which resource, and the
// condition-key values (keys lowercased, since IAM condition key names are case-insensitive).
// Built once per request from plain inputs; the clock is passed in.

/** aws:PrincipalType values as IAM reports them. */
export type PrincipalType = 'Account' | 'User' | 'AssumedRole' | 'FederatedUser' | 'Anonymous';

export interface PrincipalFacts {
  /** The caller's ARN: `arn:aws:iam::<acct>:root`, `...:user/<name>`, `arn:aws:sts::<acct>:assumed-role/<role>/<session>`. */
  readonly arn: string;
  readonly accountId: string;
  readonly type: PrincipalType;
  /** aws:userid: the account id for root, AIDA... for users, `<role-id>:<session>` for sessions. */
  readonly userId: string;
  /** aws:username, present for IAM users only (as in AWS). */
  readonly username?: string;
  /** For assumed-role sessions: the role's ARN (with path), which role-ARN principals and grants match. */
  readonly roleArn?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Lowercased condition key → its value(s). Multi-valued keys hold arrays. */
export type ConditionValues = ReadonlyMap<string, string | readonly string[]>;

export interface RequestFacts {
  readonly principal: PrincipalFacts;
  /** `kms:Decrypt`, `iam:CreateUser`, ... */
  readonly action: string;
  /** The key ARN for KMS key resource operations, `*` otherwise. */
  readonly resource: string;
  /** The account owning the resource; a principal from another account needs its own IAM allow too. */
  readonly keyAccountId: string | undefined;
  readonly conditionValues: ConditionValues;
  /** As given (original key case), for grant constraints. */
  readonly encryptionContext: Readonly<Record<string, string>> | undefined;
  readonly grantConstraintType: GrantConstraintType | undefined;
}

export type GrantConstraintType = 'EncryptionContextEquals' | 'EncryptionContextSubset';

/** Plain request data, all optional but principal/action/now. Omit a field to leave its key absent. */
export interface RequestFactsInput {
  readonly principal: PrincipalFacts;
  readonly action: string;
  readonly resource?: string;
  readonly keyAccountId?: string;
  readonly now: Date;
  readonly sourceIp?: string;
  readonly secureTransport?: boolean;
  readonly requestedRegion?: string;
  /** For CreateGrant: the pairs of the grant's constraint, as AWS evaluates them. */
  readonly encryptionContext?: Readonly<Record<string, string>>;
  readonly encryptionAlgorithm?: string;
  readonly grantConstraintType?: GrantConstraintType;
  readonly grantOperations?: readonly string[];
  readonly granteePrincipal?: string;
  readonly retiringPrincipal?: string;
  readonly grantIsForAwsResource?: boolean;
  readonly requestAlias?: string;
  readonly resourceAliases?: readonly string[];
  readonly keySpec?: string;
  readonly keyUsage?: string;
  readonly keyOrigin?: string;
  readonly multiRegion?: boolean;
  readonly rotationPeriodInDays?: number;
  readonly reEncryptOnSameKey?: boolean;
  /** Set only when the request carries the parameter: AWS's own example tests it with Null. */
  readonly bypassPolicyLockoutSafetyCheck?: boolean;
  readonly viaService?: string;
  readonly requestTags?: Readonly<Record<string, string>>;
  readonly resourceTags?: Readonly<Record<string, string>>;
  /** Further keys as given (simulator ContextEntries); they override the derived ones. */
  readonly extra?: Readonly<Record<string, string | readonly string[]>>;
}

export function buildRequestFacts(input: RequestFactsInput): RequestFacts {
  const values = new Map<string, string | readonly string[]>();
  const set = (key: string, value: string | readonly string[] | undefined): void => {
    if (value !== undefined) values.set(key, value);
  };
  const flag = (value: boolean | undefined): string | undefined => (value === undefined ? undefined : String(value));
  const { principal } = input;

  set('aws:principalarn', principal.type === 'AssumedRole' && principal.roleArn ? principal.roleArn : principal.arn);
  set('aws:principalaccount', principal.accountId);
  set('aws:principaltype', principal.type);
  set('aws:userid', principal.userId);
  set('aws:username', principal.type === 'User' ? principal.username : undefined);
  addPairs(values, 'aws:principaltag/', principal.tags);
  const seconds = Math.floor(input.now.getTime() / 1000);
  set('aws:currenttime', isoSeconds(seconds));
  set('aws:epochtime', String(seconds));
  set('aws:sourceip', input.sourceIp);
  set('aws:securetransport', flag(input.secureTransport));
  set('aws:requestedregion', input.requestedRegion);
  addPairs(values, 'aws:requesttag/', input.requestTags);
  addPairs(values, 'aws:resourcetag/', input.resourceTags);
  if (input.requestTags) set('aws:tagkeys', Object.keys(input.requestTags));

  set('kms:calleraccount', principal.accountId);
  if (input.encryptionContext) {
    const keys = Object.keys(input.encryptionContext);
    // An empty context is no context: ForAnyValue fails and Null reports the key as absent.
    if (keys.length > 0) set('kms:encryptioncontextkeys', keys);
    addPairs(values, 'kms:encryptioncontext:', input.encryptionContext);
  }
  set('kms:encryptionalgorithm', input.encryptionAlgorithm);
  set('kms:grantconstrainttype', input.grantConstraintType);
  set('kms:grantoperations', input.grantOperations);
  set('kms:granteeprincipal', input.granteePrincipal);
  set('kms:retiringprincipal', input.retiringPrincipal);
  set('kms:grantisforawsresource', flag(input.grantIsForAwsResource));
  set('kms:requestalias', input.requestAlias);
  set('kms:resourcealiases', input.resourceAliases);
  set('kms:keyspec', input.keySpec);
  set('kms:keyusage', input.keyUsage);
  set('kms:keyorigin', input.keyOrigin);
  set('kms:multiregion', flag(input.multiRegion));
  set('kms:rotationperiodindays', input.rotationPeriodInDays === undefined ? undefined : String(input.rotationPeriodInDays));
  set('kms:reencryptonsamekey', flag(input.reEncryptOnSameKey));
  set('kms:bypasspolicylockoutsafetycheck', flag(input.bypassPolicyLockoutSafetyCheck));
  set('kms:viaservice', input.viaService);
  for (const [key, value] of Object.entries(input.extra ?? {})) set(key.toLowerCase(), value);

  return {
    principal,
    action: input.action,
    resource: input.resource ?? '*',
    keyAccountId: input.keyAccountId,
    conditionValues: values,
    encryptionContext: input.encryptionContext,
    grantConstraintType: input.grantConstraintType,
  };
}

// Formatting a date costs about a microsecond; requests within the same second share the string.
let lastSecond = Number.NaN;
let lastIso = '';
function isoSeconds(seconds: number): string {
  if (seconds !== lastSecond) {
    lastIso = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = seconds;
  }
  return lastIso;
}

/**
 * One key per pair, lowercased. Two pairs whose keys differ only in case land on the same key with
 * both values; IAM warns that such a key "matches both tags, but only one value matches", so the
 * evaluator requires every value to match.
 */
function addPairs(
  values: Map<string, string | readonly string[]>,
  prefix: string,
  pairs: Readonly<Record<string, string>> | undefined,
): void {
  if (!pairs) return;
  for (const [k, v] of Object.entries(pairs)) {
    const key = prefix + k.toLowerCase();
    const existing = values.get(key);
    values.set(key, existing === undefined ? v : [...(typeof existing === 'string' ? [existing] : existing), v]);
  }
}
