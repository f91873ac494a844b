// Grants in SQLite: one row per grant, the record as a JSON document. The per-key quota check and
// the insert run in one transaction so concurrent CreateGrants cannot overshoot it.

import type Database from 'better-sqlite3';
import type { GrantRecord } from '../../grants/grant-record.ts';
import type { GrantFilter, GrantPage, GrantRepository, StoredGrant } from '../grant-repository.ts';

interface Row {
  readonly seq: number;
  readonly doc: string;
}

const decode = (doc: string): GrantRecord => {
  const g = JSON.parse(doc) as GrantRecord & { name: string | null; retiringPrincipal: string | null; constraints: GrantRecord['constraints'] | null };
  return { ...g, name: g.name ?? undefined, retiringPrincipal: g.retiringPrincipal ?? undefined, constraints: g.constraints ?? undefined };
};

/** undefined members become null so the document keeps every field. */
const encode = (g: GrantRecord): string =>
  JSON.stringify({ ...g, name: g.name ?? null, retiringPrincipal: g.retiringPrincipal ?? null, constraints: g.constraints ?? null });

const stored = (r: Row): StoredGrant => ({ seq: r.seq, grant: decode(r.doc) });

export function sqliteGrantRepository(db: Database.Database): GrantRepository {
  const count = db.prepare('SELECT count(*) FROM kms_grants WHERE region = ? AND account_id = ? AND key_id = ?').pluck();
  const insert = db.prepare(
    'INSERT INTO kms_grants (grant_id, region, account_id, key_id, name, grantee_principal, retiring_principal, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const select = db.prepare('SELECT doc FROM kms_grants WHERE grant_id = ?').pluck();
  const forKey = db.prepare(
    `SELECT seq, doc FROM kms_grants WHERE region = ? AND account_id = ? AND key_id = ? AND seq > ?
       AND (? IS NULL OR grant_id = ?) AND (? IS NULL OR grantee_principal = ?) ORDER BY seq LIMIT ?`,
  );
  const byRetiring = db.prepare('SELECT seq, doc FROM kms_grants WHERE region = ? AND retiring_principal = ? AND seq > ? ORDER BY seq LIMIT ?');
  const byName = db.prepare('SELECT doc FROM kms_grants WHERE region = ? AND account_id = ? AND key_id = ? AND name = ? ORDER BY seq').pluck();
  const remove = db.prepare('DELETE FROM kms_grants WHERE grant_id = ?');
  const removeForKey = db.prepare('DELETE FROM kms_grants WHERE region = ? AND account_id = ? AND key_id = ?');

  const create = db.transaction((g: GrantRecord, limit: number): 'created' | 'limit-exceeded' => {
    if (Number(count.get(g.region, g.accountId, g.keyId)) >= limit) return 'limit-exceeded';
    insert.run(g.grantId, g.region, g.accountId, g.keyId, g.name ?? null, g.granteePrincipal, g.retiringPrincipal ?? null, encode(g));
    return 'created';
  });

  return {
    async create(grant, limit) {
      return create(grant, limit);
    },
    async get(grantId) {
      const doc = select.get(grantId) as string | undefined;
      return doc === undefined ? undefined : decode(doc);
    },
    async listForKey(region, accountId, keyId, page: GrantPage, filter: GrantFilter = {}) {
      const id = filter.grantId ?? null;
      const grantee = filter.granteePrincipal ?? null;
      return (forKey.all(region, accountId, keyId, page.after ?? 0, id, id, grantee, grantee, page.limit) as Row[]).map(stored);
    },
    async listByRetiringPrincipal(region, retiringPrincipal, page) {
      return (byRetiring.all(region, retiringPrincipal, page.after ?? 0, page.limit) as Row[]).map(stored);
    },
    async findByName(region, accountId, keyId, name) {
      return (byName.all(region, accountId, keyId, name) as string[]).map(decode);
    },
    async delete(grantId) {
      return remove.run(grantId).changes > 0;
    },
    async deleteForKey(region, accountId, keyId) {
      return removeForKey.run(region, accountId, keyId).changes;
    },
  };
}
