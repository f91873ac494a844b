import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatorCases } from '../policy/evaluator-cases.ts';
import { isKontextError } from '../errors.ts';
import { needsAbsentServerKey, replay } from '../../test/helpers/evaluator-replay.ts';

describe('PolicyAuthorizer: the evaluator decision table as live requests', () => {
  for (const c of evaluatorCases) {
    if (needsAbsentServerKey(c)) continue;
    it(`${c.name} → ${c.expect}`, async () => {
      const { authorizer, request } = replay(c);
      const result = await authorizer.evaluateRequest(request);
      assert.equal(result.decision, c.expect, result.reason);
      if (c.denial) assert.equal(result.denial, c.denial);
      for (const source of c.matched ?? []) assert.ok(result.matchedStatements.some((m) => m.source === source), `${source} among the matched statements`);
      const outcome = await authorizer.authorize(request).then(() => 'allowed', (err: unknown) => {
        assert.ok(isKontextError(err) && err.code === 'AccessDeniedException');
        return 'denied';
      });
      assert.equal(outcome, c.expect === 'allowed' ? 'allowed' : 'denied');
    });
  }
});
