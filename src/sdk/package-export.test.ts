import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import * as source from './index.ts';
import * as published from 'kontext/sdk';

describe("the 'kontext/sdk' package export", () => {
  test('resolves through package.json exports to the same values as src/sdk/index.ts', () => {
    assert.deepEqual(Object.keys(published).sort(), Object.keys(source).sort());
    assert.equal(published.defineContext, source.defineContext);
  });

  test('loads under plain node, without --import tsx', async () => {
    const root = resolve(import.meta.dirname, '../..');
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', "const m = await import('kontext/sdk'); console.log(typeof m.defineContext)"], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    assert.equal(stdout.trim(), 'function');
  });
});
