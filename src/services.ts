// The dependencies an operation handler may use, assembled once at start-up (src/server.ts).

import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { KeyService } from './keys/key-service.ts';
import type { Store } from './store/store.ts';
import type { Authorizer } from './authz/authorizer.ts';
import type { IdentityService } from './identity/identity-service.ts';
import type { Guardrails } from './schema/guardrails.ts';
import type { GrantService } from './grants/grant-service.ts';
import type { PolicyAuthorizer } from './authz/policy-authorizer.ts';
import type { Monitor } from './monitor/monitor.ts';

export interface Services {
  readonly config: Config;
  readonly store: Store;
  readonly keys: KeyService;
  readonly authorizer: Authorizer;
  /** The policy engine behind the authorizer, also when enforcement is off: the simulator uses it. */
  readonly policies: PolicyAuthorizer;
  readonly grants: GrantService;
  readonly identity: IdentityService;
  /** Context schemas, secret detection and key naming for operations that create ciphertext. */
  readonly guardrails: Guardrails;
  /** Metrics, alert rules and alerts (absent where no server runs it). */
  readonly monitor?: Monitor;
  readonly log: Logger;
  readonly now: () => number;
}
