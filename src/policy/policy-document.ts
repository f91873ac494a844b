// The typed form of an IAM JSON policy document after validation, and the shape of validation
// problems (returned as data, turned into one wire error at the edge).

/** key: a KMS key policy; identity: an IAM inline policy; trust: a role's trust policy. */
export type PolicyKind = 'key' | 'identity' | 'trust';

export type PolicyVersion = '2012-10-17' | '2008-10-17';

export type Effect = 'Allow' | 'Deny';

export type PolicyProblemCode =
  | 'InvalidJson'
  | 'PolicyTooLarge'
  | 'InvalidCharacter'
  | 'UnknownElement'
  | 'MissingElement'
  | 'ProhibitedElement'
  | 'ConflictingElements'
  | 'InvalidType'
  | 'InvalidVersion'
  | 'InvalidSid'
  | 'DuplicateSid'
  | 'InvalidEffect'
  | 'InvalidPrincipal'
  | 'InvalidAction'
  | 'InvalidResource'
  | 'InvalidConditionOperator'
  | 'InvalidConditionKey'
  | 'InvalidConditionValue'
  | 'ConditionKeyNotPermitted'
  | 'OverlyPermissiveCondition';

export interface PolicyProblem {
  readonly code: PolicyProblemCode;
  /** Where in the document, e.g. `Statement[1].Condition.StringLike`; empty for the whole document. */
  readonly path: string;
  readonly message: string;
}

/** Principal / NotPrincipal with account ids already normalised to root ARNs. */
export interface PrincipalSpec {
  readonly wildcard: boolean;
  readonly aws: readonly string[];
  readonly service: readonly string[];
  readonly federated: readonly string[];
  readonly canonicalUser: readonly string[];
}

export interface ConditionClause {
  /** As written in the policy, for explanations. */
  readonly operatorName: string;
  readonly key: string;
  readonly values: readonly string[];
}

export interface PolicyStatement {
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: Effect;
  readonly principal: PrincipalSpec | undefined;
  readonly notPrincipal: PrincipalSpec | undefined;
  readonly action: readonly string[] | undefined;
  readonly notAction: readonly string[] | undefined;
  readonly resource: readonly string[] | undefined;
  readonly notResource: readonly string[] | undefined;
  readonly conditions: readonly ConditionClause[];
}

export interface PolicyDocument {
  readonly kind: PolicyKind;
  /** Absent Version means 2008-10-17 semantics: no policy variables. */
  readonly version: PolicyVersion | undefined;
  readonly id: string | undefined;
  readonly statements: readonly PolicyStatement[];
}
