// The evaluation both IAM simulators share: every action against every resource, with the given
// identity policies and, when there is one, a resource policy (a KMS key policy), answered as
// IAM's EvaluationResult: EvalDecision, MatchedStatements with their positions in the policy text,
// and MissingContextValues. Runs the same `decide` as enforcement.

import { KontextError, isKontextError } from '../../errors.ts';
import { loadPolicy, type CompiledPolicy, type PrincipalFacts, type RequestFactsInput } from '../../policy/index.ts';
import { contextFromEntries, simulate } from '../../authz/simulator.ts';
import { statementPositions, type StatementSpan } from '../../authz/statement-positions.ts';
import { contextEntryValues, type ContextEntryInput } from './simulate-fields.ts';

/** One policy as the simulator reports it: its id and type in MatchedStatements, and its text. */
export interface SimulatedPolicy {
  readonly id: string;
  readonly type: 'user' | 'role' | 'group' | 'resource' | 'none';
  readonly text: string;
  readonly compiled: CompiledPolicy;
}

export interface SimulationRequest {
  readonly principal: PrincipalFacts;
  readonly identityPolicies: readonly SimulatedPolicy[];
  readonly resourcePolicy: SimulatedPolicy | undefined;
  readonly actionNames: readonly string[];
  readonly resourceArns: readonly string[] | undefined;
  readonly resourceOwner: string | undefined;
  readonly contextEntries: readonly ContextEntryInput[] | undefined;
  readonly now: number;
  readonly maxItems: number | undefined;
  readonly marker: string | undefined;
}

/** Parses a policy given to a simulator; a bad one is InvalidInput, as IAM answers. */
export function simulatedPolicy(id: string, type: SimulatedPolicy['type'], text: string, kind: 'identity' | 'key'): SimulatedPolicy {
  try {
    return { id, type, text, compiled: loadPolicy(text, { kind, name: id, maxSize: Number.MAX_SAFE_INTEGER }) };
  } catch (err) {
    if (isKontextError(err) && err.code === 'MalformedPolicyDocumentException') throw new KontextError('InvalidInput', `${id} is not a valid policy: ${err.message}`, err.reason);
    throw err;
  }
}

const ACCOUNT_OF_ARN = /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/;

function ownerAccount(resourceOwner: string | undefined, resource: string, principal: PrincipalFacts): string {
  if (resourceOwner !== undefined) {
    const m = /^(?:arn:aws:iam::)?(\d{12})(?::root)?$/.exec(resourceOwner);
    if (!m) throw new KontextError('InvalidInput', `ResourceOwner must be an account id or account root ARN: ${resourceOwner}`);
    return m[1] as string;
  }
  return ACCOUNT_OF_ARN.exec(resource)?.[1] ?? principal.accountId;
}

const encodeMarker = (index: number): string => Buffer.from(`sim:${index}`, 'utf8').toString('base64url');
function decodeMarker(marker: string | undefined): number {
  if (marker === undefined) return 0;
  const m = /^sim:(\d{1,6})$/.exec(Buffer.from(marker, 'base64url').toString('utf8'));
  if (!m) throw new KontextError('InvalidInput', 'Invalid Marker');
  return Number(m[1]);
}

export async function runSimulation(req: SimulationRequest) {
  const entries = contextEntryValues(req.contextEntries);
  const context = contextFromEntries(entries);
  const policies = new Map<string, SimulatedPolicy>();
  for (const p of req.identityPolicies) policies.set(`identityPolicy:${p.id}`, p);
  if (req.resourcePolicy) policies.set('keyPolicy', req.resourcePolicy);
  const spans = new Map<string, StatementSpan[]>();
  const spanOf = (p: SimulatedPolicy, index: number): StatementSpan | undefined => {
    let list = spans.get(p.id);
    if (!list) spans.set(p.id, (list = statementPositions(p.text)));
    return list[index];
  };

  const results = [];
  for (const action of req.actionNames) {
    for (const resource of req.resourceArns && req.resourceArns.length > 0 ? req.resourceArns : ['*']) {
      const facts: RequestFactsInput = {
        principal: req.principal,
        action,
        resource,
        ...(req.resourcePolicy ? { keyAccountId: ownerAccount(req.resourceOwner, resource, req.principal) } : {}),
        now: new Date(req.now),
        ...(context ? { encryptionContext: context } : {}),
        extra: entries,
      };
      const { result, missingContextValues } = await simulate({
        facts,
        keyPolicy: req.resourcePolicy?.compiled,
        identityPolicies: req.identityPolicies.map((p) => p.compiled),
      });
      const matched = result.matchedStatements.flatMap((m) => {
        const p = policies.get(m.source);
        if (!p) return [];
        const span = spanOf(p, m.index);
        return [{ SourcePolicyId: p.id, SourcePolicyType: p.type, ...(span ? { StartPosition: span.start, EndPosition: span.end } : {}) }];
      });
      results.push({
        EvalActionName: action,
        EvalResourceName: resource,
        EvalDecision: result.decision,
        MatchedStatements: matched,
        MissingContextValues: missingContextValues,
        ...(req.resourcePolicy
          ? { ResourceSpecificResults: [{ EvalResourceName: resource, EvalResourceDecision: result.decision, MatchedStatements: matched, MissingContextValues: missingContextValues }] }
          : {}),
      });
    }
  }
  const start = decodeMarker(req.marker);
  const max = req.maxItems ?? 100;
  const page = results.slice(start, start + max);
  const truncated = start + max < results.length;
  return { EvaluationResults: page, IsTruncated: truncated, ...(truncated ? { Marker: encodeMarker(start + max) } : {}) };
}
