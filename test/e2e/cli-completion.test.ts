// End-to-end: `kontext completion bash|zsh` from the real binary; the bash script, sourced in a
// real bash, completes commands, subcommands and options the way Tab would (COMP_WORDS set as
// bash sets them), and lists every command `kontext --help` lists.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKontext } from '../helpers/kontext-cli.ts';

let work: string;
let script: string;
// No server: completion never connects.
const kontext = (...args: string[]) => runKontext('http://127.0.0.1:9', work, args);

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'kontext-completion-'));
  const r = await kontext('completion', 'bash');
  assert.equal(r.code, 0, r.stderr);
  script = join(work, 'kontext.bash');
  writeFileSync(script, r.stdout);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** What Tab offers after `kontext <words...>` (the last word is the one being completed). */
function complete(...words: string[]): Promise<string[]> {
  const line = ['kontext', ...words].map((w) => `'${w}'`).join(' ');
  const program = `source '${script}'; COMP_WORDS=(${line}); COMP_CWORD=${words.length}; _kontext; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', program], { encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(stdout.split('\n').filter(Boolean));
    });
  });
}

test('the bash script completes `kontext enc` to encrypt', async () => {
  assert.deepEqual(await complete('enc'), ['encrypt']);
});

test('the bash script completes subcommands after their command, and a command\'s long options after --', async () => {
  assert.deepEqual(await complete('admin', ''), ['root-key', 'backup', 'verify-backup', 'restore']);
  assert.deepEqual(await complete('admin', 'backup', '--o'), ['--out', '--output']);
  assert.deepEqual(await complete('alerts', 'rules', 'p'), ['put']);
  assert.deepEqual(await complete('list-keys', '--page-size', '2', '--max'), ['--max-items']);
  assert.deepEqual(await complete('encrypt', '--encryption-c'), ['--encryption-context']);
  assert.deepEqual(await complete('nosuchcommand', '--key'), [], 'nothing for an unknown command');
});

test('the bash script lists every command that `kontext --help` lists', async () => {
  const help = await kontext('--help');
  assert.equal(help.code, 0, help.stderr);
  const listed = [...help.stdout.matchAll(/^ {2}([a-z][a-z0-9-]*)(?: \[options\]| <[^>]+>| \[command\])*\s{2,}/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
  assert.ok(listed.length > 40, `parsed ${listed.length} commands from --help`);
  const offered = await complete('');
  assert.deepEqual([...offered].sort(), [...listed].sort());
});

test('completion zsh wraps the same script for bashcompinit; another shell is a usage error', async () => {
  const zsh = await kontext('completion', 'zsh');
  assert.equal(zsh.code, 0, zsh.stderr);
  assert.match(zsh.stdout, /bashcompinit/);
  assert.match(zsh.stdout, /complete -o default -F _kontext kontext/);
  const fish = await kontext('completion', 'fish');
  assert.equal(fish.code, 252);
  assert.match(fish.stderr, /unsupported shell 'fish': use bash or zsh/);
  assert.equal(fish.stdout, '');
});
