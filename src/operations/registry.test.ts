import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRegistry } from './registry.ts';
import { KNOWN_ACTIONS } from '../schema/lint/known-actions.ts';

test('policy lint knows every kms: and kontext: action the registry authorizes', () => {
  for (const spec of defaultRegistry().list()) {
    const [service, action] = spec.action.split(':') as [string, string];
    const known = KNOWN_ACTIONS.get(service);
    if (!known) continue;
    assert.ok(known.includes(spec.action.toLowerCase()), `${spec.action} (${spec.service}:${spec.name}) is unknown to policy lint`);
  }
});

test('every operation is registered under a unique service and name', () => {
  const seen = new Set<string>();
  for (const spec of defaultRegistry().list()) {
    const id = `${spec.service}:${spec.name}`;
    assert.ok(!seen.has(id), id);
    seen.add(id);
  }
});
