import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCloudTrailEvent, eventTimeString, serializeEvent, userIdentity } from './cloudtrail-event.ts';
import { ACCOUNT, KEY_ARN, assumedRole, record } from './audit-test-kit.ts';
import { AuditAttr, contextPairValue, indexTerms } from './event-index.ts';
import { truncateUtf8 } from './event-sanitize.ts';

const ids = { eventId: 'e0000000-0000-4000-8000-000000000001', defaultAccountId: ACCOUNT };

test('buildCloudTrailEvent() records a KMS call by the account root in CloudTrail 1.08 form', () => {
  const e = buildCloudTrailEvent(record(), ids);
  assert.equal(e.eventVersion, '1.08');
  assert.deepEqual(e.userIdentity, { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'AKIAEXAMPLEROOT00001' });
  assert.equal(e.eventTime, '2023-11-14T22:13:20Z');
  assert.equal(e.eventSource, 'kms.amazonaws.com');
  assert.equal(e.eventName, 'Decrypt');
  assert.equal(e.awsRegion, 'us-east-1');
  assert.equal(e.sourceIPAddress, '192.0.2.10');
  assert.deepEqual(e.requestParameters, { encryptionContext: { customer_id: 'cust_98765' }, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
  assert.equal(e.responseElements, null);
  assert.equal(e.requestID, 'req-1');
  assert.equal(e.eventID, ids.eventId);
  assert.equal(e.readOnly, true);
  assert.deepEqual(e.resources, [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: KEY_ARN }]);
  assert.equal(e.eventType, 'AwsApiCall');
  assert.equal(e.managementEvent, true);
  assert.equal(e.recipientAccountId, ACCOUNT);
  assert.equal(e.eventCategory, 'Management');
  assert.equal(e.errorCode, undefined);
  assert.equal(e.kontextDetail, undefined);
});

test('buildCloudTrailEvent() gives an assumed-role caller its session context', () => {
  const e = buildCloudTrailEvent(record({ caller: assumedRole }), ids);
  assert.equal(e.userIdentity.type, 'AssumedRole');
  assert.equal(e.userIdentity.arn, assumedRole.arn);
  assert.equal(e.userIdentity.accessKeyId, 'ASIAEXAMPLESESSION01');
  assert.deepEqual(e.userIdentity.sessionContext?.sessionIssuer, assumedRole.sessionIssuer);
  assert.deepEqual(e.userIdentity.sessionContext?.attributes, { creationDate: '2023-11-14T21:56:40Z', mfaAuthenticated: 'false' });
});

test('buildCloudTrailEvent() records a failed authentication as an Unknown identity with the claimed key', () => {
  const e = buildCloudTrailEvent(
    record({ caller: undefined, claimedAccessKeyId: 'AKIANOSUCHKEY0000001', error: { code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.', reason: 'unknown access key' } }),
    ids,
  );
  assert.deepEqual(e.userIdentity, { type: 'Unknown', accessKeyId: 'AKIANOSUCHKEY0000001' });
  assert.equal(e.errorCode, 'UnrecognizedClientException');
  assert.deepEqual(e.kontextDetail, { reason: 'unknown access key' });
});

test('buildCloudTrailEvent() keeps a vague error vague in errorMessage and precise in kontextDetail', () => {
  const e = buildCloudTrailEvent(record({ error: { code: 'InvalidCiphertextException', message: '', reason: 'the encryption context differs' } }), ids);
  assert.equal(e.errorCode, 'InvalidCiphertextException');
  assert.equal(e.errorMessage, undefined);
  assert.deepEqual(e.kontextDetail, { reason: 'the encryption context differs' });
});

test('buildCloudTrailEvent() logs AccessDeniedException under CloudTrail\'s AccessDenied', () => {
  const e = buildCloudTrailEvent(record({ error: { code: 'AccessDeniedException', message: 'User: x is not authorized', reason: 'no statement allows' } }), ids);
  assert.equal(e.errorCode, 'AccessDenied');
  assert.equal(e.errorMessage, 'User: x is not authorized');
});

test('buildCloudTrailEvent() drops secret-named fields and binary values wherever they appear', () => {
  const e = buildCloudTrailEvent(
    record({
      eventName: 'Encrypt',
      requestParameters: {
        keyId: 'alias/app',
        plaintext: 'c2VjcmV0',
        CiphertextBlob: 'AQID',
        nested: { secretAccessKey: 'wJalr', sessionToken: 'IQoJ', note: 'kept', raw: Buffer.from('bytes') },
        list: [{ Password: 'hunter2', name: 'kept' }],
        encryptionContext: { password_hint: 'not a secret by policy: context is logged', plaintext: 'context keys are caller-chosen names' },
      },
      responseElements: { keyId: KEY_ARN, plaintext: 'AAAA' },
    }),
    ids,
  );
  const text = JSON.stringify(e);
  for (const secret of ['c2VjcmV0', 'AQID', 'wJalr', 'IQoJ', 'hunter2', 'AAAA', '"bytes"']) assert.ok(!text.includes(secret), `${secret} reached the event`);
  assert.deepEqual(e.requestParameters, {
    keyId: 'alias/app',
    nested: { note: 'kept' },
    list: [{ name: 'kept' }],
    encryptionContext: { password_hint: 'not a secret by policy: context is logged', plaintext: 'context keys are caller-chosen names' },
  });
  assert.deepEqual(e.responseElements, { keyId: KEY_ARN });
  assert.deepEqual(e.kontextDetail?.redactedFields, [
    'requestParameters.plaintext',
    'requestParameters.CiphertextBlob',
    'requestParameters.nested.secretAccessKey',
    'requestParameters.nested.sessionToken',
    'requestParameters.nested.raw',
    'requestParameters.list[0].Password',
    'responseElements.plaintext',
  ]);
});

test('buildCloudTrailEvent() truncates the user agent and error message to 1 KB on a character boundary', () => {
  const e = buildCloudTrailEvent(record({ meta: { ...record().meta, userAgent: 'é'.repeat(2000) }, error: { code: 'ValidationException', message: 'x'.repeat(5000), reason: undefined } }), ids);
  assert.ok(Buffer.byteLength(e.userAgent) <= 1024);
  assert.equal(e.userAgent, 'é'.repeat(512));
  assert.equal(e.errorMessage?.length, 1024);
  assert.deepEqual(e.kontextDetail?.truncatedFields, ['userAgent']);
});

test('buildCloudTrailEvent() fits a huge encryption context within 100 KB and keeps it queryable', () => {
  const context: Record<string, string> = { tenant: 'acme' };
  for (let i = 0; i < 60; i++) context[`k${i}`] = 'v'.repeat(4000);
  const e = buildCloudTrailEvent(record({ context }), ids);
  assert.ok(Buffer.byteLength(JSON.stringify(e.requestParameters)) <= 100 * 1024);
  const ctx = (e.requestParameters as { encryptionContext: Record<string, string> }).encryptionContext;
  assert.equal(ctx['tenant'], 'acme');
  assert.equal(ctx['k0']?.length, 1024);
  assert.deepEqual(e.kontextDetail?.truncatedFields, ['requestParameters']);
  assert.ok(indexTerms(e).some((t) => t.attr === AuditAttr.ContextPair && t.value === contextPairValue('tenant', 'acme')));
});

test('truncateUtf8() never splits a multi-byte character', () => {
  assert.equal(truncateUtf8('a😀b', 2), 'a');
  assert.equal(truncateUtf8('a😀b', 5), 'a😀');
  assert.equal(truncateUtf8('short', 100), 'short');
});

test('indexTerms() lists what LookupEvents and QueryAuditEvents search by', () => {
  const e = buildCloudTrailEvent(record({ caller: assumedRole, error: { code: 'AccessDeniedException', message: 'no', reason: undefined } }), ids);
  const terms = indexTerms(e).map((t) => `${t.attr}:${t.value}`);
  for (const expected of [
    `${AuditAttr.EventName}:Decrypt`,
    `${AuditAttr.ReadOnly}:true`,
    `${AuditAttr.Username}:alice-session`,
    `${AuditAttr.AccessKeyId}:ASIAEXAMPLESESSION01`,
    `${AuditAttr.PrincipalArn}:${assumedRole.arn}`,
    `${AuditAttr.ErrorCode}:AccessDenied`,
    `${AuditAttr.ResourceType}:AWS::KMS::Key`,
    `${AuditAttr.ResourceName}:${KEY_ARN}`,
    `${AuditAttr.EventSource}:kms.amazonaws.com`,
    `${AuditAttr.ContextKey}:customer_id`,
    `${AuditAttr.ContextPair}:${contextPairValue('customer_id', 'cust_98765')}`,
  ]) {
    assert.ok(terms.includes(expected), `missing ${expected}`);
  }
});

test('contextPairValue() keeps pairs that would concatenate alike apart', () => {
  assert.notEqual(contextPairValue('a=b', 'c'), contextPairValue('a', 'b=c'));
});

test('eventTimeString gives UTC to the second, whatever order times arrive in', () => {
  assert.equal(eventTimeString(Date.UTC(2026, 10, 29, 3, 4, 5, 999)), '2026-11-29T03:04:05Z');
  assert.equal(eventTimeString(Date.UTC(2026, 10, 29, 3, 4, 5, 1)), '2026-11-29T03:04:05Z');
  assert.equal(eventTimeString(Date.UTC(2026, 10, 29, 3, 4, 6, 0)), '2026-11-29T03:04:06Z');
  assert.equal(eventTimeString(Date.UTC(2026, 10, 29, 3, 4, 5, 500)), '2026-11-29T03:04:05Z', 'an earlier second after a later one');
  assert.equal(eventTimeString(0), '1970-01-01T00:00:00Z');
});

test('userIdentity is the same block for every event of one caller, and never shares a block across callers', () => {
  const a = userIdentity(assumedRole, undefined);
  assert.equal(userIdentity(assumedRole, undefined), a, 'built once per caller');
  const other = { ...assumedRole, arn: `${assumedRole.arn}-other` };
  assert.equal(userIdentity(other, undefined).arn, other.arn);
  assert.deepEqual(userIdentity(undefined, 'AKIACLAIMED'), { type: 'Unknown', accessKeyId: 'AKIACLAIMED' });
});

test('serializeEvent writes exactly what JSON.stringify writes, for every kind of caller and event', () => {
  const cases = [
    record(),
    record({ caller: assumedRole, context: JSON.parse('{"customer_id":"cust_98765","clé":"välue ✓","__proto__":"odd"}') as Record<string, string> }),
    record({ caller: undefined, claimedAccessKeyId: 'AKIACLAIMED0000000001', error: { code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.', reason: undefined } }),
    record({ caller: assumedRole, error: { code: 'InvalidCiphertextException', message: '', reason: 'the encryption context differs' } }),
    record({ eventName: 'CreateKey', readOnly: false, requestParameters: { description: 'x'.repeat(200_000), policy: '{"Version":"2012-10-17"}' } }),
  ];
  for (const r of cases) {
    const e = buildCloudTrailEvent(r, ids);
    assert.equal(serializeEvent(e), JSON.stringify(e));
    assert.equal(serializeEvent(e), JSON.stringify(e), 'again, from the identity cache');
  }
});

test('secret field names are recognized the same before and after the name cache starts over', async () => {
  const { isSecretFieldName } = await import('./event-sanitize.ts');
  const check = () => {
    assert.equal(isSecretFieldName('Plaintext'), true);
    assert.equal(isSecretFieldName('secret_access_key'), true);
    assert.equal(isSecretFieldName('CiphertextBlob'), true);
    assert.equal(isSecretFieldName('KeyId'), false);
    assert.equal(isSecretFieldName('encryptionContext'), false);
  };
  check();
  for (let i = 0; i < 5000; i++) isSecretFieldName(`field_${i}`);
  check();
});
