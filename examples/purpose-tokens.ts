// Tokens bound to their purpose: a web session token and a password-reset token are both KMS
// ciphertexts under the same key, but each carries `purpose` in its encryption context, so a
// token presented for the other purpose (a leaked session token used to reset a password, a
// reset link replayed as a session cookie) fails to decrypt.
//
//   node --import tsx examples/purpose-tokens.ts      (against `kontext server --dev`)

import { CreateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { defineContext } from 'kontext/sdk';
import { isMain, kmsFromEnv, type Log } from './kms-from-env.ts';

export const Token = defineContext({
  fields: { purpose: { type: 'string', oneOf: ['web_session', 'password_reset'] }, user_id: { type: 'string', pattern: /^user_/ } },
});

type Purpose = 'web_session' | 'password_reset';

interface TokenClaims {
  readonly user_id: string;
  readonly expires_at: number;
}

export async function run(kms: KMSClient, log: Log = console.log): Promise<void> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'session and reset tokens' }));
  const tokens = Token.encryptor(kms, KeyMetadata!.KeyId!);

  const issue = async (purpose: Purpose, userId: string, ttlSeconds: number): Promise<string> => {
    const claims: TokenClaims = { user_id: userId, expires_at: Math.floor(Date.now() / 1000) + ttlSeconds };
    return Buffer.from(await tokens.encrypt(JSON.stringify(claims), { purpose, user_id: userId })).toString('base64url');
  };
  /** The user id the token is for, if it is a valid token for this purpose. */
  const verify = async (purpose: Purpose, userId: string, token: string): Promise<string> => {
    const claims = JSON.parse(await tokens.decryptText(Buffer.from(token, 'base64url'), { purpose, user_id: userId })) as TokenClaims;
    if (claims.expires_at < Date.now() / 1000) throw Object.assign(new Error('token expired'), { name: 'TokenExpired' });
    return claims.user_id;
  };

  const session = await issue('web_session', 'user_42', 3600);
  const reset = await issue('password_reset', 'user_42', 900);
  log(`session token accepted for web_session: ${await verify('web_session', 'user_42', session)}`);
  log(`reset token accepted for password_reset: ${await verify('password_reset', 'user_42', reset)}`);

  for (const [token, purpose] of [
    [session, 'password_reset'],
    [reset, 'web_session'],
  ] as const) {
    try {
      await verify(purpose, 'user_42', token);
      log(`a token was accepted for ${purpose} (binding broken!)`);
    } catch (err) {
      log(`token used for ${purpose}: ${(err as Error).name}`);
    }
  }

  try {
    await verify('web_session', 'user_7', session);
    log("user_42's session was accepted as user_7's (binding broken!)");
  } catch (err) {
    log(`session token presented for another user: ${(err as Error).name}`);
  }
}

if (isMain(import.meta.url)) {
  const kms = kmsFromEnv();
  await run(kms).finally(() => kms.destroy());
}
