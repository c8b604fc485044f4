/**
 * PKCS#11 signing throughput on SoftHSM2 (a fresh token in a temporary
 * directory, RSA-2048, CKM_SHA256_RSA_PKCS):
 *
 *   node --import tsx benchmarks/pkcs11.bench.ts [--seconds 3] [--sessions 4] [--json]
 *
 * Two pairs, measured in the same run and interleaved:
 *  1. signer: Pkcs11Signer.sign() over signed-attribute-sized input against
 *     raw pkcs11js C_SignInit + C_SignAsync on the same number of sessions;
 *  2. pdf: signPdf of a 1 MB PDF through Pkcs11Signer against signPdf
 *     through a bare Signer that calls raw pkcs11js on one session.
 * Ratios (kyso / raw) are printed; the target is ≥ 0.8 for both.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { signPdf, type Signer } from '@kyso/core';
import { loadOrCreateTestPki } from '@kyso/core/testing';
import { Pkcs11Signer } from '@kyso/pkcs11';
import { P } from '../packages/pkcs11/src/pkcs11js.js';
import { createSoftHsmToken, SOFTHSM_MODULE } from '../packages/pkcs11/test/softhsm.js';
import { ensureFixture } from './fixtures.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '3' }, sessions: { type: 'string', default: '4' }, json: { type: 'boolean', default: false } },
});
const seconds = Number(values.seconds);
const sessions = Number(values.sessions);
const log = (s: string): void => void process.stderr.write(`${s}\n`);

const PIN = randomBytes(6).toString('hex');
const pki = await loadOrCreateTestPki();
log('initialising a SoftHSM2 token …');
const token = await createSoftHsmToken({ pki, label: 'Kyso Bench', pin: PIN, keys: [{ label: 'bench', id: '01', keyType: 'rsa:2048' }] });
const pdfPath = await ensureFixture('text', 1024 * 1024);
const pdf = new Uint8Array(readFileSync(pdfPath));

const signer = await Pkcs11Signer.open({ module: SOFTHSM_MODULE, token: { label: token.label }, key: { label: 'bench' }, pin: PIN, sessions });

// Raw pkcs11js on the same (already initialised) module: its own sessions, same login.
const raw = new P.PKCS11();
raw.load(SOFTHSM_MODULE);
try {
  raw.C_Initialize({ flags: P.CKF_OS_LOCKING_OK });
} catch (e) {
  if ((e as { code?: number }).code !== P.CKR_CRYPTOKI_ALREADY_INITIALIZED) throw e;
}
const slot = raw.C_GetSlotList(true).find((s) => raw.C_GetTokenInfo(s).label.trim() === token.label)!;
const rawSessions = Array.from({ length: sessions }, () => raw.C_OpenSession(slot, P.CKF_SERIAL_SESSION));
try {
  raw.C_Login(rawSessions[0]!, P.CKU_USER, PIN);
} catch (e) {
  if ((e as { code?: number }).code !== P.CKR_USER_ALREADY_LOGGED_IN) throw e;
}
raw.C_FindObjectsInit(rawSessions[0]!, [
  { type: P.CKA_CLASS, value: P.CKO_PRIVATE_KEY },
  { type: P.CKA_LABEL, value: 'bench' },
]);
const rawKey = raw.C_FindObjects(rawSessions[0]!, 1)[0]!;
raw.C_FindObjectsFinal(rawSessions[0]!);
const mech = { mechanism: P.CKM_SHA256_RSA_PKCS };
const rawSign = async (session: Buffer, data: Buffer): Promise<Buffer> => {
  raw.C_SignInit(session, mech, rawKey);
  return raw.C_SignAsync(session, data, Buffer.alloc(256));
};

/** Runs `workers` loops of `op` for `ms`; operations per second. */
async function rate(workers: number, ms: number, op: (worker: number) => Promise<unknown>): Promise<number> {
  let count = 0;
  const end = performance.now() + ms;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (performance.now() < end) {
        await op(w);
        count++;
      }
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

const attrs = randomBytes(420); // about the size of CAdES signed attributes
const bareSigner: Signer = {
  certificate: signer.certificate,
  chain: signer.chain,
  signatureAlgorithm: { scheme: 'RSASSA-PKCS1-v1_5' },
  maxSignatureSize: 256,
  sign: async (data) => new Uint8Array(await rawSign(rawSessions[0]!, Buffer.from(data))),
};

const ms = seconds * 1000;
const rounds = 3;
const r = { signerKyso: 0, signerRaw: 0, pdfKyso: 0, pdfRaw: 0 };
// Warm-up, then interleaved rounds so drift hits both sides alike.
await rate(sessions, 300, () => signer.sign(attrs, 'SHA-256'));
await rate(sessions, 300, (w) => rawSign(rawSessions[w]!, attrs));
await signPdf(pdf, { signer });
await signPdf(pdf, { signer: bareSigner });
for (let i = 0; i < rounds; i++) {
  log(`round ${i + 1}/${rounds} …`);
  r.signerRaw += (await rate(sessions, ms / 2, (w) => rawSign(rawSessions[w]!, attrs))) / rounds;
  r.signerKyso += (await rate(sessions, ms / 2, () => signer.sign(attrs, 'SHA-256'))) / rounds;
  r.pdfRaw += (await rate(1, ms / 2, () => signPdf(pdf, { signer: bareSigner }))) / rounds;
  r.pdfKyso += (await rate(1, ms / 2, () => signPdf(pdf, { signer }))) / rounds;
}
// Raw sessions first: closing the signer finalizes the module (it is the module's last registered user).
for (const s of rawSessions) raw.C_CloseSession(s);
await signer.close();

const report = {
  module: SOFTHSM_MODULE,
  key: 'RSA-2048 CKM_SHA256_RSA_PKCS',
  sessions,
  pdfBytes: pdf.length,
  signer: { kysoPerSec: round(r.signerKyso), rawPerSec: round(r.signerRaw), ratio: round(r.signerKyso / r.signerRaw, 3) },
  pdf: { kysoPerSec: round(r.pdfKyso), rawPerSec: round(r.pdfRaw), ratio: round(r.pdfKyso / r.pdfRaw, 3) },
};
if (values.json) {
  process.stdout.write(`${JSON.stringify(report)}\n`);
} else {
  console.log(`PKCS#11 on SoftHSM2, RSA-2048, ${sessions} sessions`);
  console.log(`  signer  Pkcs11Signer.sign ${report.signer.kysoPerSec}/s  raw C_Sign ${report.signer.rawPerSec}/s  ratio ${report.signer.ratio}`);
  console.log(`  pdf 1MB signPdf+Pkcs11Signer ${report.pdf.kysoPerSec}/s  signPdf+raw C_Sign ${report.pdf.rawPerSec}/s  ratio ${report.pdf.ratio}`);
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
