/**
 * Two-step signing: the officer's key never leaves the client (a USB token
 * in a browser or desktop app). The server prepares the PDF and hands out
 * the bytes to sign; the client signs them with its key; the server checks
 * the value against the declared certificate and embeds it.
 *
 *   node --import tsx examples/server-two-step.ts [data-dir]
 */
import { sign } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTestPki } from '@kyso/core/testing';
import { createServer, prepareDevMode } from '@kyso/server';

const dataDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'kyso-two-step-'));
const dev = await prepareDevMode(dataDir);
const server = await createServer({ ...dev.config, port: 0 });
const url = await server.listen();
const key = dev.newApiKey!;
// The "token": the TEST officer's key and certificate (in real life: PKCS#11 in the client).
const pki = await loadTestPki(join(dataDir, 'test-pki'));
const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

try {
  // 1. The server lays out the signature and says what to sign.
  const prep = (await (
    await fetch(`${url}/v1/sign/prepare`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        pdf: readFileSync(join(import.meta.dirname, 'assets/sample.pdf')).toString('base64'),
        certificateChain: [pki.personal.certDer, pki.issuing.certDer].map((c) => Buffer.from(c).toString('base64')),
        reason: 'Chứng thực bản sao',
      }),
    })
  ).json()) as { sessionId: string; toBeSigned: string; digestAlgorithm: string };
  console.log(`prepared: session ${prep.sessionId.slice(0, 8)}…, ${prep.digestAlgorithm}`);

  // 2. The client signs the signed attributes with its own key.
  const value = sign(prep.digestAlgorithm.replace('-', '').toLowerCase(), Buffer.from(prep.toBeSigned, 'base64'), pki.personal.privateKey);

  // 3. The server checks the value and embeds it.
  const done = await fetch(`${url}/v1/sign/complete`, { method: 'POST', headers: auth, body: JSON.stringify({ sessionId: prep.sessionId, signature: value.toString('base64') }) });
  if (!done.ok) throw new Error(`complete failed: ${await done.text()}`);
  const pdf = Buffer.from(await done.arrayBuffer());
  writeFileSync(join(dataDir, 'two-step.pdf'), pdf);
  const report = (await (await fetch(`${url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf })).json()) as {
    verdict: string;
    signatures: { signer: { commonName: string } }[];
  };
  console.log(`verified: ${report.verdict}, signed by ${report.signatures[0]?.signer.commonName}`);
} finally {
  await server.close();
}
