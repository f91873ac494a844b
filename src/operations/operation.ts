// What every operation declares (one file per operation, one registry) and what it is handed.
// Routing, authorization, auditing, the CLI and the docs all read these specs.

import type { Caller } from '../identity/caller.ts';
import type { Services } from '../services.ts';
import type { GuardrailNote } from '../schema/guardrail-note.ts';
import type { PolicyLintNote } from '../schema/lint/lint-note.ts';
import { inputParser, type Parsed, type Shape } from './validate.ts';

export type ServiceName = 'kms' | 'iam' | 'sts' | 'cloudtrail' | 'kontext';

/** What the handler tells the audit trail beyond the request parameters. */
export interface AuditNotes {
  /** Resources the call touched, as CloudTrail lists them. */
  readonly resources: Array<{ ARN: string; accountId: string; type: string }>;
  /** Why a vague error was returned (ours, never sent to the caller). */
  reason: string | undefined;
  /** Parameters resolved during handling that the event should carry (e.g. the key of a Decrypt). */
  readonly extraRequestParameters: Record<string, unknown>;
  /** The context-schema / secret-detection verdict on a context that was bound to new ciphertext (which schema version, result, findings by key name). */
  guardrails?: GuardrailNote | undefined;
  /** The automatic policy lint of PutKeyPolicy / CreateKey (finding ids, severities, Sids; never policy values). */
  policyLint?: PolicyLintNote | undefined;
}

export interface RequestMeta {
  readonly requestId: string;
  readonly sourceIp: string;
  readonly userAgent: string;
  /** Epoch ms the request arrived. */
  readonly receivedAt: number;
  readonly secureTransport: boolean;
}

export interface OperationContext {
  readonly meta: RequestMeta;
  readonly region: string;
  readonly caller: Caller;
  readonly services: Services;
  readonly audit: AuditNotes;
}

export interface OperationSpec<I = unknown, O = unknown> {
  readonly service: ServiceName;
  /** The API name (`Encrypt`), also the CloudTrail eventName. */
  readonly name: string;
  /** The IAM action authorizing it (`kms:Encrypt`). */
  readonly action: string;
  readonly readOnly: boolean;
  /** Largest accepted request body in bytes. */
  readonly maxBodyBytes?: number;
  readonly parse: (body: unknown) => I;
  readonly handle: (input: I, ctx: OperationContext) => Promise<O>;
  /** CloudTrail requestParameters: never plaintext, blobs or secrets. */
  readonly requestParameters: (input: I) => Record<string, unknown> | null;
  /** CloudTrail responseElements (null for cryptographic operations, as AWS logs them). */
  readonly responseElements?: (output: O) => Record<string, unknown> | null;
}

/** Declares a spec from its input shape, with the input and output types inferred. */
export const defineOperation = <S extends Shape, O>(
  spec: Omit<OperationSpec<Parsed<S>, O>, 'parse' | 'handle' | 'requestParameters' | 'responseElements'> & {
    readonly input: S;
    readonly handle: (input: Parsed<S>, ctx: OperationContext) => Promise<O>;
    readonly requestParameters: (input: Parsed<S>) => Record<string, unknown> | null;
    readonly responseElements?: (output: O) => Record<string, unknown> | null;
  },
): OperationSpec<Parsed<S>, O> => {
  const { input, ...rest } = spec;
  return { ...rest, parse: inputParser(input) };
};
