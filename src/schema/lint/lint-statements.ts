// Lint rules about statements as a whole: unknown actions, wildcard principals without a
// condition, Decrypt without an encryption-context condition, StringLike/StringEquals used with
// the wrong kind of value, and Allow statements an unconditional Deny fully covers.

import { compileWildcard, parseOperatorName, type PolicyKind, type PolicyStatement, type PrincipalSpec } from '../../policy/index.ts';
import { KNOWN_ACTIONS } from './known-actions.ts';
import { conditionPath } from './lint-context.ts';
import type { Report } from './lint-report.ts';

const hasWildcard = (v: string): boolean => /[*?]/.test(v.replace(/\$\{[^}]*\}/g, ''));
const ROOT = /^arn:[^:]+:iam::\d{12}:root$/;

function actionMatches(patterns: readonly string[] | undefined, action: string): boolean {
  return (patterns ?? []).some((p) => compileWildcard(p.toLowerCase()).test(action));
}

/** Whether the statement's Action / NotAction covers `action` (lower case). */
export function statementCovers(s: PolicyStatement, action: string): boolean {
  if (s.action) return actionMatches(s.action, action);
  if (s.notAction) return !actionMatches(s.notAction, action);
  return false;
}

const onlyRoot = (p: PrincipalSpec | undefined): boolean =>
  p !== undefined && !p.wildcard && p.aws.length > 0 && p.aws.every((a) => ROOT.test(a)) && p.service.length + p.federated.length + p.canonicalUser.length === 0;

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function closestAction(pattern: string, known: readonly string[]): string | undefined {
  if (pattern === 'kms:reencrypt') return 'kms:ReEncrypt*';
  let best: string | undefined;
  let bestD = 4;
  for (const k of known) {
    const d = editDistance(pattern, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

export function lintActions(report: Report, s: PolicyStatement, kind: PolicyKind, display: (lower: string) => string): void {
  const element = s.action ? 'Action' : 'NotAction';
  for (const raw of s.action ?? s.notAction ?? []) {
    if (raw === '*') continue;
    const lower = raw.toLowerCase();
    const prefix = lower.slice(0, lower.indexOf(':'));
    const known = KNOWN_ACTIONS.get(prefix);
    const path = `Statement[${s.index}].${element}`;
    if (!known) {
      if (kind === 'key') report('unknown-action', s, path, `'${raw}' is not a KMS action: a key policy only governs kms: actions, so it has no effect`, 'Remove it, or move it to an identity policy');
      continue;
    }
    const matches = hasWildcard(lower) ? known.some((k) => compileWildcard(lower).test(k)) : known.includes(lower);
    if (!matches) {
      const close = closestAction(lower, known);
      report('unknown-action', s, path, `'${raw}' matches no ${prefix} action, so it never grants or denies anything`, close ? `Did you mean '${close.includes('*') ? close : display(close)}'?` : 'Check the action name');
    }
  }
}

export function lintPrincipalAndDecrypt(report: Report, s: PolicyStatement, kind: PolicyKind): void {
  if (s.effect !== 'Allow') return;
  const principalPath = `Statement[${s.index}].Principal`;
  if (s.principal?.wildcard && s.conditions.length === 0) {
    report(
      'wildcard-principal-without-condition',
      s,
      principalPath,
      'Every principal of every AWS account is allowed, with no condition to narrow it',
      'Name the principals, or add a condition such as kms:CallerAccount or aws:PrincipalOrgID',
    );
  }
  if (s.notPrincipal || (kind === 'key' && onlyRoot(s.principal))) return;
  if (!statementCovers(s, 'kms:decrypt')) return;
  const hasContextCondition = s.conditions.some((c) => {
    const k = c.key.toLowerCase();
    return k.startsWith('kms:encryptioncontext:') || k === 'kms:encryptioncontextkeys';
  });
  if (!hasContextCondition) {
    report(
      'decrypt-without-context-condition',
      s,
      `Statement[${s.index}]`,
      `Decrypt is allowed${kind === 'key' ? ' to a principal other than the account root' : ''} without any encryption-context condition: the principal can decrypt every ciphertext of the key, whatever it was encrypted for`,
      'Add a condition on kms:EncryptionContext:<key> (e.g. StringEquals kms:EncryptionContext:department) or kms:EncryptionContextKeys',
    );
  }
}

export function lintOperators(report: Report, s: PolicyStatement): void {
  for (const c of s.conditions) {
    const op = parseOperatorName(c.operatorName);
    if (!op) continue;
    const name = op.operator.name;
    if ((name === 'StringLike' || name === 'StringNotLike') && c.values.length > 0 && !c.values.some(hasWildcard)) {
      const exact = name === 'StringLike' ? 'StringEquals' : 'StringNotEquals';
      report('stringlike-without-wildcard', s, conditionPath(s, c), `${c.operatorName} with no * or ? in its values compares exactly`, `Use ${op.canonical.replace(name, exact)}`);
    }
    if ((name === 'StringEquals' || name === 'StringNotEquals' || name === 'StringEqualsIgnoreCase' || name === 'StringNotEqualsIgnoreCase') && c.values.some(hasWildcard)) {
      const like = name.startsWith('StringNot') ? 'StringNotLike' : 'StringLike';
      report('stringequals-with-wildcard', s, conditionPath(s, c), `${c.operatorName} treats * and ? as literal characters, so '${c.values.find(hasWildcard)}' matches only that exact text`, `Use ${op.canonical.replace(name, like)} if a wildcard is meant`);
    }
  }
}

/** Whether every request the pattern `a` matches is also matched by `d` (conservative: false when unsure). */
function patternCovers(d: string, a: string): boolean {
  const dl = d.toLowerCase();
  const al = a.toLowerCase();
  if (dl === '*' || dl === al) return true;
  if (!hasWildcard(al)) return compileWildcard(dl).test(al);
  return dl.endsWith('*') && !hasWildcard(dl.slice(0, -1)) && al.startsWith(dl.slice(0, -1));
}

function principalCovers(d: PrincipalSpec | undefined, a: PrincipalSpec | undefined, kind: PolicyKind): boolean {
  if (kind !== 'key') return d === undefined && a === undefined;
  if (!d || !a) return false;
  if (d.wildcard) return true;
  if (a.wildcard) return false;
  const has = (list: readonly string[], x: string) => list.includes(x);
  return a.aws.every((x) => has(d.aws, x)) && a.service.every((x) => has(d.service, x)) && a.federated.every((x) => has(d.federated, x)) && a.canonicalUser.every((x) => has(d.canonicalUser, x));
}

const resourcesCover = (d: PolicyStatement, a: PolicyStatement): boolean =>
  d.notResource === undefined && a.notResource === undefined && (d.resource === undefined || d.resource.includes('*') || (a.resource ?? []).every((r) => d.resource!.includes(r)));

export function lintShadowing(report: Report, statements: readonly PolicyStatement[], kind: PolicyKind): void {
  const denies = statements.filter((d) => d.effect === 'Deny' && d.conditions.length === 0 && d.action && !d.notPrincipal);
  for (const a of statements) {
    if (a.effect !== 'Allow' || !a.action || a.notPrincipal) continue;
    const shadow = denies.find((d) => principalCovers(d.principal, a.principal, kind) && resourcesCover(d, a) && a.action!.every((x) => d.action!.some((p) => patternCovers(p, x))));
    if (shadow) {
      report(
        'allow-shadowed-by-deny',
        a,
        `Statement[${a.index}]`,
        `Everything this Allow grants is denied by statement ${shadow.sid ? `'${shadow.sid}'` : `[${shadow.index}]`} (an explicit Deny always wins), so it never allows anything`,
        'Remove the Allow, or narrow the Deny (its actions, principals or a condition)',
      );
    }
  }
}
