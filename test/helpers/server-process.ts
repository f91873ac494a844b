// Starts a real Kontext server process on a free loopback port for end-to-end tests, and the
// AWS SDK client settings that point at it.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const TEST_ACCESS_KEY_ID = 'AKIAKONTEXTTESTADMIN';
export const TEST_SECRET_ACCESS_KEY = 'kontext-test-secret-access-key-0000000000';
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  readonly url: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Every line the server printed so far (stdout and stderr). */
  readonly output: string[];
  /** Client settings for @aws-sdk clients. */
  clientConfig(region?: string): {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    maxAttempts: number;
  };
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit (crash simulation). */
  kill(): Promise<void>;
  /** Removes the data directory (after stop). */
  cleanup(): void;
}

export interface StartServerOptions {
  readonly dataDir?: string;
  readonly env?: Record<string, string>;
  readonly args?: readonly string[];
}

export async function startServerProcess(opts: StartServerOptions = {}): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'kontext-e2e-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), 'server', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, ...(opts.args ?? [])], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      KONTEXT_ADMIN_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
      KONTEXT_ADMIN_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
      KONTEXT_LOG_LEVEL: 'info',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not become ready:\n${output.join('\n')}`)), 20_000);
    const onLine = (line: string) => {
      output.push(line);
      const m = /Kontext ready on (http:\/\/[^"\s]+)/.exec(line);
      if (m?.[1]) {
        clearTimeout(timer);
        res(m[1]);
      }
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`server exited with ${code}:\n${output.join('\n')}`));
    });
  });
  return {
    url,
    dataDir,
    child,
    output,
    clientConfig(region = 'us-east-1') {
      return { endpoint: url, region, credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY }, maxAttempts: 1 };
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
