// End-to-end: `kontext alerts list|ack` and `kontext alerts rules list|put|delete` (bin/kontext.js)
// against a real server process.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { runKontext, type CliResult } from '../helpers/kontext-cli.ts';

let server: ServerProcess;
let work: string;

function kontext(...args: string[]): Promise<CliResult> {
  return runKontext(server.url, work, args);
}

before(async () => {
  server = await startServerProcess();
  work = mkdtempSync(join(tmpdir(), 'kontext-alerts-cli-'));
});

after(async () => {
  await server?.stop();
  server?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

test('kontext alerts rules put, list and delete manage rules; alerts list and ack show and acknowledge what they raise', async () => {
  const file = join(work, 'changes.json');
  writeFileSync(file, JSON.stringify({ RuleName: 'changes', Kind: 'ConfigChange', Severity: 'medium' }));
  const put = await kontext('alerts', 'rules', 'put', file);
  assert.equal(put.code, 0, put.stderr);
  assert.equal(JSON.parse(put.stdout).Rule.RuleName, 'changes');

  // Putting a second rule is itself a configuration change the first one alerts on.
  writeFileSync(file, JSON.stringify({ RuleName: 'probing', Kind: 'FailureBurst', Parameters: { Threshold: 3 } }));
  assert.equal((await kontext('alerts', 'rules', 'put', file)).code, 0);
  const names = await kontext('alerts', 'rules', 'list', '--query', 'Rules[].RuleName', '--output', 'text');
  assert.equal(names.stdout.trim().split(/\s+/).join(' '), 'changes probing');

  let alertId = '';
  const deadline = Date.now() + 60_000;
  while (!alertId) {
    const list = await kontext('alerts', 'list', '--rule-name', 'changes');
    assert.equal(list.code, 0, list.stderr);
    const found = (JSON.parse(list.stdout).Alerts as Array<{ AlertId: string; Summary: string }>).find((a) => a.Summary.startsWith('PutAlertRule'));
    if (found) alertId = found.AlertId;
    else if (Date.now() > deadline) assert.fail('no alert for the PutAlertRule change');
    else await new Promise((r) => setTimeout(r, 200));
  }
  const ack = await kontext('alerts', 'ack', alertId, '--note', 'expected: set up by the test');
  assert.equal(ack.code, 0, ack.stderr);
  assert.equal(JSON.parse(ack.stdout).Alert.Acknowledgement.Note, 'expected: set up by the test');
  const open = await kontext('alerts', 'list', '--no-acknowledged', '--query', 'Alerts[].AlertId', '--output', 'json');
  assert.ok(!(JSON.parse(open.stdout) as string[]).includes(alertId));
  const acked = await kontext('alerts', 'list', '--acknowledged', '--query', 'Alerts[].AlertId', '--output', 'json');
  assert.ok((JSON.parse(acked.stdout) as string[]).includes(alertId));

  assert.equal((await kontext('alerts', 'rules', 'delete', 'probing')).code, 0);
  const after = await kontext('alerts', 'rules', 'list', '--query', 'Rules[].RuleName', '--output', 'text');
  assert.equal(after.stdout.trim(), 'changes');
});

test('kontext alerts rules put reports a bad rule with the field it names, and bad flags as usage errors', async () => {
  const file = join(work, 'bad.json');
  writeFileSync(file, JSON.stringify({ RuleName: 'bad', Kind: 'FailureBurst', Parameters: { WindowSeconds: -1 } }));
  const bad = await kontext('alerts', 'rules', 'put', file);
  assert.equal(bad.code, 254);
  assert.match(bad.stderr, /ValidationException/);
  assert.match(bad.stderr, /parameters\.windowSeconds/);
  const missing = await kontext('alerts', 'rules', 'delete', 'nope');
  assert.equal(missing.code, 254);
  assert.match(missing.stderr, /NotFoundException/);
  assert.equal((await kontext('alerts', 'list', '--start-time', 'yesterday-ish')).code, 252);
  assert.equal((await kontext('alerts', 'rules', 'put', join(work, 'absent.json'))).code, 252);
});
