// The per-request context guardrail for operations that create ciphertext. In two steps:
//   screen(): before the key is known — secret detection, and the audit copy of the context
//             with flagged values replaced by `[REDACTED:<kind>]` (so even a denied request never
//             logs them);
//   check():  once the key is resolved and authorized — the schema governing the key, the
//             secret-detection and naming verdicts under its modes, the audit note, the counters,
//             and a ValidationException naming the keys (never the values) when something enforced
//             fails.
// Never called on Decrypt or on ReEncrypt's source: old data must always stay readable.

import type { Logger } from 'pino';
import { KontextError } from '../errors.ts';
import type { KeyRecord } from '../keys/key-record.ts';
import { detectSecrets, redactContext, redactionMarker, type SecretFinding } from '../detect/detect-secrets.ts';
import { detectSecretValue } from '../detect/value-detectors.ts';
import type { SchemaIssue } from './compile-schema.ts';
import type { GuardrailFinding, GuardrailNote } from './guardrail-note.ts';
import { KeyNamingCheck } from './key-naming.ts';
import type { KeyNamingRules, SchemaMode } from './schema-document.ts';
import type { SchemaRegistry } from './schema-registry.ts';
import type { SchemaMatch, ScopeSchemas } from './scope-schemas.ts';

export type ContextMap = Readonly<Record<string, string>>;

export interface GuardrailSettings {
  /** Server-wide secret detection (a schema may override it for its keys). */
  readonly secretDetection: SchemaMode;
  /** Server-wide key naming (a schema may override it for its keys). */
  readonly keyNaming: KeyNamingRules;
}

/** The part of the audit notes the guardrail writes (OperationContext.audit satisfies it). */
export interface GuardrailAudit {
  readonly extraRequestParameters: Record<string, unknown>;
  guardrails?: GuardrailNote | undefined;
}

export interface KeyAliases {
  aliasesOf(key: KeyRecord): Promise<readonly string[]>;
}

export interface GuardrailCounters {
  checks: number;
  rejected: number;
  warned: number;
  schemaFindings: number;
  secretFindings: number;
  namingFindings: number;
}

const NO_ALIASES: readonly string[] = Object.freeze([]);
const EMPTY_CONTEXT: ContextMap = Object.freeze({});
const LOGGED_MAX = 10_000;

export class Guardrails {
  readonly settings: GuardrailSettings;
  readonly registry: SchemaRegistry;
  readonly counters: GuardrailCounters = { checks: 0, rejected: 0, warned: 0, schemaFindings: 0, secretFindings: 0, namingFindings: 0 };
  readonly #aliases: KeyAliases;
  readonly #log: Logger;
  readonly #naming: KeyNamingCheck;
  readonly #passNotes = new Map<string, Map<SchemaMode, GuardrailNote>>();
  readonly #logged = new Set<string>();

  constructor(registry: SchemaRegistry, aliases: KeyAliases, settings: GuardrailSettings, log: Logger) {
    this.registry = registry;
    this.settings = settings;
    this.#aliases = aliases;
    this.#log = log;
    this.#naming = new KeyNamingCheck(settings.keyNaming);
  }

  /**
   * Step one, before the key is resolved: detect secrets and put the redacted context in the audit
   * record, so that a request failing later (not found, access denied) never logs them either.
   * With detection off server-wide, a schema that turns it on for its keys gets it in check().
   */
  screen(audit: GuardrailAudit, context: ContextMap | undefined, field: string): ContextScreen {
    const screen = new ContextScreen(this, audit, context ?? EMPTY_CONTEXT, field);
    if (this.settings.secretDetection !== 'off') screen.detect();
    return screen;
  }

  /** Redaction only (ReEncrypt's source context): flagged values never reach the audit record; nothing is enforced. */
  redact(audit: GuardrailAudit, context: ContextMap | undefined, field: string): void {
    if (context === undefined || this.settings.secretDetection === 'off') return;
    const findings = detectSecrets(context);
    if (findings.length > 0) audit.extraRequestParameters[field] = redactContext(context, findings);
  }

  /** The schema governing a key now (policy lint uses it), or undefined. */
  async schemaFor(key: KeyRecord): Promise<SchemaMatch | undefined> {
    let scope = this.registry.scope(key.region, key.accountId);
    if (!scope) return undefined;
    const aliases = scope.hasAliasRules ? await this.#aliases.aliasesOf(key) : NO_ALIASES;
    scope = this.registry.scope(key.region, key.accountId);
    return scope?.select(key.keyId, key.tags, aliases);
  }

  /** @internal */
  aliasesOf(key: KeyRecord): Promise<readonly string[]> {
    return this.#aliases.aliasesOf(key);
  }

  /** @internal */
  namingFor(schemaNaming: KeyNamingCheck | undefined): KeyNamingCheck {
    return schemaNaming ?? this.#naming;
  }

  /** @internal A shared, frozen note for the common clean outcome (no allocation per request). */
  passNote(field: string, secretDetection: SchemaMode): GuardrailNote {
    let byMode = this.#passNotes.get(field);
    if (!byMode) this.#passNotes.set(field, (byMode = new Map()));
    let note = byMode.get(secretDetection);
    if (!note) byMode.set(secretDetection, (note = Object.freeze({ field, secretDetection, result: 'pass' as const })));
    return note;
  }

  /** @internal Logs a warning finding the first time it is seen for a key (names and codes only). */
  logWarnings(keyArn: string, note: GuardrailNote): void {
    const fresh = (note.findings ?? []).filter((f) => {
      const id = `${keyArn}|${f.source}|${f.code}|${f.key}`;
      if (this.#logged.has(id)) return false;
      if (this.#logged.size >= LOGGED_MAX) this.#logged.clear();
      this.#logged.add(id);
      return true;
    });
    if (fresh.length > 0) this.#log.warn({ key: keyArn, field: note.field, schema: note.schema, findings: fresh }, 'encryption context guardrail findings');
  }
}

export class ContextScreen {
  readonly #g: Guardrails;
  readonly #audit: GuardrailAudit;
  readonly #context: ContextMap;
  readonly #field: string;
  #secrets: readonly SecretFinding[] | undefined;

  constructor(g: Guardrails, audit: GuardrailAudit, context: ContextMap, field: string) {
    this.#g = g;
    this.#audit = audit;
    this.#context = context;
    this.#field = field;
  }

  /** @internal */
  detect(): readonly SecretFinding[] {
    if (this.#secrets === undefined) {
      this.#secrets = detectSecrets(this.#context);
      if (this.#secrets.length > 0) this.#audit.extraRequestParameters[this.#field] = redactContext(this.#context, this.#secrets);
    }
    return this.#secrets;
  }

  /**
   * Step two, once the key is known and authorized: the schemas of the key's own account and
   * region apply. Throws ValidationException when an enforced rule fails.
   */
  async check(key: KeyRecord): Promise<void> {
    const g = this.#g;
    let scope: ScopeSchemas | undefined = g.registry.scope(key.region, key.accountId);
    let aliases = NO_ALIASES;
    if (scope?.hasAliasRules) {
      aliases = await g.aliasesOf(key);
      // Decide on the newest snapshot; from here on everything is synchronous.
      scope = g.registry.scope(key.region, key.accountId);
    }
    const match = scope?.select(key.keyId, key.tags, aliases);
    const schema = match?.schema;
    const secretMode = schema?.document.secretDetection ?? g.settings.secretDetection;
    const secrets = secretMode === 'off' ? [] : this.detect();
    const naming = g.namingFor(schema?.naming);
    const issues: SchemaIssue[] = [];
    if (schema && schema.mode !== 'off') schema.check(this.#context, issues);

    // Findings are allocated only when there is one (the common clean request allocates nothing here).
    let findings: GuardrailFinding[] | undefined;
    const schemaAction = schema?.mode === 'enforce' ? 'reject' : 'warn';
    for (const i of issues) {
      (findings ??= []).push({ source: 'schema', code: i.code, key: safeKey(i.key), action: schemaAction, ...(i.code !== 'missing-required-key' ? { rule: i.rule } : {}) });
    }
    const secretAction = secretMode === 'enforce' ? 'reject' : 'warn';
    for (const s of secrets) (findings ??= []).push({ source: 'secret', code: s.kind, key: s.key, action: secretAction });
    const nearMisses = schema !== undefined && schema.document.allowOtherKeys;
    if (!naming.inactive || nearMisses) {
      for (const k in this.#context) {
        let n = naming.inactive ? undefined : naming.check(k);
        if (!n && nearMisses) {
          const near = schema.nearMiss(k);
          if (near) n = { code: 'non-canonical-key', key: k, suggestion: near };
        }
        if (n) (findings ??= []).push({ source: 'naming', code: n.code, key: safeKey(n.key), action: 'warn', ...(n.suggestion ? { suggestion: n.suggestion } : {}) });
      }
    }

    const c = g.counters;
    c.checks++;
    const schemaRef = match && { name: match.schema.name, version: match.schema.version, mode: match.schema.mode, matchedBy: match.matchedBy };
    if (!findings) {
      this.#audit.guardrails = schemaRef ? { field: this.#field, schema: schemaRef, secretDetection: secretMode, result: 'pass' } : g.passNote(this.#field, secretMode);
      return;
    }
    const all: GuardrailFinding[] = findings;
    const rejected = all.filter((f) => f.action === 'reject');
    const result = rejected.length > 0 ? 'reject' : 'warn';
    const note: GuardrailNote = { field: this.#field, ...(schemaRef ? { schema: schemaRef } : {}), secretDetection: secretMode, result, findings: all };
    this.#audit.guardrails = note;
    for (const f of all) {
      if (f.source === 'schema') c.schemaFindings++;
      else if (f.source === 'secret') c.secretFindings++;
      else c.namingFindings++;
    }
    if (result === 'reject') {
      c.rejected++;
      throw contextValidationError(this.#field, rejected, schemaRef);
    }
    c.warned++;
    g.logWarnings(key.arn, note);
  }
}

/** A key that itself looks like a secret is shown as its marker, never verbatim. */
function safeKey(key: string): string {
  const kind = key.startsWith('[REDACTED:') ? undefined : detectSecretValue(key, { randomExpected: false });
  return kind === undefined ? key : redactionMarker(kind);
}

const RULE_MAX = 200;
const clip = (s: string | undefined): string => (s === undefined ? '' : s.length > RULE_MAX ? `${s.slice(0, RULE_MAX)}...` : s);

function describe(f: GuardrailFinding, schema: { name: string; version: number } | undefined): string {
  const of = schema ? ` of context schema '${schema.name}' (version ${schema.version})` : '';
  switch (f.code) {
    case 'missing-required-key':
      return `Member is required by context schema '${schema?.name}' (version ${schema?.version})`;
    case 'unexpected-key':
      return `Key is not allowed by context schema '${schema?.name}' (version ${schema?.version})${f.rule?.startsWith('did you mean') ? `: ${f.rule}` : ''}`;
    case 'pattern-mismatch':
      return `Member must satisfy the regular expression pattern${of}: ${clip(f.rule)}`;
    case 'enum-mismatch':
      return `Member must satisfy the enum value set${of}: [${clip(f.rule)}]`;
    case 'too-long':
      return `Member must have length less than or equal to ${f.rule}${of}`;
    default:
      return f.key.startsWith('[REDACTED:')
        ? `A key looks like a secret (${f.code}); encryption context is logged in clear and must not hold secrets`
        : `Member looks like a secret (${f.code}); encryption context is logged in clear and must not hold secrets`;
  }
}

/** One ValidationException in the AWS wording, naming each key and rule, never a value. */
export function contextValidationError(field: string, rejected: readonly GuardrailFinding[], schema: { name: string; version: number } | undefined): KontextError {
  const n = rejected.length;
  const parts = rejected.map((f) => {
    const path = f.key.startsWith('[REDACTED:') ? field : `${field}.${f.key}`;
    return `Value${f.code === 'missing-required-key' ? ' null' : ''} at '${path}' failed to satisfy constraint: ${describe(f, f.source === 'schema' ? schema : undefined)}`;
  });
  return new KontextError('ValidationException', `${n} validation error${n === 1 ? '' : 's'} detected: ${parts.join('; ')}`);
}
