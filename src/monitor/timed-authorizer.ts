// Wraps the authorizer to time each decision for the policy-evaluation histogram: two clock reads
// per authorization, nothing else. Key-policy validation passes through untimed.

import { performance } from 'node:perf_hooks';
import type { Authorizer } from '../authz/authorizer.ts';

export function timedAuthorizer(inner: Authorizer, observe: (seconds: number, allowed: boolean) => void): Authorizer {
  const timed: Authorizer = {
    async authorize(request) {
      const start = performance.now();
      try {
        await inner.authorize(request);
      } catch (err) {
        observe((performance.now() - start) / 1000, false);
        throw err;
      }
      observe((performance.now() - start) / 1000, true);
    },
  };
  if (inner.validateKeyPolicy) timed.validateKeyPolicy = inner.validateKeyPolicy.bind(inner);
  return timed;
}
