// Webhooks are deployment configuration, defined in the rules file (never through the API, so
// their secrets stay out of the database and out of every response). Only http and https URLs.

import { DocReader, memberPath } from './doc-reader.ts';
import { RULE_NAME_PATTERN } from './rule-parse.ts';

export interface WebhookConfig {
  readonly name: string;
  readonly url: URL;
  /** HMAC key for X-Kontext-Signature. */
  readonly secret: string;
}

/** Reads one `Webhooks` entry: Name, Url, and Secret or SecretEnv (the name of an environment variable). */
export function parseWebhook(v: unknown, path: string, env: Record<string, string | undefined>, r: DocReader): WebhookConfig | undefined {
  const o = r.object(v, path);
  if (!o) return undefined;
  r.onlyMembers(o, path, ['Name', 'Url', 'Secret', 'SecretEnv']);
  const name = r.string(o, 'Name', path, { required: true, min: 1, max: 64, pattern: RULE_NAME_PATTERN });
  const urlText = r.string(o, 'Url', path, { required: true, min: 1, max: 2048 });
  let url: URL | undefined;
  try {
    url = new URL(urlText);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      r.issue('invalid_value', memberPath(path, 'Url'), `Member must be an http or https URL: '${url.protocol}' is not allowed`);
      url = undefined;
    } else if (url.username || url.password) {
      r.issue('invalid_value', memberPath(path, 'Url'), 'Member must not carry credentials: sign with Secret instead');
      url = undefined;
    }
  } catch {
    if (urlText) r.issue('invalid_value', memberPath(path, 'Url'), 'Member must be an absolute http or https URL');
  }
  const literal = r.string(o, 'Secret', path, { min: 16, max: 1024 });
  const fromEnv = r.string(o, 'SecretEnv', path, { min: 1, max: 256 });
  let secret = literal;
  if (literal !== undefined && fromEnv !== undefined) r.issue('invalid_value', path, 'Member must set Secret or SecretEnv, not both');
  if (fromEnv !== undefined) {
    secret = env[fromEnv];
    if (secret === undefined || secret.length < 16) r.issue('invalid_value', memberPath(path, 'SecretEnv'), `Member must name an environment variable holding at least 16 characters: ${fromEnv} is ${secret === undefined ? 'not set' : 'too short'}`);
  }
  if (literal === undefined && fromEnv === undefined) r.issue('required', path, 'Member must set Secret or SecretEnv (the HMAC key for X-Kontext-Signature)');
  if (!url || secret === undefined || secret.length < 16) return undefined;
  return { name, url, secret };
}
