// The alert rules in force: those of the rules file (read-only at run time) and those put through
// the API (stored), installed in the engine with their learned state. Rule definitions and their
// learning start survive restarts; learned state is saved periodically and at shutdown.

import { KontextError } from '../errors.ts';
import type { AlertRepository, RuleStateRow } from '../store/alert-repository.ts';
import type { AlertRuleDocument, StoredAlertRule } from './alert-rule.ts';
import { ruleFingerprint } from './compiled-rule.ts';
import { issueLines } from './doc-reader.ts';
import type { RuleEngine } from './rule-engine.ts';
import { parseAlertRule } from './rule-parse.ts';
import type { RuleFile } from './rule-file.ts';

export const MAX_RULES_PER_ACCOUNT = 100;

export interface RuleRegistryOptions {
  readonly repo: AlertRepository;
  readonly engine: RuleEngine;
  readonly webhookNames: readonly string[];
  readonly now: () => number;
  readonly log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export class RuleRegistry {
  readonly #o: RuleRegistryOptions;
  /** account/name of the file's rules: the API cannot change them. */
  readonly #fileRules = new Set<string>();

  constructor(o: RuleRegistryOptions) {
    this.#o = o;
  }

  /** Installs the stored and the file's rules with their saved state; the file wins a name clash. */
  async load(file: RuleFile | undefined, defaultAccountId: string): Promise<void> {
    const states = new Map((await this.#o.repo.loadStates()).map((s) => [`${s.accountId}/${s.ruleName}`, s]));
    const fresh: StoredAlertRule[] = [];
    const fileAccount = file?.accountId ?? defaultAccountId;
    for (const doc of file?.rules ?? []) {
      const key = `${fileAccount}/${doc.RuleName}`;
      const saved = states.get(key);
      const same = saved !== undefined && saved.fingerprint === ruleFingerprint(doc);
      const now = this.#o.now();
      const rule: StoredAlertRule = { accountId: fileAccount, source: 'file', document: doc, createdAt: same ? saved.createdAt : now, updatedAt: same ? saved.createdAt : now };
      this.#o.engine.install(rule, same ? saved : undefined);
      this.#fileRules.add(key);
      if (!same) fresh.push(rule);
    }
    for (const rule of await this.#o.repo.listRules()) {
      const key = `${rule.accountId}/${rule.document.RuleName}`;
      if (this.#fileRules.has(key)) {
        this.#o.log.warn({ rule: rule.document.RuleName, accountId: rule.accountId }, 'alert rule defined both in the rules file and through the API: the file wins');
        continue;
      }
      const parsed = parseAlertRule(rule.document);
      if (parsed.issues) {
        this.#o.log.error({ rule: rule.document.RuleName, problems: issueLines(parsed.issues) }, 'stored alert rule no longer validates; it is not applied');
        continue;
      }
      const saved = states.get(key);
      this.#o.engine.install({ ...rule, document: parsed.rule }, saved);
      if (!saved) fresh.push(rule);
    }
    // A new definition's learning start is saved at once, not only with the first periodic save.
    await this.#save(fresh.flatMap((r) => this.#rowOf(r.accountId, r.document.RuleName)));
  }

  /** Validates and stores a rule; an unchanged definition keeps its learned state. */
  async put(accountId: string, input: unknown): Promise<StoredAlertRule> {
    const parsed = parseAlertRule(input);
    if (parsed.issues) throw validation(issueLines(parsed.issues));
    const doc: AlertRuleDocument = parsed.rule;
    if (this.#fileRules.has(`${accountId}/${doc.RuleName}`)) throw validation([`Value '${doc.RuleName}' at 'ruleName' failed to satisfy constraint: Member must not name a rule of the rules file, which the API cannot change`]);
    const unknown = (doc.Webhooks ?? []).map((w, i) => [w, i] as const).filter(([w]) => !this.#o.webhookNames.includes(w));
    if (unknown.length > 0) throw validation(unknown.map(([w, i]) => `Value '${w}' at 'webhooks.${i + 1}.member' failed to satisfy constraint: Member must name a webhook of the rules file`));
    const existing = this.#o.engine.rule(accountId, doc.RuleName);
    if (!existing && this.#o.engine.rules(accountId).length >= MAX_RULES_PER_ACCOUNT) {
      throw new KontextError('LimitExceededException', `Cannot create alert rule: the account already has ${MAX_RULES_PER_ACCOUNT} rules`);
    }
    const now = this.#o.now();
    const same = existing !== undefined && existing.fingerprint === ruleFingerprint(doc);
    const rule: StoredAlertRule = { accountId, source: 'api', document: doc, createdAt: same ? existing.rule.createdAt : now, updatedAt: now };
    await this.#o.repo.putRule(rule);
    const saved = same ? this.#rowOf(accountId, doc.RuleName)[0] : undefined;
    this.#o.engine.install(rule, saved);
    await this.#save(this.#rowOf(accountId, doc.RuleName));
    return rule;
  }

  list(accountId: string): StoredAlertRule[] {
    return this.#o.engine.rules(accountId).map((c) => c.rule);
  }

  async delete(accountId: string, name: string): Promise<void> {
    if (this.#fileRules.has(`${accountId}/${name}`)) throw validation([`Value '${name}' at 'ruleName' failed to satisfy constraint: Member must not name a rule of the rules file, which the API cannot change`]);
    const existed = await this.#o.repo.deleteRule(accountId, name);
    const removed = this.#o.engine.remove(accountId, name);
    if (!existed && !removed) throw new KontextError('NotFoundException', `Alert rule '${name}' does not exist`);
  }

  /** Saves learned state: only what changed, or everything (shutdown). */
  async saveState(all: boolean): Promise<number> {
    const rows = this.#o.engine.stateRows(this.#o.now(), !all);
    await this.#save(rows);
    return rows.length;
  }

  #rowOf(accountId: string, name: string): RuleStateRow[] {
    const row = this.#o.engine.stateRow(accountId, name, this.#o.now());
    return row ? [row] : [];
  }

  async #save(rows: readonly RuleStateRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#o.repo.saveStates(rows);
    this.#o.engine.markSaved(rows);
  }
}

function validation(lines: readonly string[]): KontextError {
  return new KontextError('ValidationException', `${lines.length} validation error${lines.length === 1 ? '' : 's'} detected: ${lines.join('; ')}`);
}
