/**
 * Sign a PDF with a key that never leaves a PKCS#11 token (USB token or
 * HSM): the vendor's PKCS#11 module, the token's label, the key's label and
 * the PIN in an environment variable are all it takes. The suite runs it on
 * a throw-away SoftHSM2 token (examples/pkcs11-sign.test.ts makes one with a
 * TEST certificate); with a real token, give its module and labels:
 *
 *   PKCS11_MODULE=/usr/lib/x86_64-linux-gnu/vnpt-ca/libvnpt.so TOKEN_LABEL='...' KEY_LABEL='...' \
 *   TOKEN_PIN=... node --import tsx examples/pkcs11-sign.ts [out-dir]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signPdf } from '@kyso/core';
import { Pkcs11Signer, listTokens } from '@kyso/pkcs11';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = process.argv[2] ?? join(here, '..', '.tmp', 'example-pkcs11');
mkdirSync(outDir, { recursive: true });
const modulePath = process.env.PKCS11_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so';
const tokenLabel = process.env.TOKEN_LABEL ?? 'Token Can Bo';
const keyLabel = process.env.KEY_LABEL ?? 'chu-ky-so';

for (const t of await listTokens(modulePath)) {
  if (t.initialized) console.log(`token: "${t.label}" serial ${t.serialNumber} (${t.manufacturer} ${t.model})`);
}

// Open once: module, token (by label, never by slot), login, key, certificate, chain from the token.
const signer = await Pkcs11Signer.open({
  module: modulePath,
  token: { label: tokenLabel },
  key: { label: keyLabel },
  pinEnv: 'TOKEN_PIN', // the PIN is read from the environment, never printed
});
try {
  console.log(`mechanism: ${signer.mechanismFor('SHA-256')}`);
  const original = readFileSync(join(here, 'assets', 'sample.pdf'));
  // Several documents at once: each signature runs on its own token session.
  const [a, b] = await Promise.all([
    signPdf(original, { signer, reason: 'Chứng thực bản sao đúng với bản chính', location: 'Bình Định' }),
    signPdf(original, { signer, reason: 'Bản thứ hai' }),
  ]);
  writeFileSync(join(outDir, 'signed-1.pdf'), a);
  writeFileSync(join(outDir, 'signed-2.pdf'), b);
  console.log(`signed: ${join(outDir, 'signed-1.pdf')} ${join(outDir, 'signed-2.pdf')}`);
} finally {
  await signer.close();
}
