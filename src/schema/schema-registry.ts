// The context-schema registry: versioned storage through the repository, and the compiled
// schemas of every account and region kept in memory so that a request never reads the database
// or compiles anything. Every write is durable before the in-memory snapshot of its scope is
// replaced (one assignment), so a request sees the old rules or the new ones, never a mix.

import { KontextError } from '../errors.ts';
import type { ContextSchemaRepository } from '../store/schema-repository.ts';
import { StoreConflict } from '../store/store.ts';
import { compileSchema, type CompiledSchema } from './compile-schema.ts';
import type { ContextSchemaDocument, ContextSchemaVersion, SchemaProblem } from './schema-document.ts';
import { ScopeSchemas } from './scope-schemas.ts';

export interface Scope {
  readonly region: string;
  readonly accountId: string;
}

const scopeKey = (region: string, accountId: string): string => `${region}/${accountId}`;

/** One ValidationException for a list of schema problems (the edge turns problems into the wire error). */
export function schemaValidationError(problems: readonly SchemaProblem[]): KontextError {
  const n = problems.length;
  const text = problems.map((p) => `Value at '${p.path}' failed to satisfy constraint: ${p.message}`).join('; ');
  return new KontextError('ValidationException', `${n} validation error${n === 1 ? '' : 's'} detected: ${text}`);
}

export class SchemaRegistry {
  readonly #repo: ContextSchemaRepository;
  readonly #onLoadError: (version: ContextSchemaVersion, problems: readonly SchemaProblem[]) => void;
  /** region → account → compiled schemas (two lookups, no key string built per request). */
  #scopes = new Map<string, ReadonlyMap<string, ScopeSchemas>>();
  /** The latest version (put or deletion) applied in memory per schema, so a late writer cannot roll it back. */
  readonly #applied = new Map<string, number>();

  constructor(repo: ContextSchemaRepository, onLoadError: (version: ContextSchemaVersion, problems: readonly SchemaProblem[]) => void = () => {}) {
    this.#repo = repo;
    this.#onLoadError = onLoadError;
  }

  /** Compiles every current schema of every scope (start-up, or after another node changed some). */
  async load(): Promise<void> {
    const byScope = new Map<string, Array<{ origin: ContextSchemaVersion; schema: CompiledSchema }>>();
    for (const v of await this.#repo.listAllCurrent()) {
      const compiled = compileSchema(v.document, v.version);
      if (!compiled.ok) {
        this.#onLoadError(v, compiled.problems);
        continue;
      }
      const key = scopeKey(v.region, v.accountId);
      let list = byScope.get(key);
      if (!list) byScope.set(key, (list = []));
      list.push({ origin: v, schema: compiled.schema });
    }
    const scopes = new Map<string, Map<string, ScopeSchemas>>();
    for (const list of byScope.values()) {
      const { region, accountId } = list[0]!.origin;
      let regional = scopes.get(region);
      if (!regional) scopes.set(region, (regional = new Map()));
      regional.set(accountId, new ScopeSchemas(list.map((l) => l.schema)));
    }
    this.#scopes = scopes;
  }

  /** The compiled schemas of a scope, or undefined when it has none. Synchronous, no I/O. */
  scope(region: string, accountId: string): ScopeSchemas | undefined {
    return this.#scopes.get(region)?.get(accountId);
  }

  /** Validates, compiles and stores `doc` as the next version of its schema. */
  async put(scope: Scope, doc: ContextSchemaDocument, now: number): Promise<ContextSchemaVersion> {
    const checked = compileSchema(doc, 0);
    if (!checked.ok) throw schemaValidationError(checked.problems);
    const normalized = checked.schema.document;
    const written = await this.#append(scope, doc.name, now, false, () => normalized);
    const compiled = compileSchema(normalized, written.version);
    if (compiled.ok) this.#replace(scope, doc.name, written.version, compiled.schema);
    return written;
  }

  /** Marks a schema deleted (a tombstone version); its history stays readable. */
  async delete(scope: Scope, name: string, now: number): Promise<ContextSchemaVersion> {
    const written = await this.#append(scope, name, now, true, (latest) => {
      if (!latest || latest.deleted) throw notFound(scope, name);
      return latest.document;
    });
    this.#replace(scope, name, written.version, undefined);
    return written;
  }

  /** The current version, or a given one (deleted schemas' old versions stay readable by number). */
  async get(scope: Scope, name: string, version?: number): Promise<ContextSchemaVersion> {
    const v = version === undefined ? await this.#repo.latest(scope.region, scope.accountId, name) : await this.#repo.get(scope.region, scope.accountId, name, version);
    if (!v || (version === undefined && v.deleted)) throw notFound(scope, name, version);
    return v;
  }

  listCurrent(scope: Scope, after: string | undefined, limit: number): Promise<ContextSchemaVersion[]> {
    return this.#repo.listCurrent(scope.region, scope.accountId, after, limit);
  }

  listVersions(scope: Scope, name: string, after: number | undefined, limit: number): Promise<ContextSchemaVersion[]> {
    return this.#repo.listVersions(scope.region, scope.accountId, name, after, limit);
  }

  async #append(scope: Scope, name: string, now: number, deleted: boolean, documentFor: (latest: ContextSchemaVersion | undefined) => ContextSchemaDocument): Promise<ContextSchemaVersion> {
    for (let attempt = 0; ; attempt++) {
      const latest = await this.#repo.latest(scope.region, scope.accountId, name);
      const version: ContextSchemaVersion = {
        region: scope.region,
        accountId: scope.accountId,
        name,
        version: (latest?.version ?? 0) + 1,
        createdAt: now,
        deleted,
        document: documentFor(latest),
      };
      try {
        await this.#repo.append(version);
        return version;
      } catch (err) {
        if (!(err instanceof StoreConflict) || attempt >= 4) throw err;
      }
    }
  }

  /** Swaps in a new snapshot of the scope with `name` at `version` (or removed), unless a newer write got there first. */
  #replace(scope: Scope, name: string, version: number, schema: CompiledSchema | undefined): void {
    const key = scopeKey(scope.region, scope.accountId);
    const appliedKey = `${key}/${name}`;
    if ((this.#applied.get(appliedKey) ?? 0) > version) return;
    this.#applied.set(appliedKey, version);
    const current = this.scope(scope.region, scope.accountId);
    const others = (current?.schemas ?? []).filter((s) => s.name !== name);
    const next = schema ? [...others, schema] : others;
    const regional = new Map(this.#scopes.get(scope.region));
    if (next.length > 0) regional.set(scope.accountId, new ScopeSchemas(next));
    else regional.delete(scope.accountId);
    const scopes = new Map(this.#scopes);
    scopes.set(scope.region, regional);
    this.#scopes = scopes;
  }
}

function notFound(scope: Scope, name: string, version?: number): KontextError {
  const what = version === undefined ? `Context schema '${name}'` : `Version ${version} of context schema '${name}'`;
  return new KontextError('NotFoundException', `${what} does not exist in account ${scope.accountId} region ${scope.region}`);
}
