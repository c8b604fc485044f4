/**
 * Remote signing over the CSC API v2: the service holds the key, the
 * program holds the documents. Starts kyso's service in development mode
 * (a TEST identity and a TEST API key), then, as any client of a CSC
 * service would: logs in, opens the credential (its certificate chain comes
 * from credentials/info), authorizes once for three documents, signs them
 * (only their hashes travel; those ready together leave in one signHash
 * call) and verifies them.
 *
 *   node --import tsx examples/csc-sign.ts [data-dir]
 *
 * Against another provider only the URL, the credential and the way to log
 * in change (token, clientCredentials or login). See "Remote signing (CSC)"
 * in packages/server/README.md.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CscSigner, signPdf, TrustStore, verifyPdf } from '@kyso/core';
import { createServer, prepareDevMode } from '@kyso/server';

const dataDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'kyso-csc-example-'));
const dev = await prepareDevMode(dataDir);
const server = await createServer({ ...dev.config, port: 0 });
const url = await server.listen();
const key = dev.newApiKey;
if (!key) throw new Error(`${dataDir} already has a development key: use a fresh directory`);

try {
  const signer = await CscSigner.open({ url: `${url}/csc/v2`, login: { username: 'dev', password: key }, credentialId: 'test' });
  console.log(`credential: ${signer.credential.credentialId}, SCAL ${signer.credential.scal}, multisign ${signer.credential.multisign}, chain of ${signer.chain.length + 1} certificates`);

  const pdf = new Uint8Array(readFileSync(join(import.meta.dirname, 'assets/sample.pdf')));
  const reasons = ['Quyết định số 1', 'Quyết định số 2', 'Quyết định số 3'];
  await signer.authorize(reasons.length);
  const signed = await Promise.all(reasons.map((reason) => signPdf(pdf, { signer, reason, location: 'Bình Định' })));
  console.log(`signed: ${signed.length} documents, ${signer.authorizedSignatures} signatures left on the authorization`);

  const trust = TrustStore.fromPem(dev.pki.root.certPem);
  for (const [i, doc] of signed.entries()) {
    writeFileSync(join(dataDir, `signed-${i + 1}.pdf`), doc);
    const report = await verifyPdf(doc, { trustStore: trust });
    console.log(`verified ${i + 1}: ${report.verdict}, signed by ${report.signatures[0]?.signer?.commonName}`);
  }

  const audit = (await (await fetch(`${url}/v1/audit?limit=100`, { headers: { authorization: `Bearer ${key}` } })).json()) as { records: { operation: string }[] };
  const count = (op: string) => audit.records.filter((r) => r.operation === op).length;
  console.log(`audit: ${count('csc.login')} login, ${count('csc.authorize')} authorize, ${count('csc.signHash')} signHash records`);
} finally {
  await server.close();
}
