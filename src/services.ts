// The dependencies an operation handler may use, assembled once at start-up (src/server.ts).

import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { KeyService } from './keys/key-service.ts';
import type { Store } from './store/store.ts';
import type { Authorizer } from './authz/authorizer.ts';
import type { IdentityService } from './identity/identity-service.ts';

export interface Services {
  readonly config: Config;
  readonly store: Store;
  readonly keys: KeyService;
  readonly authorizer: Authorizer;
  readonly identity: IdentityService;
  readonly log: Logger;
  readonly now: () => number;
}
