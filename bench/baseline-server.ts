// The bench's ceiling: a bare node:http server that reads and parses the same JSON body Kontext
// would and answers a fixed JSON response the size of an Encrypt reply. Kontext's requests/s is
// reported as a fraction of this server's, measured in the same run on the same core.
// Prints `Baseline ready on <url>` once listening.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// An Encrypt reply for a 256-byte plaintext: 65-byte header + 256 + 16-byte tag, base64.
const RESPONSE = Buffer.from(
  JSON.stringify({
    CiphertextBlob: Buffer.alloc(65 + 256 + 16, 7).toString('base64'),
    KeyId: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000',
    EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
  }),
);

const server = createServer({ keepAlive: true, keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': '2' }).end('{}');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': String(RESPONSE.length) });
    res.end(RESPONSE);
  });
});

const port = Number(process.argv[2] ?? 0);
server.listen(port, '127.0.0.1', () => {
  const addr = server.address() as AddressInfo;
  process.stdout.write(`Baseline ready on http://127.0.0.1:${addr.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
