// The policy simulator's core: a hypothetical request evaluated by the same `decide` (and so the
// same `evaluate`) as enforcement, with the per-statement explanation and the condition keys the
// applicable statements use that the request did not supply (IAM's MissingContextValues).

import { buildRequestFacts, type CompiledPolicy, type EvaluationResult, type Grant, type RequestFacts, type RequestFactsInput } from '../policy/index.ts';
import { decide, fixedGrants } from './decide.ts';

export interface SimulationInput {
  readonly facts: RequestFactsInput;
  readonly keyPolicy: CompiledPolicy | undefined;
  readonly identityPolicies: readonly CompiledPolicy[];
  readonly grants?: readonly Grant[];
}

export interface Simulation {
  readonly facts: RequestFacts;
  readonly result: EvaluationResult;
  /** Condition keys (as written) that statements for this action and principal test but the request lacks. */
  readonly missingContextValues: readonly string[];
}

export async function simulate(input: SimulationInput): Promise<Simulation> {
  const facts = buildRequestFacts(input.facts);
  const { grants } = input;
  const result = await decide(
    {
      facts,
      keyPolicy: input.keyPolicy,
      identityPolicies: input.identityPolicies,
      ...(grants ? { grantKey: { region: '', accountId: facts.keyAccountId ?? '', keyId: facts.resource }, grantSource: fixedGrants(grants) } : {}),
    },
    true,
  );
  return { facts, result, missingContextValues: missingContextValues([...(input.keyPolicy ? [input.keyPolicy] : []), ...input.identityPolicies], facts) };
}

export function missingContextValues(policies: readonly CompiledPolicy[], facts: RequestFacts): string[] {
  const missing = new Map<string, string>();
  for (const policy of policies) {
    for (const s of policy.statements) {
      if (!s.matchesAction(facts.action) || s.principal.match(facts.principal) === 'none') continue;
      for (const c of s.conditions) {
        if (!facts.conditionValues.has(c.key) && !missing.has(c.key)) missing.set(c.key, c.clause.key);
      }
    }
  }
  return [...missing.values()];
}

/** `kms:EncryptionContext:<k>` entries of a simulated request, as the context they describe. */
export function contextFromEntries(entries: Readonly<Record<string, string | readonly string[]>>): Record<string, string> | undefined {
  const context: Record<string, string> = {};
  let any = false;
  for (const [name, value] of Object.entries(entries)) {
    if (name.toLowerCase().startsWith('kms:encryptioncontext:') && typeof value === 'string') {
      context[name.slice('kms:encryptioncontext:'.length)] = value;
      any = true;
    }
  }
  return any ? context : undefined;
}
