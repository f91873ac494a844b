import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXml, queryErrorXml, queryResponseXml, xmlElement } from './query-xml.ts';

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

test('queryResponseXml() wraps the result and request id as AWS does', () => {
  const xml = queryResponseXml('CreateUser', NS, 'req-1', { User: { Path: '/', UserName: 'alice' } });
  assert.equal(
    xml,
    `<CreateUserResponse xmlns="${NS}"><CreateUserResult><User><Path>/</Path><UserName>alice</UserName></User></CreateUserResult>` +
      '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateUserResponse>',
  );
});

test('queryResponseXml() leaves out the Result element for operations without output', () => {
  assert.equal(
    queryResponseXml('DeleteUser', NS, 'req-2', undefined),
    `<DeleteUserResponse xmlns="${NS}"><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></DeleteUserResponse>`,
  );
});

test('xmlElement() writes lists as member elements, omits absent values and writes booleans and numbers as text', () => {
  assert.equal(
    xmlElement('R', { Names: ['a', 'b'], Empty: [], Gone: undefined, IsTruncated: false, Max: 3600 }),
    '<R><Names><member>a</member><member>b</member></Names><Empty></Empty><IsTruncated>false</IsTruncated><Max>3600</Max></R>',
  );
});

test('escapeXml() escapes markup and drops characters XML 1.0 cannot carry', () => {
  assert.equal(escapeXml(`<a href="x">&'</a>\u0001\r`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;&#13;');
});

test('queryErrorXml() has the ErrorResponse shape the SDKs parse', () => {
  assert.equal(
    queryErrorXml(NS, 'Sender', 'NoSuchEntity', 'The user with name <bob> cannot be found', 'req-3'),
    `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>` +
      '<Message>The user with name &lt;bob&gt; cannot be found</Message></Error><RequestId>req-3</RequestId></ErrorResponse>',
  );
});
