/**
 * The signing service, embedded: start it in development mode (a TEST
 * identity and a TEST API key in a data directory), then talk to it over HTTP
 * as a portal would: sign a PDF, verify it, take a case code.
 *
 *   node --import tsx examples/server-sign.ts [data-dir]
 *
 * From the terminal the same service is `kyso serve` (see packages/server/README.md).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, prepareDevMode } from '@kyso/server';

const dataDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'kyso-server-example-'));
const dev = await prepareDevMode(dataDir);
const server = await createServer({ ...dev.config, port: 0 });
const url = await server.listen();
// A real client has the key printed by `kyso serve` at first start.
const key = dev.newApiKey;
if (!key) throw new Error(`${dataDir} already has a development key: use a fresh directory`);

try {
  const signed = await fetch(`${url}/v1/sign?reason=${encodeURIComponent('Chứng thực bản sao')}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/pdf', 'x-kyso-location': encodeURIComponent('Bình Định') },
    body: readFileSync(join(import.meta.dirname, 'assets/sample.pdf')),
  });
  if (!signed.ok) throw new Error(`sign failed: ${JSON.stringify(await signed.json())}`);
  const pdf = Buffer.from(await signed.arrayBuffer());
  writeFileSync(join(dataDir, 'signed.pdf'), pdf);
  console.log(`signed: field ${signed.headers.get('x-kyso-field')}, audit record ${signed.headers.get('x-kyso-audit-id')}`);

  const report = (await (await fetch(`${url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf })).json()) as {
    verdict: string;
    signatures: { signer: { commonName: string } }[];
  };
  console.log(`verified: ${report.verdict}, signed by ${report.signatures[0]?.signer.commonName}`);

  const codeRequest = () =>
    fetch(`${url}/v1/codes/case`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': 'portal-request-1001' }, body: '{}' }).then(
      (r) => r.json() as Promise<{ codes: { code: string }[] }>,
    );
  const first = await codeRequest();
  const retry = await codeRequest();
  console.log(`case code: ${first.codes[0]?.code} (retry: ${retry.codes[0]?.code})`);

  const chain = (await (await fetch(`${url}/v1/audit/verify`, { headers: { authorization: `Bearer ${key}` } })).json()) as { ok: boolean; records: number };
  console.log(`audit chain: ${chain.ok ? 'intact' : 'BROKEN'}, ${chain.records} records`);
} finally {
  await server.close();
}
