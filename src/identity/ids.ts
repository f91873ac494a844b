// Identifiers and secrets shaped like AWS's: unique ids with the IAM prefixes (AIDA users, AROA
// roles, AKIA long-term keys, ASIA temporary keys), 40-character secret access keys, and session
// tokens. Randomness is passed in so tests can fix it.

export type RandomBytes = (size: number) => Buffer;

export type IdPrefix = 'AIDA' | 'AROA' | 'AKIA' | 'ASIA';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(random: RandomBytes, length: number): string {
  const bytes = random(length);
  let out = '';
  // 256 is a multiple of 32, so masking keeps every symbol equally likely.
  for (let i = 0; i < length; i++) out += BASE32[(bytes[i] as number) & 31];
  return out;
}

/** Access key ids are 20 characters (AKIAIOSFODNN7EXAMPLE). */
export const newAccessKeyId = (prefix: 'AKIA' | 'ASIA', random: RandomBytes): string => prefix + base32(random, 16);

/** User and role ids are 21 characters (AIDACKCEVSQ6C2EXAMPLE). */
export const newPrincipalId = (prefix: 'AIDA' | 'AROA', random: RandomBytes): string => prefix + base32(random, 17);

/** 40 characters of the base64 alphabet, as AWS's secret access keys (30 random bytes). */
export const newSecretAccessKey = (random: RandomBytes): string => random(30).toString('base64');

/** An opaque bearer value presented with temporary credentials; only its hash is stored. */
export const newSessionToken = (random: RandomBytes): string => 'KTX1' + random(96).toString('base64');

/** AWS access key ids: `[\w]+`, 16 to 128 characters (IAM AccessKeyId shape). */
export const ACCESS_KEY_ID_PATTERN = /^\w{16,128}$/;
