/**
 * The signing service, embedded: start it in development mode (a TEST
 * identity and a TEST API key in a data directory), then talk to it as a
 * portal would, through @kyso/client: sign a PDF, verify it, take a case
 * code, check the audit chain.
 *
 *   node --import tsx examples/server-sign.ts [data-dir]
 *
 * From the terminal the same service is `kyso serve` (see packages/server/README.md).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKysoClient, KysoClientError } from '@kyso/client';
import { createServer, prepareDevMode } from '@kyso/server';

const dataDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'kyso-server-example-'));
const dev = await prepareDevMode(dataDir);
const server = await createServer({ ...dev.config, port: 0 });
const url = await server.listen();
// A real client has the key printed by `kyso serve` at first start.
const key = dev.newApiKey;
if (!key) throw new Error(`${dataDir} already has a development key: use a fresh directory`);

const kyso = createKysoClient({ baseUrl: url, apiKey: key });
try {
  const signed = await kyso.sign(readFileSync(join(import.meta.dirname, 'assets/sample.pdf')), { reason: 'Chứng thực bản sao', location: 'Bình Định' });
  writeFileSync(join(dataDir, 'signed.pdf'), signed.pdf);
  console.log(`signed: field ${signed.field}, audit record ${signed.auditId}`);

  const report = await kyso.verify(signed.pdf);
  const signer = report.signatures[0]?.signer as { commonName?: string } | undefined;
  console.log(`verified: ${report.verdict}, signed by ${signer?.commonName}`);

  // A retry with the same idempotency key gets the same code.
  const first = await kyso.codes.caseCodes({ idempotencyKey: 'portal-request-1001' });
  const retry = await kyso.codes.caseCodes({ idempotencyKey: 'portal-request-1001' });
  console.log(`case code: ${first.codes[0]?.code} (retry: ${retry.codes[0]?.code})`);

  const chain = await kyso.audit.verify();
  console.log(`audit chain: ${chain.ok ? 'intact' : 'BROKEN'}, ${chain.records} records`);
} catch (e) {
  // Every refusal has the service's stable code and its message in both languages.
  if (e instanceof KysoClientError) console.error(`${e.status} ${e.code}: ${e.message} / ${e.messageVi}`);
  throw e;
} finally {
  await server.close();
}
