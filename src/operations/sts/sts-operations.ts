// The STS operations (Query protocol), for the one registry.

import type { OperationSpec } from '../operation.ts';
import { getCallerIdentity } from './get-caller-identity.ts';
import { assumeRole } from './assume-role.ts';

type AnySpec = OperationSpec<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const STS_OPERATIONS: readonly AnySpec[] = [getCallerIdentity, assumeRole];
