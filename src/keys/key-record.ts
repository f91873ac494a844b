// The KMS key as data: metadata, state, rotation schedule and versions of wrapped backing material.

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';
export type RotationType = 'AUTOMATIC' | 'ON_DEMAND';

export interface KeyVersion {
  readonly version: number;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** How this version came to be; undefined for the material the key was created with. */
  readonly rotationType: RotationType | undefined;
  /** Backing key material wrapped under the root key (label: `key:<arn>:v<version>`). */
  readonly wrappedMaterial: Buffer;
}

export interface Tag {
  readonly TagKey: string;
  readonly TagValue: string;
}

export interface KeyRecord {
  readonly keyId: string;
  readonly accountId: string;
  readonly region: string;
  readonly arn: string;
  readonly description: string;
  readonly keyUsage: 'ENCRYPT_DECRYPT';
  readonly keySpec: 'SYMMETRIC_DEFAULT';
  readonly origin: 'AWS_KMS';
  readonly keyState: KeyState;
  readonly creationDate: number;
  readonly deletionDate: number | undefined;
  readonly pendingDeletionWindowInDays: number | undefined;
  readonly policy: string;
  readonly rotationEnabled: boolean;
  readonly rotationPeriodInDays: number | undefined;
  readonly nextRotationDate: number | undefined;
  readonly onDemandRotations: number;
  readonly versions: readonly KeyVersion[];
  readonly tags: readonly Tag[];
}

export const keyArn = (region: string, accountId: string, keyId: string): string =>
  `arn:aws:kms:${region}:${accountId}:key/${keyId}`;

export const aliasArn = (region: string, accountId: string, aliasName: string): string =>
  `arn:aws:kms:${region}:${accountId}:${aliasName}`;

export const materialLabel = (arn: string, version: number): string => `key:${arn}:v${version}`;

export const latestVersion = (key: KeyRecord): KeyVersion => key.versions[key.versions.length - 1] as KeyVersion;

export const DAY_MS = 86_400_000;
