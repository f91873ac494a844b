// Micro-benchmark of the whole authentication step as the server runs it: SigV4 parse + verify plus
// the access-key lookup (SigV4Authenticator over CredentialResolver), warm and with a cold
// credential (SQLite read + root-key unwrap every time, the cost after a key changes).
// Run: node --import tsx bench/authenticator.ts [iterations]   (a script, not a test)

import { cpus } from 'node:os';
import { pino } from 'pino';
import { SigV4Authenticator } from '../src/identity/sigv4-authenticator.ts';
import { ACCOUNT, identityFixture, signedRequest } from '../test/helpers/identity-fixture.ts';

const iterations = Number(process.argv[2] ?? 200_000);
const fx = identityFixture();
const now = Date.now();
await fx.identity.ensureAccount(ACCOUNT, now);
await fx.identity.createUser(ACCOUNT, { userName: 'bench', path: '/', tags: [] }, now);
const key = await fx.identity.createAccessKey(ACCOUNT, 'bench', now);
const auth = new SigV4Authenticator({ resolver: fx.resolver, now: () => now, log: pino({ level: 'silent' }) });
const req = await signedRequest({
  accessKeyId: key.record.accessKeyId,
  secretAccessKey: key.secretAccessKey,
  body: JSON.stringify({ KeyId: 'alias/bench', Plaintext: 'A'.repeat(300) }),
  signingDate: new Date(now),
});

async function measure(name: string, n: number, before?: () => void): Promise<void> {
  for (let i = 0; i < Math.min(n, 10_000); i++) {
    before?.();
    await auth.authenticate(req);
  }
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    before?.();
    await auth.authenticate(req);
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1000 / n;
  const cpu = process.cpuUsage(cpu0);
  console.log(`${name.padEnd(62)} ${wall.toFixed(2).padStart(7)} µs/op  cpu ${((cpu.user + cpu.system) / n).toFixed(2).padStart(6)} µs/op  (${n.toLocaleString('en')} ops)`);
}

console.log(`Authenticator bench — ${new Date().toISOString()} — node ${process.version} — ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}`);
await measure('authenticate(), warm (cached secret and signing key)', iterations);
await measure('authenticate(), cold credential (store read + unwrap)', Math.max(1, Math.floor(iterations / 10)), () => fx.resolver.invalidate(key.record.accessKeyId));
await fx.close();
