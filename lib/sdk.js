// Entry point of `kontext/sdk` (package.json "exports"): the SDK is TypeScript source, loaded
// through tsx's loader, which is already registered under `node --import tsx` and is registered
// here otherwise. Types come from src/sdk/index.ts directly (the "types" condition).
let sdk;
try {
  sdk = await import('../src/sdk/index.ts');
} catch (err) {
  if (err?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
  const { register } = await import('tsx/esm/api');
  register();
  // A new URL: the module loader remembers the failed import of the plain one.
  sdk = await import('../src/sdk/index.ts?tsx');
}

// Keep this list equal to the value exports of src/sdk/index.ts (src/sdk/package-export.test.ts checks it).
export const {
  assertContextBound,
  ContextFieldError,
  defineContext,
  encodeContext,
  ENVELOPE_VERSION,
  envelopeCipher,
  EnvelopeFormatError,
  kmsCipher,
  MAX_KMS_PLAINTEXT_BYTES,
  parseEnvelope,
} = sdk;
