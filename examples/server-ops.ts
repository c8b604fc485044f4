/**
 * Monitoring the signing service without handing monitoring a signing key:
 * an API key with only the `ops` operation reads /metrics and the detailed
 * /readyz; an anonymous caller gets only ready/not-ready; a separate
 * operations listener (`opsListener`) serves both without a key on an
 * address only the monitoring network reaches. Ambiguous requests are
 * refused: two Authorization headers are a 400 AUTH_AMBIGUOUS.
 *
 *   node --import tsx examples/server-ops.ts [data-dir]
 */
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, generateApiKey, hashApiKey, prepareDevMode } from '@kyso/server';

const dataDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'kyso-ops-example-'));
const dev = await prepareDevMode(dataDir);
const opsKey = generateApiKey();
const server = await createServer({
  ...dev.config,
  port: 0,
  apiKeys: [...(dev.config.apiKeys ?? []), { id: 'monitoring', sha256: hashApiKey(opsKey), identities: [], operations: ['ops'] }],
  opsListener: { host: '127.0.0.1', port: 0 },
});
const url = await server.listen();

try {
  const anonymous = await (await fetch(`${url}/readyz`)).json();
  console.log(`anonymous /readyz: ${JSON.stringify(anonymous)}`);
  const detailed = (await (await fetch(`${url}/readyz`, { headers: { authorization: `Bearer ${opsKey}` } })).json()) as { signers: Record<string, string> };
  console.log(`ops key /readyz: signers ${Object.entries(detailed.signers).map(([n, s]) => `${n}=${s}`).join(', ')}`);
  console.log(`/metrics without a key: ${(await fetch(`${url}/metrics`)).status}`);
  console.log(`/metrics with the ops key: ${(await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${opsKey}` } })).status}`);
  console.log(`/metrics on the operations listener: ${(await fetch(`${server.opsUrl}/metrics`)).status}`);

  // fetch joins repeated headers; node's http.request sends them as given.
  const twice = await new Promise<{ status: number; code: string }>((resolve, reject) => {
    const req = request(`${url}/metrics`, { headers: ['Host', new URL(url).host, 'Authorization', `Bearer ${opsKey}`, 'Authorization', 'Bearer kyso_someone_else'] }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, code: (JSON.parse(body) as { code: string }).code }));
    });
    req.on('error', reject);
    req.end();
  });
  console.log(`two Authorization headers: ${twice.status} ${twice.code}`);
} finally {
  await server.close();
}
