// The simulators answer what enforcement answers. Every case of the policy engine's decision table
// (src/policy/evaluator-cases.ts) is replayed in-process through the simulator core and through
// the live authorizer; a representative subset goes end to end through Kontext.SimulatePolicy and
// IAM SimulateCustomPolicy with the real SDK clients. Plus the response shapes of the IAM simulators.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateRoleCommand, CreateUserCommand, PutUserPolicyCommand, SimulateCustomPolicyCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { SignatureV4 } from '@smithy/signature-v4';
import { evaluatorCases, CASE_NOW, type EvaluatorCase } from '../../src/policy/evaluator-cases.ts';
import { ACCOUNT, KEY_ARN, alice, bob } from '../../src/policy/evaluator-fixtures.ts';
import { loadPolicy } from '../../src/policy/index.ts';
import { simulate } from '../../src/authz/simulator.ts';
import { needsAbsentServerKey, replay } from '../helpers/evaluator-replay.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { clientsFor, type Clients } from '../helpers/identity-clients.ts';
import { Sha256 } from '../helpers/identity-fixture.ts';

/** The case as the simulator core takes it: the same facts evaluatorCaseInput builds. */
async function simulateCase(c: EvaluatorCase) {
  const { request } = c;
  const hasKey = c.keyPolicy !== undefined;
  return simulate({
    facts: {
      principal: request.principal,
      action: request.action,
      resource: request.resource ?? (hasKey ? KEY_ARN : '*'),
      ...(hasKey || request.keyAccountId ? { keyAccountId: request.keyAccountId ?? ACCOUNT } : {}),
      now: CASE_NOW,
      ...(request.encryptionContext ? { encryptionContext: request.encryptionContext } : {}),
      ...(request.grantConstraintType ? { grantConstraintType: request.grantConstraintType } : {}),
      ...(request.context ? { extra: request.context } : {}),
    },
    keyPolicy: c.keyPolicy ? loadPolicy(JSON.stringify(c.keyPolicy), { kind: 'key' }) : undefined,
    identityPolicies: (c.identityPolicies ?? []).map((p) => loadPolicy(JSON.stringify(p.document), { kind: 'identity', name: p.name })),
    grants: c.grants ?? [],
  });
}

describe('in-process: the simulator and enforcement agree on every case of the decision table', () => {
  for (const c of evaluatorCases) {
    test(`${c.name} → ${c.expect}`, async () => {
      const simulated = await simulateCase(c);
      assert.equal(simulated.result.decision, c.expect, simulated.result.reason);
      if (needsAbsentServerKey(c)) return; // not expressible as a live request: the server always knows it
      const { authorizer, request } = replay(c);
      const enforced = await authorizer.evaluateRequest(request);
      assert.equal(enforced.decision, simulated.result.decision);
      assert.deepEqual(enforced.matchedStatements, simulated.result.matchedStatements);
    });
  }
});

// --- end to end -----------------------------------------------------------------------------------

let server: ServerProcess;
let admin: Clients;
let keyArn: string;

/** Kontext.SimulatePolicy over awsJson1.1, signed as the admin (no SDK models this Kontext API). */
async function kontext(operation: string, body: object): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(server.url);
  const text = JSON.stringify(body);
  const { credentials } = server.clientConfig();
  const signer = new SignatureV4({ service: 'kms', region: 'us-east-1', credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Kontext.${operation}` },
    body: text,
  });
  const res = await fetch(`${server.url}/`, { method: 'POST', headers: signed.headers as Record<string, string>, body: text });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const entries = (context: Readonly<Record<string, string | readonly string[]>> | undefined) =>
  Object.entries(context ?? {}).map(([ContextKeyName, v]) =>
    typeof v === 'string' ? { ContextKeyName, ContextKeyValues: [v], ContextKeyType: 'string' as const } : { ContextKeyName, ContextKeyValues: [...v], ContextKeyType: 'stringList' as const },
  );

const withKey = (json: unknown): string => JSON.stringify(json).split(KEY_ARN).join(keyArn);

/** Cases whose facts a live server reproduces: the fixtures' names, our key instead of theirs. */
const endToEnd = (c: EvaluatorCase): boolean => c.request.resource === undefined && !JSON.stringify(c).includes('aws:userid');

before(async () => {
  server = await startServerProcess({ env: { KONTEXT_ACCOUNT_ID: ACCOUNT } });
  admin = clientsFor(server);
  for (const p of [alice, bob]) {
    await admin.iam.send(new CreateUserCommand({ UserName: p.username!, Tags: Object.entries(p.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) }));
  }
  await admin.iam.send(new CreateRoleCommand({
    RoleName: 'RoleForExampleApp',
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] }),
  }));
  keyArn = (await admin.kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

describe('end to end: Kontext.SimulatePolicy answers each case as the decision table expects', () => {
  const cases = evaluatorCases.filter((c) => c.keyPolicy !== undefined && endToEnd(c) && !needsAbsentServerKey(c));
  test(`covers a representative subset (${cases.length} of ${evaluatorCases.length} cases)`, () => assert.ok(cases.length >= 100));
  for (const c of cases) {
    test(`${c.name} → ${c.expect}`, async () => {
      const { status, json } = await kontext('SimulatePolicy', {
        KeyId: keyArn,
        PrincipalArn: c.request.principal.arn,
        Action: c.request.action,
        ...(c.request.encryptionContext ? { EncryptionContext: c.request.encryptionContext } : {}),
        ...(c.request.grantConstraintType ? { GrantConstraintType: c.request.grantConstraintType } : {}),
        ContextEntries: [...entries(c.request.context), ...(JSON.stringify(c.request.context ?? {}).includes('CurrentTime') ? [] : entries({ 'aws:CurrentTime': CASE_NOW.toISOString().replace('.000Z', 'Z') }))],
        KeyPolicy: withKey(c.keyPolicy),
        IdentityPolicies: (c.identityPolicies ?? []).map((p) => ({ PolicyName: p.name, PolicyDocument: withKey(p.document) })),
        Grants: (c.grants ?? []).map((g) => ({ GrantId: g.grantId, GranteePrincipal: g.granteePrincipal, Operations: g.operations, ...(g.constraints ? { Constraints: { ...(g.constraints.encryptionContextEquals ? { EncryptionContextEquals: g.constraints.encryptionContextEquals } : {}), ...(g.constraints.encryptionContextSubset ? { EncryptionContextSubset: g.constraints.encryptionContextSubset } : {}) } } : {}) })),
      });
      assert.equal(status, 200, JSON.stringify(json));
      assert.equal(json['Decision'], c.expect, String(json['Reason']));
      for (const source of c.matched ?? []) assert.ok((json['MatchedStatements'] as Array<{ Source: string }>).some((m) => m.Source === source), source);
    });
  }
});

describe('end to end: IAM SimulateCustomPolicy answers each case without grants as the table expects', () => {
  const cases = evaluatorCases.filter((c) => (c.grants ?? []).length === 0 && endToEnd(c));
  test(`covers a representative subset (${cases.length} of ${evaluatorCases.length} cases)`, () => assert.ok(cases.length >= 100));
  for (const c of cases) {
    test(`${c.name} → ${c.expect}`, async () => {
      const ctx = { ...c.request.context };
      for (const [k, v] of Object.entries(c.request.encryptionContext ?? {})) ctx[`kms:EncryptionContext:${k}`] = v;
      if (c.request.encryptionContext && Object.keys(c.request.encryptionContext).length > 0 && !Object.keys(ctx).some((k) => k.toLowerCase() === 'kms:encryptioncontextkeys')) {
        ctx['kms:EncryptionContextKeys'] = Object.keys(c.request.encryptionContext);
      }
      if (c.request.grantConstraintType) ctx['kms:GrantConstraintType'] = c.request.grantConstraintType;
      if (!Object.keys(ctx).some((k) => k.toLowerCase() === 'aws:currenttime')) ctx['aws:CurrentTime'] = CASE_NOW.toISOString().replace('.000Z', 'Z');
      const out = await admin.iam.send(new SimulateCustomPolicyCommand({
        PolicyInputList: (c.identityPolicies ?? []).map((p) => withKey(p.document)).concat(c.identityPolicies?.length ? [] : [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kontext:Nothing', Resource: '*' }] })]),
        ActionNames: [c.request.action],
        ResourceArns: [c.keyPolicy ? keyArn : '*'],
        ...(c.keyPolicy ? { ResourcePolicy: withKey(c.keyPolicy) } : {}),
        CallerArn: c.request.principal.arn,
        ContextEntries: entries(ctx),
      }));
      const r = out.EvaluationResults?.[0];
      assert.equal(out.EvaluationResults?.length, 1);
      assert.equal(r?.EvalDecision, c.expect);
    });
  }
});

describe('IAM simulator responses', () => {
  test('SimulatePrincipalPolicy evaluates a user\'s inline policies with a key policy and reports the matched statement\'s position', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'FinanceOnly', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:department': 'finance' } } }] }, null, 2);
    await admin.iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'finance-decrypt', PolicyDocument: policy }));
    const keyPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Enable IAM policies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] });
    const run = (department?: string) =>
      admin.iam.send(new SimulatePrincipalPolicyCommand({
        PolicySourceArn: alice.arn,
        ActionNames: ['kms:Decrypt', 'kms:Encrypt'],
        ResourceArns: [keyArn],
        ResourcePolicy: keyPolicy,
        ...(department ? { ContextEntries: [{ ContextKeyName: 'kms:EncryptionContext:department', ContextKeyValues: [department], ContextKeyType: 'string' }] } : {}),
      }));
    const allowed = await run('finance');
    assert.deepEqual(allowed.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision]), [
      ['kms:Decrypt', keyArn, 'allowed'],
      ['kms:Encrypt', keyArn, 'implicitDeny'],
    ]);
    const matched = allowed.EvaluationResults?.[0]?.MatchedStatements ?? [];
    const identity = matched.find((m) => m.SourcePolicyId === 'finance-decrypt');
    assert.equal(identity?.SourcePolicyType, 'user');
    assert.deepEqual(identity?.StartPosition, { Line: 4, Column: 5 });
    assert.ok(matched.some((m) => m.SourcePolicyId === 'ResourcePolicy' && m.SourcePolicyType === 'resource'));
    assert.equal((await run('hr')).EvaluationResults?.[0]?.EvalDecision, 'implicitDeny');
    const missing = await run();
    assert.equal(missing.EvaluationResults?.[0]?.EvalDecision, 'implicitDeny');
    assert.deepEqual(missing.EvaluationResults?.[0]?.MissingContextValues, ['kms:EncryptionContext:department']);
  });

  test('a malformed policy given to a simulator is InvalidInput', async () => {
    await assert.rejects(
      admin.iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: ['{"Statement":'], ActionNames: ['kms:Decrypt'] })),
      (err: Error) => err.name === 'InvalidInputException' || err.name === 'InvalidInput',
    );
  });

  test('Kontext.SimulatePolicy explains each statement and uses the key\'s stored policy and the principal\'s stored policies', async () => {
    const { json } = await kontext('SimulatePolicy', { KeyId: keyArn, PrincipalArn: alice.arn, Action: 'Decrypt', EncryptionContext: { department: 'finance' } });
    assert.equal(json['Decision'], 'allowed');
    assert.equal(json['Principal'], alice.arn);
    const explanation = json['Explanation'] as Array<Record<string, unknown>>;
    assert.ok(explanation.some((e) => e['Source'] === 'identityPolicy:finance-decrypt' && e['Applies'] === true));
    const denied = await kontext('SimulatePolicy', { KeyId: keyArn, PrincipalArn: alice.arn, Action: 'kms:Decrypt', EncryptionContext: { department: 'hr' } });
    assert.equal(denied.json['Decision'], 'implicitDeny');
    const failed = (denied.json['Explanation'] as Array<Record<string, unknown>>).find((e) => e['Source'] === 'identityPolicy:finance-decrypt');
    assert.equal(failed?.['FailedElement'], 'condition');
    assert.deepEqual(failed?.['FailedCondition'], { Operator: 'StringEquals', Key: 'kms:EncryptionContext:department', Outcome: 'no-match' });
    assert.doesNotMatch(JSON.stringify(denied.json), /"hr"/);
    const unknown = await kontext('SimulatePolicy', { KeyId: keyArn, PrincipalArn: `arn:aws:iam::${ACCOUNT}:user/nobody`, Action: 'kms:Decrypt' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json['__type'], 'NotFoundException');
  });
});
