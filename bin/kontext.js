#!/usr/bin/env node
// Entry point of the `kontext` command (and of `npm start`). Runs the compiled JavaScript in
// dist/ (built by `npm install` through the `prepare` script, or `npm run build`) when it is at
// least as new as every source file; otherwise the TypeScript sources through tsx's loader, so an
// edited checkout never runs stale code. The compiled build is the fast one: tsx transforms
// every module at start and its output costs more per request.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// `kontext ... | head` closes the pipe early: stop quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.built');

/** Newest modification time of the non-test TypeScript files under `dir`. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const compiled = existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource(join(root, 'src'));
if (compiled) {
  await import(pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
