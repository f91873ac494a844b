// Serialises key records to the JSON document column and back (wrapped material as base64).

import type { KeyRecord, KeyVersion } from '../../keys/key-record.ts';

interface StoredVersion {
  version: number;
  createdAt: number;
  rotationType?: string;
  wrapped: string;
}

export function encodeKey(key: KeyRecord): string {
  const { versions, ...rest } = key;
  const stored: StoredVersion[] = versions.map((v) => ({
    version: v.version,
    createdAt: v.createdAt,
    ...(v.rotationType ? { rotationType: v.rotationType } : {}),
    wrapped: v.wrappedMaterial.toString('base64'),
  }));
  return JSON.stringify({ ...rest, versions: stored });
}

export function decodeKey(doc: string): KeyRecord {
  const raw = JSON.parse(doc) as Omit<KeyRecord, 'versions'> & { versions: StoredVersion[] };
  const versions: KeyVersion[] = raw.versions.map((v) => ({
    version: v.version,
    createdAt: v.createdAt,
    rotationType: v.rotationType as KeyVersion['rotationType'],
    wrappedMaterial: Buffer.from(v.wrapped, 'base64'),
  }));
  return {
    ...raw,
    deletionDate: raw.deletionDate ?? undefined,
    pendingDeletionWindowInDays: raw.pendingDeletionWindowInDays ?? undefined,
    rotationPeriodInDays: raw.rotationPeriodInDays ?? undefined,
    nextRotationDate: raw.nextRotationDate ?? undefined,
    versions,
  };
}
