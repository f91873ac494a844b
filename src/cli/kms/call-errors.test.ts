import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXIT } from '../cli-error.ts';
import { describeCallFailure } from './call-errors.ts';

test('describeCallFailure prints the Query-protocol wire code, not the SDK class name', () => {
  const err = Object.assign(new Error('User with name a already exists'), {
    name: 'EntityAlreadyExistsException',
    Code: 'EntityAlreadyExists',
    $metadata: { httpStatusCode: 409 },
  });
  const out = describeCallFailure(err, 'CreateUser', 'http://x');
  assert.equal(out.exitCode, EXIT.service);
  assert.equal(out.message, '\nAn error occurred (EntityAlreadyExists) when calling the CreateUser operation: User with name a already exists');
});

test('describeCallFailure falls back to the error name when no wire code is given (JSON protocol)', () => {
  const err = Object.assign(new Error('UnknownError'), { name: 'InvalidCiphertextException', $metadata: { httpStatusCode: 400 } });
  const out = describeCallFailure(err, 'Decrypt', 'http://x');
  assert.equal(out.message, '\nAn error occurred (InvalidCiphertextException) when calling the Decrypt operation: ');
});
