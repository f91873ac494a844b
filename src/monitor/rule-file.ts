// The alert rules file (KONTEXT_ALERT_RULES_FILE): webhooks and rules, read once at start-up. A
// bad file stops the server with every problem listed, rather than running without its alerts.
//
//   { "AccountId": "123456789012",            (optional: the rules' account, default the server's)
//     "Webhooks": [{ "Name": "ops", "Url": "https://...", "SecretEnv": "OPS_WEBHOOK_SECRET" }],
//     "Rules": [{ "RuleName": "probing", "Kind": "FailureBurst", "Parameters": { "Threshold": 5 } }] }

import { readFileSync } from 'node:fs';
import type { AlertRuleDocument } from './alert-rule.ts';
import { DocReader, issueLines } from './doc-reader.ts';
import { parseAlertRule } from './rule-parse.ts';
import { parseWebhook, type WebhookConfig } from './webhook-config.ts';

export interface RuleFile {
  readonly accountId: string | undefined;
  readonly webhooks: readonly WebhookConfig[];
  readonly rules: readonly AlertRuleDocument[];
}

export class RuleFileError extends Error {
  constructor(file: string, problems: readonly string[]) {
    super(`Alert rules file ${file} is not valid: ${problems.join('; ')}`);
    this.name = 'RuleFileError';
  }
}

export function parseRuleFile(text: string, file: string, env: Record<string, string | undefined>): RuleFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new RuleFileError(file, [`not JSON: ${(err as Error).message}`]);
  }
  const r = new DocReader();
  const o = r.object(doc, '');
  if (!o) throw new RuleFileError(file, issueLines(r.issues));
  r.onlyMembers(o, '', ['AccountId', 'Webhooks', 'Rules']);
  const accountId = r.string(o, 'AccountId', '', { pattern: /^\d{12}$/ });
  const webhooks: WebhookConfig[] = [];
  const hooks = o['Webhooks'] ?? [];
  if (!Array.isArray(hooks)) r.issue('invalid_type', 'webhooks', 'Member must be a list');
  else hooks.forEach((h, i) => {
    const w = parseWebhook(h, `webhooks.${i + 1}.member`, env, r);
    if (w && webhooks.some((x) => x.name === w.name)) r.issue('invalid_value', `webhooks.${i + 1}.member.name`, `Member must be unique: '${w.name}' is defined twice`);
    else if (w) webhooks.push(w);
  });
  const rules: AlertRuleDocument[] = [];
  const list = o['Rules'] ?? [];
  if (!Array.isArray(list)) r.issue('invalid_type', 'rules', 'Member must be a list');
  else list.forEach((item, i) => {
    const path = `rules.${i + 1}.member`;
    const parsed = parseAlertRule(item);
    if (parsed.issues) {
      for (const issue of parsed.issues) r.issue(issue.code, issue.path === 'body' ? path : `${path}.${issue.path}`, issue.message);
      return;
    }
    if (rules.some((x) => x.RuleName === parsed.rule.RuleName)) r.issue('invalid_value', `${path}.ruleName`, `Member must be unique: '${parsed.rule.RuleName}' is defined twice`);
    for (const [j, name] of (parsed.rule.Webhooks ?? []).entries()) {
      if (!webhooks.some((w) => w.name === name)) r.issue('invalid_value', `${path}.webhooks.${j + 1}.member`, `Member must name a webhook of this file: '${name}' is not defined`);
    }
    rules.push(parsed.rule);
  });
  if (r.issues.length > 0) throw new RuleFileError(file, issueLines(r.issues));
  return { accountId, webhooks, rules };
}

export function loadRuleFile(file: string, env: Record<string, string | undefined>): RuleFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RuleFileError(file, [`cannot be read: ${(err as Error).message}`]);
  }
  return parseRuleFile(text, file, env);
}
