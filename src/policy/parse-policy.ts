// Parses and validates a policy document (JSON text) into a PolicyDocument, or returns every problem
// found. Rules per kind: key policies need a Principal in every statement (KMS), identity policies
// may not have one and need Resource (IAM), trust policies need a Principal, no Resource, sts actions.

import { checkPolicyText, defaultMaxSize, type IdentityPolicyOwner } from './policy-limits.ts';
import { isObject, parseConditionBlock, VENDOR_MESSAGE } from './parse-condition.ts';
import { parsePrincipal } from './parse-principal.ts';
import type {
  Effect,
  PolicyDocument,
  PolicyKind,
  PolicyProblem,
  PolicyStatement,
  PolicyVersion,
  PrincipalSpec,
} from './policy-document.ts';

export interface ParsePolicyOptions {
  readonly kind: PolicyKind;
  /** Whose inline policy this is, for its size quota; the aggregate across policies is the caller's. */
  readonly owner?: IdentityPolicyOwner;
  readonly maxSize?: number;
  readonly partition?: string;
  /** Key and trust policies may only name principals that exist. */
  readonly principalExists?: (arn: string) => boolean;
}

export type ParsePolicyResult =
  | { readonly ok: true; readonly document: PolicyDocument }
  | { readonly ok: false; readonly problems: readonly PolicyProblem[] };

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const VERSIONS: readonly string[] = ['2012-10-17', '2008-10-17'];

export function parsePolicy(text: string, options: ParsePolicyOptions): ParsePolicyResult {
  const { kind } = options;
  const problems = checkPolicyText(kind, text, options.maxSize ?? defaultMaxSize(kind, options.owner));
  if (problems.length > 0) return { ok: false, problems };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problems: [{ code: 'InvalidJson', path: '', message: 'This policy contains invalid Json' }] };
  }
  if (!isObject(json)) {
    return { ok: false, problems: [{ code: 'InvalidType', path: '', message: 'Syntax errors in policy: the document must be a JSON object' }] };
  }
  for (const name of Object.keys(json)) {
    if (!TOP_LEVEL.has(name)) problems.push({ code: 'UnknownElement', path: name, message: `Syntax errors in policy: unknown element "${name}"` });
  }
  let version: PolicyVersion | undefined;
  if (json.Version !== undefined) {
    if (typeof json.Version === 'string' && VERSIONS.includes(json.Version)) version = json.Version as PolicyVersion;
    else problems.push({ code: 'InvalidVersion', path: 'Version', message: `Syntax errors in policy: Version must be "2012-10-17" or "2008-10-17", not ${JSON.stringify(json.Version)}` });
  }
  if (json.Id !== undefined && typeof json.Id !== 'string') {
    problems.push({ code: 'InvalidType', path: 'Id', message: 'Syntax errors in policy: Id must be a string' });
  }
  const rawStatements = json.Statement === undefined ? undefined : Array.isArray(json.Statement) ? json.Statement : [json.Statement];
  if (!rawStatements || rawStatements.length === 0) {
    problems.push({ code: 'MissingElement', path: 'Statement', message: 'Syntax errors in policy: the policy must contain at least one Statement' });
  }
  const ctx = { kind, version, partition: options.partition ?? 'aws', principalExists: options.principalExists };
  const statements = (rawStatements ?? []).map((raw, index) => parseStatement(raw, index, ctx, problems));
  checkSids(kind, statements, problems);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    document: { kind, version, id: json.Id as string | undefined, statements: statements as PolicyStatement[] },
  };
}

interface StatementContext {
  readonly kind: PolicyKind;
  readonly version: PolicyVersion | undefined;
  readonly partition: string;
  readonly principalExists: ((arn: string) => boolean) | undefined;
}

function parseStatement(raw: unknown, index: number, ctx: StatementContext, problems: PolicyProblem[]): PolicyStatement | undefined {
  const path = `Statement[${index}]`;
  const problem = (code: PolicyProblem['code'], at: string, message: string): void => {
    problems.push({ code, path: at ? `${path}.${at}` : path, message });
  };
  if (!isObject(raw)) {
    problem('InvalidType', '', 'Syntax errors in policy: each Statement must be an object');
    return undefined;
  }
  for (const name of Object.keys(raw)) {
    if (!STATEMENT_ELEMENTS.has(name)) problem('UnknownElement', name, `Syntax errors in policy: unknown element "${name}"`);
  }
  let sid: string | undefined;
  if (raw.Sid !== undefined) {
    if (typeof raw.Sid === 'string') sid = raw.Sid;
    else problem('InvalidType', 'Sid', 'Syntax errors in policy: Sid must be a string');
  }
  let effect: Effect | undefined;
  if (raw.Effect === undefined) problem('MissingElement', 'Effect', 'Missing required field Effect');
  else if (raw.Effect === 'Allow' || raw.Effect === 'Deny') effect = raw.Effect;
  else problem('InvalidEffect', 'Effect', `Invalid effect: ${JSON.stringify(raw.Effect)} (use Allow or Deny)`);

  const principal = principalElement(raw, 'Principal', path, ctx, problems);
  const notPrincipal = principalElement(raw, 'NotPrincipal', path, ctx, problems);
  const hasPrincipal = raw.Principal !== undefined || raw.NotPrincipal !== undefined;
  if (ctx.kind === 'identity' && hasPrincipal) problem('ProhibitedElement', 'Principal', 'Policy document should not specify a principal.');
  if (ctx.kind !== 'identity' && !hasPrincipal) problem('MissingElement', 'Principal', 'Missing required field Principal');
  if (raw.Principal !== undefined && raw.NotPrincipal !== undefined) {
    problem('ConflictingElements', '', 'Syntax errors in policy: a statement cannot have both Principal and NotPrincipal');
  }

  const action = stringList(raw, 'Action', path, problems);
  const notAction = stringList(raw, 'NotAction', path, problems);
  if (raw.Action !== undefined && raw.NotAction !== undefined) {
    problem('ConflictingElements', '', 'Syntax errors in policy: a statement cannot have both Action and NotAction');
  } else if (raw.Action === undefined && raw.NotAction === undefined) {
    problem('MissingElement', 'Action', 'Policy statement must contain actions.');
  }
  for (const [name, list] of [['Action', action], ['NotAction', notAction]] as const) {
    list?.forEach((a) => checkAction(a, ctx.kind, (m) => problem('InvalidAction', name, m)));
  }

  const resource = stringList(raw, 'Resource', path, problems);
  const notResource = stringList(raw, 'NotResource', path, problems);
  const hasResource = raw.Resource !== undefined || raw.NotResource !== undefined;
  if (ctx.kind === 'trust' && hasResource) problem('ProhibitedElement', raw.Resource !== undefined ? 'Resource' : 'NotResource', `Has prohibited field ${raw.Resource !== undefined ? 'Resource' : 'NotResource'}`);
  if (ctx.kind !== 'trust' && !hasResource) problem('MissingElement', 'Resource', 'Policy statement must contain resources.');
  if (raw.Resource !== undefined && raw.NotResource !== undefined) {
    problem('ConflictingElements', '', 'Syntax errors in policy: a statement cannot have both Resource and NotResource');
  }
  for (const [name, list] of [['Resource', resource], ['NotResource', notResource]] as const) {
    list?.forEach((r) => checkResource(r, (m) => problem('InvalidResource', name, m)));
  }

  const conditions = raw.Condition === undefined ? [] : parseConditionBlock(raw.Condition, `${path}.Condition`, ctx, problems);
  if (!effect) return undefined;
  return { index, sid, effect, principal, notPrincipal, action, notAction, resource, notResource, conditions };
}

function principalElement(
  raw: Record<string, unknown>,
  name: 'Principal' | 'NotPrincipal',
  path: string,
  ctx: StatementContext,
  problems: PolicyProblem[],
): PrincipalSpec | undefined {
  if (raw[name] === undefined || ctx.kind === 'identity') return undefined;
  return parsePrincipal(raw[name], `${path}.${name}`, ctx, problems);
}

function stringList(raw: Record<string, unknown>, name: string, path: string, problems: PolicyProblem[]): string[] | undefined {
  const value = raw[name];
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string')) {
    problems.push({ code: 'InvalidType', path: `${path}.${name}`, message: `Syntax errors in policy: ${name} must be a string or a non-empty list of strings` });
    return undefined;
  }
  return list as string[];
}

function checkAction(action: string, kind: PolicyKind, report: (message: string) => void): void {
  if (action === '*') {
    if (kind === 'trust') report('AssumeRole policy may only specify STS AssumeRole actions.');
    return;
  }
  const parts = action.split(':');
  if (parts.length === 1 || !parts[0]) return report(`${VENDOR_MESSAGE}: "${action}"`);
  if (parts.length > 2) return report(`Actions/Condition can contain only one colon.: "${action}"`);
  if (!/^[A-Za-z0-9-]+$/.test(parts[0])) return report(`Action vendor must be fully qualified and cannot contain wildcards: "${action}"`);
  if (!/^[^\s]+$/.test(parts[1] ?? '')) return report(`Syntax errors in policy: invalid action "${action}"`);
  if (kind === 'trust' && parts[0].toLowerCase() !== 'sts') report('AssumeRole policy may only specify STS AssumeRole actions.');
}

function checkResource(resource: string, report: (message: string) => void): void {
  if (resource === '*') return;
  const parts = resource.split(':');
  const arnLike = parts[0] === 'arn' && (parts.length >= 6 || resource.endsWith('*'));
  if (!arnLike) return report(`Resource ${resource} must be in ARN format or "*".`);
  if (/[*?]/.test(parts[2] ?? '')) report('Resource vendor must be fully qualified and cannot contain regexes.');
}

/** IAM's Sid rules; KMS key policies allow any Sid text, spaces included (KMS "Key policy format"). */
function checkSids(kind: PolicyKind, statements: readonly (PolicyStatement | undefined)[], problems: PolicyProblem[]): void {
  if (kind === 'key') return;
  const seen = new Set<string>();
  for (const s of statements) {
    if (!s?.sid) continue;
    const path = `Statement[${s.index}].Sid`;
    if (!/^[0-9A-Za-z]*$/.test(s.sid)) {
      problems.push({ code: 'InvalidSid', path, message: 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*' });
    } else if (seen.has(s.sid)) {
      problems.push({ code: 'DuplicateSid', path, message: 'Statement IDs (SID) in a single policy must be unique.' });
    }
    seen.add(s.sid);
  }
}
