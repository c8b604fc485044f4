/**
 * Sign a PDF with a key that never leaves a PKCS#11 token (USB token or
 * HSM). A throw-away SoftHSM2 token stands in for a real one here: it is
 * initialised in a temporary directory with softhsm2-util / pkcs11-tool and
 * given a TEST certificate. With a real token, skip that part and pass its
 * module path, label and key label.
 *
 *   node --import tsx examples/pkcs11-sign.ts [out-dir]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signPdf } from '@kyso/core';
import { loadOrCreateTestPki } from '@kyso/core/testing';
import { Pkcs11Signer, listTokens } from '@kyso/pkcs11';
import { createSoftHsmToken, SOFTHSM_MODULE } from '../packages/pkcs11/test/softhsm.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = process.argv[2] ?? join(here, '..', '.tmp', 'example-pkcs11');
mkdirSync(outDir, { recursive: true });

// --- stand-in for plugging in a token -------------------------------------
const pki = await loadOrCreateTestPki();
process.env.TOKEN_PIN ??= '246810';
await createSoftHsmToken({
  pki,
  label: 'Token Can Bo',
  pin: process.env.TOKEN_PIN,
  keys: [{ label: 'chu-ky-so', id: '01', keyType: 'rsa:2048', kind: 'personal' }],
});
// ---------------------------------------------------------------------------

for (const t of await listTokens(SOFTHSM_MODULE)) {
  if (t.initialized) console.log(`token: "${t.label}" serial ${t.serialNumber} (${t.manufacturer} ${t.model})`);
}

// Open once: module, token (by label, never by slot), login, key, certificate, chain from the token.
const signer = await Pkcs11Signer.open({
  module: SOFTHSM_MODULE,
  token: { label: 'Token Can Bo' },
  key: { label: 'chu-ky-so' },
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
  writeFileSync(join(outDir, 'root.pem'), pki.root.certPem);
  console.log(`signed: ${join(outDir, 'signed-1.pdf')} ${join(outDir, 'signed-2.pdf')}`);
} finally {
  await signer.close();
}
