// The one catalogue of wire errors: AWS error names, fault side and HTTP status.
// Every layer throws KontextError with a code from here; src/api maps it to the wire in one place.

export interface ErrorSpec {
  readonly status: number;
  readonly fault: 'client' | 'server';
}

const client = (status = 400): ErrorSpec => ({ status, fault: 'client' });
const server = (status = 500): ErrorSpec => ({ status, fault: 'server' });

export const ERROR_CATALOGUE = {
  // Common awsJson1.1 protocol and authentication errors
  SerializationException: client(),
  UnknownOperationException: client(),
  ValidationException: client(),
  AccessDeniedException: client(),
  MissingAuthenticationTokenException: client(403),
  IncompleteSignatureException: client(),
  InvalidSignatureException: client(),
  UnrecognizedClientException: client(),
  ExpiredTokenException: client(),
  ThrottlingException: client(),
  RequestEntityTooLargeException: client(413),
  InternalFailure: server(),
  // KMS modelled errors (kms-2014-11-01)
  AlreadyExistsException: client(),
  DependencyTimeoutException: server(503),
  DisabledException: client(),
  DryRunOperationException: client(),
  IncorrectKeyException: client(),
  InvalidAliasNameException: client(),
  InvalidArnException: client(),
  InvalidCiphertextException: client(),
  InvalidGrantIdException: client(),
  InvalidGrantTokenException: client(),
  InvalidKeyUsageException: client(),
  InvalidMarkerException: client(),
  KMSInternalException: server(),
  KMSInvalidStateException: client(),
  KeyUnavailableException: server(),
  LimitExceededException: client(),
  MalformedPolicyDocumentException: client(),
  NotFoundException: client(),
  TagException: client(),
  UnsupportedOperationException: client(),
  // IAM / STS Query-protocol errors (iam-2010-05-08, sts-2011-06-15)
  NoSuchEntity: client(404),
  EntityAlreadyExists: client(409),
  DeleteConflict: client(409),
  InvalidInput: client(),
  MalformedPolicyDocument: client(),
  LimitExceeded: client(409),
  ValidationError: client(),
  AccessDenied: client(403),
  InvalidAction: client(),
  InvalidClientTokenId: client(403),
  SignatureDoesNotMatch: client(403),
  MissingAuthenticationToken: client(403),
  IncompleteSignature: client(),
  ExpiredToken: client(403),
  RequestExpired: client(),
  MalformedQueryString: client(404),
  MissingAction: client(),
  InvalidParameterValue: client(),
  MissingParameter: client(),
  ServiceFailure: server(),
  PackedPolicyTooLarge: client(),
  // CloudTrail (cloudtrail-2013-11-01)
  InvalidLookupAttributesException: client(),
  InvalidTimeRangeException: client(),
  InvalidNextTokenException: client(),
  InvalidMaxResultsException: client(),
  InvalidEventCategoryException: client(),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/**
 * A typed failure that reaches the caller as an AWS error. `reason` is for the audit trail and logs
 * only (never the wire): it lets an investigator see why a deliberately vague error was returned.
 */
export class KontextError extends Error {
  readonly code: ErrorCode;
  readonly reason: string | undefined;
  constructor(code: ErrorCode, message: string, reason?: string) {
    super(message);
    this.name = code;
    this.code = code;
    this.reason = reason;
  }
  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }
}

export const isKontextError = (err: unknown): err is KontextError => err instanceof KontextError;

/**
 * The Query protocol (IAM, STS) names the authentication failures differently from the JSON
 * services; the authenticator raises the JSON names and the Query framing translates them here.
 */
export const QUERY_PROTOCOL_EQUIVALENT: Partial<Record<ErrorCode, ErrorCode>> = {
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  IncompleteSignatureException: 'IncompleteSignature',
  ExpiredTokenException: 'ExpiredToken',
  AccessDeniedException: 'AccessDenied',
  ValidationException: 'ValidationError',
  MalformedPolicyDocumentException: 'MalformedPolicyDocument',
  InternalFailure: 'ServiceFailure',
  KMSInternalException: 'ServiceFailure',
  DependencyTimeoutException: 'ServiceFailure',
  RequestEntityTooLargeException: 'ValidationError',
  SerializationException: 'MalformedQueryString',
  UnknownOperationException: 'InvalidAction',
};

/** The one message InvalidCiphertextException carries, whatever went wrong. */
export const INVALID_CIPHERTEXT_MESSAGE = '';
