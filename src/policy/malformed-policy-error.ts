// Turns validation problems into the one wire error AWS returns for a bad policy. The Query
// framing (IAM) renames it MalformedPolicyDocument through QUERY_PROTOCOL_EQUIVALENT.

import { KontextError } from '../errors.ts';
import type { PolicyProblem } from './policy-document.ts';

const SHOWN = 3;

export function malformedPolicyError(problems: readonly PolicyProblem[]): KontextError {
  const describe = (p: PolicyProblem): string => (p.path ? `${p.message} (at ${p.path})` : p.message);
  const shown = problems.slice(0, SHOWN).map(describe);
  const more = problems.length - SHOWN;
  const message = more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
  return new KontextError('MalformedPolicyDocumentException', message, problems.map(describe).join('\n'));
}
