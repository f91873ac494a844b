// The KMS client the examples use when run by hand: the Kontext endpoint from KONTEXT_ENDPOINT
// (default http://127.0.0.1:4599), credentials from the usual AWS variables or profile.

import { KMSClient } from '@aws-sdk/client-kms';
import { pathToFileURL } from 'node:url';

export function kmsFromEnv(): KMSClient {
  return new KMSClient({
    endpoint: process.env['KONTEXT_ENDPOINT'] ?? 'http://127.0.0.1:4599',
    region: process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
  });
}

/** True when the module is the script node was asked to run (not imported by a test). */
export const isMain = (moduleUrl: string): boolean => process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;

export type Log = (line: string) => void;
