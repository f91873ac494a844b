// The one table of operations. Routing, authorization, auditing, the CLI and the docs read it;
// adding an operation means adding its file and one line here.

import type { OperationSpec, ServiceName } from './operation.ts';
import { createKey } from './kms/create-key.ts';
import { describeKey } from './kms/describe-key.ts';
import { listKeys } from './kms/list-keys.ts';
import { cancelKeyDeletion, disableKey, enableKey, scheduleKeyDeletion } from './kms/key-state-changes.ts';
import { updateKeyDescription } from './kms/update-key-description.ts';
import { listResourceTags, tagResource, untagResource } from './kms/tag-operations.ts';
import { createAlias, deleteAlias, listAliases, updateAlias } from './kms/alias-operations.ts';
import { encrypt } from './kms/encrypt.ts';
import { decrypt } from './kms/decrypt.ts';
import { reEncrypt } from './kms/re-encrypt.ts';
import { generateDataKey, generateDataKeyWithoutPlaintext } from './kms/generate-data-key.ts';
import { generateRandom } from './kms/generate-random.ts';
import { disableKeyRotation, enableKeyRotation, getKeyRotationStatus, listKeyRotations, rotateKeyOnDemand } from './kms/rotation-operations.ts';
import { getKeyPolicy, listKeyPolicies, putKeyPolicy } from './kms/key-policy-operations.ts';
import { createGrant } from './kms/grant-create.ts';
import { listGrants, listRetirableGrants } from './kms/grant-list.ts';
import { retireGrant, revokeGrant } from './kms/grant-retire.ts';
import { IAM_OPERATIONS } from './iam/iam-operations.ts';
import { STS_OPERATIONS } from './sts/sts-operations.ts';
import { simulateCustomPolicy } from './iam/simulate-custom-policy.ts';
import { simulatePrincipalPolicy } from './iam/simulate-principal-policy.ts';
import { simulatePolicy } from './kontext/simulate-policy.ts';
import { SCHEMA_OPERATIONS } from './kontext/schema-operations.ts';
import { AUDIT_OPERATIONS } from './kontext/audit-operations.ts';
import { ALERT_OPERATIONS } from './kontext/alert-operations.ts';
import { getContextUsage } from './kontext/audit-context-usage.ts';

type AnySpec = OperationSpec<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The policy simulators: IAM's two (Query protocol) and Kontext.SimulatePolicy. */
export const SIMULATOR_OPERATIONS: readonly AnySpec[] = [simulateCustomPolicy, simulatePrincipalPolicy, simulatePolicy];

export const KMS_OPERATIONS: readonly AnySpec[] = [
  createKey, describeKey, listKeys, enableKey, disableKey, scheduleKeyDeletion, cancelKeyDeletion,
  updateKeyDescription, tagResource, untagResource, listResourceTags,
  createAlias, updateAlias, deleteAlias, listAliases,
  encrypt, decrypt, reEncrypt, generateDataKey, generateDataKeyWithoutPlaintext, generateRandom,
  enableKeyRotation, disableKeyRotation, getKeyRotationStatus, rotateKeyOnDemand, listKeyRotations,
  getKeyPolicy, putKeyPolicy, listKeyPolicies,
  createGrant, listGrants, listRetirableGrants, retireGrant, revokeGrant,
];

export class OperationRegistry {
  readonly #byService = new Map<ServiceName, Map<string, AnySpec>>();

  constructor(specs: readonly AnySpec[]) {
    for (const spec of specs) this.add(spec);
  }

  add(spec: AnySpec): void {
    let ops = this.#byService.get(spec.service);
    if (!ops) this.#byService.set(spec.service, (ops = new Map()));
    if (ops.has(spec.name)) throw new Error(`Operation registered twice: ${spec.service}:${spec.name}`);
    ops.set(spec.name, spec);
  }

  get(service: ServiceName, name: string): AnySpec | undefined {
    return this.#byService.get(service)?.get(name);
  }

  list(service?: ServiceName): AnySpec[] {
    if (service) return [...(this.#byService.get(service)?.values() ?? [])];
    return [...this.#byService.values()].flatMap((m) => [...m.values()]);
  }
}

export const defaultRegistry = (): OperationRegistry => new OperationRegistry([...KMS_OPERATIONS, ...IAM_OPERATIONS, ...STS_OPERATIONS, ...SIMULATOR_OPERATIONS, ...AUDIT_OPERATIONS, getContextUsage, ...SCHEMA_OPERATIONS, ...ALERT_OPERATIONS]);
