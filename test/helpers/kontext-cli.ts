// Runs the real `kontext` binary as a subprocess against a test server, with the test admin's
// credentials and a throwaway HOME, and returns its exit code and output.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY } from './server-process.ts';

export const KONTEXT_BIN = join(REPO_ROOT, 'bin/kontext.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `extraEnv` adds to (or, with undefined, removes from) the environment below. */
export function runKontext(endpoint: string, home: string, args: readonly string[], extraEnv: Record<string, string | undefined> = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    KONTEXT_ENDPOINT: endpoint,
    ...extraEnv,
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [KONTEXT_BIN, ...args], { env, timeout: 60_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
