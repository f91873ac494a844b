// Key lifecycle and use: resolving KeyId references, creating and rotating keys, state rules,
// and the cryptography on behalf of the operations. Keeps decoded records and unwrapped backing
// keys in bounded in-memory caches, updated on every write this process makes.

import { randomUUID } from 'node:crypto';
import { KontextError } from '../errors.ts';
import type { RootKey } from '../crypto/root-key.ts';
import { parseCiphertext } from '../crypto/ciphertext-format.ts';
import { encodeEncryptionContext, type EncryptionContext } from '../crypto/encryption-context.ts';
import { open, seal, type RandomBytes } from '../crypto/symmetric.ts';
import { pooledRandom } from '../crypto/random-pool.ts';
import type { AliasRecord, Store } from '../store/store.ts';
import { BoundedCache } from './bounded-cache.ts';
import { DAY_MS, aliasArn, keyArn, latestVersion, materialLabel, type KeyRecord, type KeyVersion, type RotationType, type Tag } from './key-record.ts';
import { parseKeyRef } from './key-ref.ts';

export interface Scope {
  readonly region: string;
  readonly accountId: string;
}

export interface CreateKeyInput {
  readonly description: string;
  readonly policy: string;
  readonly tags: readonly Tag[];
}

export interface DecryptResult {
  readonly key: KeyRecord;
  readonly keyVersion: number;
  readonly plaintext: Buffer;
}

/** A decrypt failure: one vague error for the caller, the precise reason for the audit trail. */
const invalidCiphertext = (reason: string): KontextError => new KontextError('InvalidCiphertextException', '', reason);

export const MAX_ON_DEMAND_ROTATIONS = 10;

export class KeyService {
  readonly #store: Store;
  readonly #root: RootKey;
  readonly #random: RandomBytes;
  readonly #records = new BoundedCache<KeyRecord>(20_000);
  readonly #material = new BoundedCache<Buffer>(20_000);

  constructor(store: Store, root: RootKey, random: RandomBytes) {
    this.#store = store;
    this.#root = root;
    // Several small random values per request (nonce, IV, data key): one CSPRNG call per pool refill.
    this.#random = pooledRandom(random);
  }

  async create(scope: Scope, input: CreateKeyInput, now: number): Promise<KeyRecord> {
    const keyId = randomUUID();
    const arn = keyArn(scope.region, scope.accountId, keyId);
    const key: KeyRecord = {
      keyId,
      accountId: scope.accountId,
      region: scope.region,
      arn,
      description: input.description,
      keyUsage: 'ENCRYPT_DECRYPT',
      keySpec: 'SYMMETRIC_DEFAULT',
      origin: 'AWS_KMS',
      keyState: 'Enabled',
      creationDate: now,
      deletionDate: undefined,
      pendingDeletionWindowInDays: undefined,
      policy: input.policy,
      rotationEnabled: false,
      rotationPeriodInDays: undefined,
      nextRotationDate: undefined,
      onDemandRotations: 0,
      versions: [this.#newVersion(arn, 1, now, undefined)],
      tags: input.tags,
    };
    await this.#store.keys.create(key);
    this.#records.set(this.#cacheKey(key.region, key.accountId, key.keyId), key);
    return key;
  }

  /** Resolves a KeyId parameter (id, ARN, alias name, alias ARN) to a key, or NotFoundException. */
  async resolve(scope: Scope, keyIdParam: string): Promise<{ key: KeyRecord; alias: string | undefined }> {
    const ref = parseKeyRef(keyIdParam);
    if (ref.region !== undefined && ref.region !== scope.region) {
      throw new KontextError('NotFoundException', `Invalid arn ${keyIdParam}`);
    }
    const accountId = ref.accountId ?? scope.accountId;
    if (ref.kind === 'alias') {
      const alias = await this.#store.aliases.get(scope.region, accountId, ref.aliasName);
      if (!alias) throw new KontextError('NotFoundException', `Alias ${aliasArn(scope.region, accountId, ref.aliasName)} is not found.`);
      return { key: await this.getById(scope.region, accountId, alias.targetKeyId), alias: ref.aliasName };
    }
    return { key: await this.getById(scope.region, accountId, ref.keyId), alias: undefined };
  }

  async getById(region: string, accountId: string, keyId: string): Promise<KeyRecord> {
    const ck = this.#cacheKey(region, accountId, keyId);
    let key = this.#records.get(ck);
    if (!key) {
      key = await this.#store.keys.get(region, accountId, keyId);
      if (!key) throw new KontextError('NotFoundException', `Key '${keyArn(region, accountId, keyId)}' does not exist`);
      this.#records.set(ck, key);
    }
    return key;
  }

  /**
   * The key a ciphertext names, looked up first in the caller's account and then in any account of
   * the region (a key shared with the caller by its key policy or a grant). Authorization is the
   * caller's business: finding a key here grants nothing.
   */
  async getByCiphertextKeyId(region: string, callerAccountId: string, keyId: string): Promise<KeyRecord> {
    try {
      return await this.getById(region, callerAccountId, keyId);
    } catch (err) {
      if (!(err instanceof KontextError) || err.code !== 'NotFoundException') throw err;
      const other = await this.#store.keys.findById(region, keyId);
      if (!other) throw err;
      const ck = this.#cacheKey(other.region, other.accountId, other.keyId);
      const cached = this.#records.get(ck);
      if (cached) return cached;
      this.#records.set(ck, other);
      return other;
    }
  }

  /** Persists a changed record; the cache follows only after the store has it. */
  async save(key: KeyRecord): Promise<KeyRecord> {
    await this.#store.keys.put(key);
    this.#records.set(this.#cacheKey(key.region, key.accountId, key.keyId), key);
    return key;
  }

  async remove(key: KeyRecord): Promise<void> {
    await this.#store.keys.delete(key.region, key.accountId, key.keyId);
    this.#records.delete(this.#cacheKey(key.region, key.accountId, key.keyId));
    for (const v of key.versions) this.#material.delete(`${key.arn}#${v.version}`);
  }

  /** Forgets cached state for a key another node changed. */
  invalidate(region: string, accountId: string, keyId: string): void {
    this.#records.delete(this.#cacheKey(region, accountId, keyId));
  }

  /** Crypto operations need an Enabled key: Disabled and PendingDeletion answer as AWS does. */
  assertUsable(key: KeyRecord): void {
    if (key.keyState === 'Disabled') throw new KontextError('DisabledException', `${key.arn} is disabled.`);
    if (key.keyState === 'PendingDeletion') throw new KontextError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
  }

  assertNotPendingDeletion(key: KeyRecord): void {
    if (key.keyState === 'PendingDeletion') throw new KontextError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
  }

  encrypt(key: KeyRecord, plaintext: Buffer, context: EncryptionContext | undefined): Buffer {
    const version = latestVersion(key);
    return seal(
      { keyId: key.keyId, keyVersion: version.version, backingKey: this.#backingKey(key, version), plaintext, aadContext: encodeEncryptionContext(context) },
      this.#random,
    );
  }

  /** Reads the key id out of a ciphertext blob without decrypting it (undefined if malformed). */
  keyIdOf(blob: Buffer): string | undefined {
    return parseCiphertext(blob)?.header.keyId;
  }

  /**
   * Decrypts a blob. The key is looked up from the blob; `expected` (from a KeyId parameter) must be
   * that key or IncorrectKeyException. Every failure past that point is the same vague
   * InvalidCiphertextException, with the real reason attached for the audit trail.
   */
  async decrypt(scope: Scope, blob: Buffer, context: EncryptionContext | undefined, keyFor: (keyId: string) => Promise<KeyRecord>): Promise<DecryptResult> {
    const parsed = parseCiphertext(blob);
    if (!parsed) throw invalidCiphertext('ciphertext is malformed or of an unknown format');
    const key = await keyFor(parsed.header.keyId);
    const version = key.versions.find((v) => v.version === parsed.header.keyVersion);
    if (!version) throw invalidCiphertext(`key version ${parsed.header.keyVersion} does not exist on ${key.arn}`);
    void scope;
    const aad = encodeEncryptionContext(context);
    const plaintext = open(parsed, this.#backingKey(key, version), aad);
    if (!plaintext) throw invalidCiphertext('authentication failed: the encryption context differs or the ciphertext was altered');
    return { key, keyVersion: version.version, plaintext };
  }

  generateRandom(bytes: number): Buffer {
    return this.#random(bytes);
  }

  /** A new record with one more backing-key version (the caller persists it). */
  rotated(key: KeyRecord, type: RotationType, now: number): KeyRecord {
    const next = latestVersion(key).version + 1;
    const version = this.#newVersion(key.arn, next, now, type);
    return {
      ...key,
      versions: [...key.versions, version],
      onDemandRotations: type === 'ON_DEMAND' ? key.onDemandRotations + 1 : key.onDemandRotations,
      nextRotationDate:
        type === 'AUTOMATIC' && key.rotationEnabled && key.rotationPeriodInDays !== undefined
          ? now + key.rotationPeriodInDays * DAY_MS
          : key.nextRotationDate,
    };
  }

  /** Deletes keys whose waiting period has ended and rotates keys whose period has elapsed. */
  async sweep(now: number): Promise<{ deleted: string[]; rotated: string[] }> {
    const deleted: string[] = [];
    const rotated: string[] = [];
    for (const key of await this.#store.keys.listDue(now)) {
      if (key.keyState === 'PendingDeletion' && key.deletionDate !== undefined && key.deletionDate <= now) {
        await this.remove(key);
        deleted.push(key.arn);
      } else if (key.keyState === 'Enabled' && key.rotationEnabled && key.nextRotationDate !== undefined && key.nextRotationDate <= now) {
        await this.save(this.rotated(key, 'AUTOMATIC', now));
        rotated.push(key.arn);
      }
    }
    return { deleted, rotated };
  }

  async aliasesOf(key: KeyRecord): Promise<AliasRecord[]> {
    return this.#store.aliases.list(key.region, key.accountId, key.keyId, { limit: 1000, after: undefined });
  }

  #newVersion(arn: string, version: number, now: number, rotationType: RotationType | undefined): KeyVersion {
    const material = this.#random(32);
    this.#material.set(`${arn}#${version}`, material);
    return { version, createdAt: now, rotationType, wrappedMaterial: this.#root.wrap(material, materialLabel(arn, version)) };
  }

  #backingKey(key: KeyRecord, version: KeyVersion): Buffer {
    const ck = `${key.arn}#${version.version}`;
    let material = this.#material.get(ck);
    if (!material) {
      material = this.#root.unwrap(version.wrappedMaterial, materialLabel(key.arn, version.version));
      this.#material.set(ck, material);
    }
    return material;
  }

  #cacheKey(region: string, accountId: string, keyId: string): string {
    return `${region}/${accountId}/${keyId}`;
  }
}
