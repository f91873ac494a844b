// The response as printed: `--query` (JMESPath, the same spec as the AWS CLI's), then
// `--output json` (4-space indented, nothing for an empty response) or `--output text`.

import jmespath from 'jmespath';
import { usageError } from '../cli-error.ts';
import type { CliValue } from './cli-values.ts';
import { formatText } from './format-text.ts';

export type OutputFormat = 'json' | 'text';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'text'];

/** Compiles a --query expression up front, so a bad one fails before any request (exit 252). */
export function compileQuery(expression: string | undefined): ((v: CliValue) => CliValue) | undefined {
  if (expression === undefined) return undefined;
  try {
    // compile() exists in jmespath 0.16 but is missing from @types/jmespath.
    (jmespath as unknown as { compile(expression: string): unknown }).compile(expression);
  } catch (err) {
    throw usageError(`Bad value for --query ${expression}: ${(err as Error).message}`);
  }
  return (v) => (jmespath.search(v as never, expression) ?? null) as CliValue;
}

export function formatOutput(response: CliValue, format: OutputFormat, query?: (v: CliValue) => CliValue): string {
  const value = query ? query(response) : response;
  if (format === 'text') return formatText(value);
  if (isEmptyObject(value)) return '';
  return `${JSON.stringify(value, null, 4)}\n`;
}

const isEmptyObject = (v: CliValue): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
