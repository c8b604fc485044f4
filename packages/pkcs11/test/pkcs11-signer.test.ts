/**
 * Pkcs11Signer against a real SoftHSM2 token initialised here, in a
 * temporary directory. Signed PDFs are judged by poppler's pdfsig (with an
 * NSS database trusting the TEST root) and by kyso's verifier under a trust
 * store holding only the TEST root.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KysoError, TrustStore, signPdf, verifyPdf, type DigestAlgorithm } from '@kyso/core';
import type { TestPki } from '@kyso/core/testing';
import { Pkcs11Signer, listKeys, listTokens } from '@kyso/pkcs11';
import { P as pkcs11js } from '../src/pkcs11js.js';
import { pdfsig } from '../../core/test/helpers/external-tools.js';
import { nssDbForTestPki, testPki } from '../../core/test/helpers/fixtures.js';
import { createSoftHsmToken, SOFTHSM_MODULE, type SoftHsmToken } from './softhsm.js';

const SAMPLE = readFileSync(resolve(__dirname, '../../../examples/assets/sample.pdf'));
const PIN = '424242-pin';
let pki: TestPki;
let nss: string;
let token: SoftHsmToken;
let spare: SoftHsmToken;
const SPARE_PIN = '135790-spare';
const open: Pkcs11Signer[] = [];

beforeAll(async () => {
  pki = await testPki();
  nss = await nssDbForTestPki();
  token = await createSoftHsmToken({
    pki,
    label: 'Kyso Test Token',
    pin: PIN,
    keys: [
      { label: 'rsa2048', id: '01', keyType: 'rsa:2048', kind: 'personal' },
      { label: 'rsa3072', id: '02', keyType: 'rsa:3072', kind: 'organisation' },
      { label: 'p256', id: '03', keyType: 'EC:prime256v1', kind: 'personal', subject: 'C=VN, L=Bình Định, O=UBND tỉnh Bình Định, CN=Trần Thị Bình' },
      { label: 'confirm', id: '04', keyType: 'rsa:2048', alwaysAuth: true, kind: 'personal', subject: 'C=VN, O=UBND tỉnh Bình Định, CN=Lê Văn Cường' },
      { label: 'nocert', id: '05', keyType: 'rsa:2048', certificate: false },
    ],
  });
  // A second token nobody logs in to: a wrong PIN there is judged by the token itself.
  spare = await createSoftHsmToken({
    pki,
    label: 'Kyso Spare Token',
    pin: SPARE_PIN,
    keys: [{ label: 'spare', id: '01', keyType: 'EC:prime256v1' }],
    dir: { dir: token.dir, conf: token.conf },
  });
});

afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

async function signer(options: Partial<Parameters<typeof Pkcs11Signer.open>[0]> = {}): Promise<Pkcs11Signer> {
  const s = await Pkcs11Signer.open({ module: SOFTHSM_MODULE, token: { label: token.label }, key: { label: 'rsa2048' }, pin: PIN, ...options } as Parameters<
    typeof Pkcs11Signer.open
  >[0]);
  open.push(s);
  return s;
}

function expectPdfsigTrusted(pdf: Uint8Array, name: string, commonName?: string): void {
  const file = join(token.dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const sigs = pdfsig(file, nss);
  expect(sigs).toHaveLength(1);
  expect(sigs[0]!.signatureValid, sigs[0]!.signatureText).toBe(true);
  expect(sigs[0]!.certificateTrusted, sigs[0]!.certificateText).toBe(true);
  expect(sigs[0]!.totalDocumentSigned).toBe(true);
  if (commonName) expect(sigs[0]!.commonName).toBe(commonName);
}

async function expectKysoValid(pdf: Uint8Array): Promise<void> {
  const report = await verifyPdf(pdf, { trustStore: TrustStore.fromPem(pki.root.certPem) });
  expect(report.verdict, JSON.stringify(report.findings)).toBe('valid');
}

describe('listTokens', () => {
  it('lists the initialised token with label and serial, and the free slot', async () => {
    const tokens = await listTokens(SOFTHSM_MODULE);
    const t = tokens.find((x) => x.label === token.label);
    expect(t).toBeDefined();
    expect(t!.serialNumber).toBe(token.serial);
    expect(t!.initialized).toBe(true);
    expect(t!.loginRequired).toBe(true);
    expect(tokens.some((x) => !x.initialized)).toBe(true);
  });

  it('lists keys and certificates after login, only public objects without a PIN', async () => {
    const withPin = await listKeys({ module: SOFTHSM_MODULE, token: { label: token.label }, pin: PIN });
    expect(withPin.loggedIn).toBe(true);
    const priv = withPin.keys.filter((k) => k.kind === 'private');
    expect(priv.map((k) => k.label).sort()).toEqual(['confirm', 'nocert', 'p256', 'rsa2048', 'rsa3072']);
    expect(priv.find((k) => k.label === 'rsa3072')!.size).toBe('3072');
    expect(priv.find((k) => k.label === 'confirm')!.alwaysAuthenticate).toBe(true);
    expect(priv.find((k) => k.label === 'p256')!.certificate!.subject).toContain('CN=Trần Thị Bình');
    expect(priv.find((k) => k.label === 'nocert')!.certificate).toBeNull();
    expect(withPin.keys.filter((k) => k.kind === 'certificate' && k.certificate!.ca)).toHaveLength(2);
    const noPin = await listKeys({ module: SOFTHSM_MODULE, token: { serial: token.serial } });
    expect(noPin.loggedIn).toBe(false);
    expect(noPin.keys.some((k) => k.kind === 'private')).toBe(false);
    expect(noPin.keys.filter((k) => k.kind === 'public')).toHaveLength(5);
  });
});

describe('Pkcs11Signer signs PDFs that pdfsig trusts', () => {
  const cases: [string, Record<string, unknown>, string, string | undefined][] = [
    ['RSA-2048 PKCS#1 v1.5 (key by label)', { key: { label: 'rsa2048' } }, 'CKM_SHA256_RSA_PKCS', 'Nguyễn Văn Ánh'],
    ['RSA-2048 PSS (key by id)', { key: { id: '01' }, scheme: 'RSA-PSS' }, 'CKM_RSA_PKCS_PSS', 'Nguyễn Văn Ánh'],
    ['RSA-3072 PKCS#1 v1.5 (token by serial)', { key: { label: 'rsa3072' }, token: { serial: '' } }, 'CKM_SHA256_RSA_PKCS', 'UBND xã Phước Lộc (TEST)'],
    ['RSA-3072 PSS', { key: { id: '02' }, scheme: 'RSA-PSS' }, 'CKM_RSA_PKCS_PSS', undefined],
    ['P-256 ECDSA (key by certificate subject CN)', { key: { subject: 'Trần Thị Bình' } }, 'CKM_ECDSA', 'Trần Thị Bình'],
    ['P-256 ECDSA (key by full subject DN)', { key: { subject: 'C=VN, L=Bình Định, O=UBND tỉnh Bình Định, CN=Trần Thị Bình' } }, 'CKM_ECDSA', undefined],
  ];
  it.each(cases)('%s', async (name, options, mechanism, cn) => {
    const opts = { ...options } as Record<string, unknown>;
    if ((opts.token as { serial?: string } | undefined)?.serial === '') opts.token = { serial: token.serial };
    const s = await signer(opts);
    expect(s.mechanismFor('SHA-256')).toBe(mechanism);
    const pdf = await signPdf(SAMPLE, { signer: s, reason: 'Ký bằng thiết bị PKCS#11', location: 'Bình Định' });
    expectPdfsigTrusted(pdf, name.replace(/\W+/g, '-'), cn);
    await expectKysoValid(pdf);
  });

  it('takes the chain from the token CA certificates, nearest issuer first', async () => {
    const s = await signer();
    expect(s.chain.map((c) => Buffer.from(c).toString('hex'))).toEqual([Buffer.from(pki.issuing.certDer).toString('hex'), Buffer.from(pki.root.certDer).toString('hex')]);
    expect(s.maxSignatureSize).toBe(256);
    expect(s.certificate).toEqual(token.certificates['rsa2048']);
  });

  it('uses a given certificate and chain for a key the token holds no certificate for', async () => {
    await expect(signer({ key: { label: 'nocert' } })).rejects.toMatchObject({ code: 'CERT_INVALID' });
    // The certificate of another key: the token key does not match it.
    await expect(signer({ key: { label: 'nocert' }, certificate: pki.personal.certPem })).rejects.toMatchObject({ code: 'KEY_MISMATCH' });
  });

  it.each([
    ['PKCS#1 v1.5 without CKM_SHAx_RSA_PKCS: CKM_RSA_PKCS over DigestInfo', undefined, [pkcs11js.CKM_SHA256_RSA_PKCS, pkcs11js.CKM_SHA384_RSA_PKCS, pkcs11js.CKM_SHA512_RSA_PKCS], 'CKM_RSA_PKCS'],
    ['PSS without CKM_RSA_PKCS_PSS: CKM_SHAx_RSA_PKCS_PSS', 'RSA-PSS', [pkcs11js.CKM_RSA_PKCS_PSS], 'CKM_SHA256_RSA_PKCS_PSS'],
  ] as const)('falls back: %s', async (_name, scheme, avoid, mechanism) => {
    const s = await signer({ ...(scheme ? { scheme } : {}), avoidMechanisms: avoid });
    expect(s.mechanismFor('SHA-256')).toBe(mechanism);
    for (const digest of ['SHA-256', 'SHA-384', 'SHA-512'] as DigestAlgorithm[]) {
      const pdf = await signPdf(SAMPLE, { signer: s, digest });
      if (digest === 'SHA-256') expectPdfsigTrusted(pdf, `fallback-${mechanism}`);
      await expectKysoValid(pdf);
    }
  });

  it('signs with SHA-384 and SHA-512 on every key type', async () => {
    for (const key of ['rsa2048', 'p256']) {
      for (const scheme of key === 'p256' ? [undefined] : [undefined, 'RSA-PSS' as const]) {
        const s = await signer({ key: { label: key }, ...(scheme ? { scheme } : {}) });
        for (const digest of ['SHA-384', 'SHA-512'] as DigestAlgorithm[]) await expectKysoValid(await signPdf(SAMPLE, { signer: s, digest }));
      }
    }
  });

  it('logs in again for each signature with a CKA_ALWAYS_AUTHENTICATE key (PIN from a callback)', async () => {
    const asked: string[] = [];
    const s = await signer({
      key: { label: 'confirm' },
      pin: undefined,
      pinCallback: (req) => {
        asked.push(req.kind);
        return PIN;
      },
    });
    expect(s.keyInfo.alwaysAuthenticate).toBe(true);
    const pdfs = await Promise.all([0, 1, 2].map(() => signPdf(SAMPLE, { signer: s })));
    expectPdfsigTrusted(pdfs[0]!, 'always-auth', 'Lê Văn Cường');
    for (const pdf of pdfs) await expectKysoValid(pdf);
    expect(asked).toEqual(['user', 'context', 'context', 'context']);
  });

  it('reads the PIN from an environment variable or a file', async () => {
    process.env.KYSO_TEST_TOKEN_PIN = PIN;
    const byEnv = await signer({ pin: undefined, pinEnv: 'KYSO_TEST_TOKEN_PIN' });
    await expectKysoValid(await signPdf(SAMPLE, { signer: byEnv }));
    const file = join(token.dir, 'pin.txt');
    writeFileSync(file, `${PIN}\n`, { mode: 0o600 });
    const byFile = await signer({ pin: undefined, pinFile: file });
    await expectKysoValid(await signPdf(SAMPLE, { signer: byFile }));
  });
});

describe('concurrency and faults', () => {
  it('200 signatures requested at once all succeed and all verify', async () => {
    const s = await signer({ sessions: 4 });
    const pdfs = await Promise.all(Array.from({ length: 200 }, (_, i) => signPdf(SAMPLE, { signer: s, reason: `Bản số ${i + 1}` })));
    expect(pdfs).toHaveLength(200);
    const store = TrustStore.fromPem(pki.root.certPem);
    const reports = await Promise.all(pdfs.map((pdf) => verifyPdf(pdf, { trustStore: store })));
    expect(reports.filter((r) => r.verdict !== 'valid')).toHaveLength(0);
    expect(new Set(pdfs.map((p) => Buffer.from(p).toString('base64'))).size).toBe(200);
    expectPdfsigTrusted(pdfs[199]!, 'concurrent-200');
  });

  it('recovers when every session is closed under it (CKR_SESSION_HANDLE_INVALID): reopens, logs in again, retries', async () => {
    const s = await signer({ sessions: 2 });
    await expectKysoValid(await signPdf(SAMPLE, { signer: s }));
    // Another user of the same module closes all sessions of the token: our handles die and the login is gone.
    const other = new pkcs11js.PKCS11();
    other.load(SOFTHSM_MODULE);
    try {
      other.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    } catch (e) {
      expect((e as { code: number }).code).toBe(pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED);
    }
    const slot = other.C_GetSlotList(true).find((sl) => other.C_GetTokenInfo(sl).label.trim() === token.label)!;
    other.C_CloseAllSessions(slot);
    const pdfs = await Promise.all([0, 1, 2, 3, 4].map(() => signPdf(SAMPLE, { signer: s })));
    for (const pdf of pdfs) await expectKysoValid(pdf);
  });

  it('close() waits for signatures under way, then refuses new ones', async () => {
    const s = await signer({ sessions: 2 });
    const data = new TextEncoder().encode('signed attributes');
    const pending = Promise.all([0, 1, 2, 3, 4, 5].map(() => s.sign(data, 'SHA-256')));
    await s.close();
    expect(await pending).toHaveLength(6);
    await expect(s.sign(new Uint8Array([1]), 'SHA-256')).rejects.toMatchObject({ code: 'SIGN_SIGNER_FAILED' });
    await s.close(); // idempotent
  });
});

describe('errors are typed, clear, and never show the PIN', () => {
  const WRONG = '999111-wrong';
  const cases: [string, () => Promise<unknown>, string, RegExp][] = [
    ['wrong PIN (token already logged in by this process)', () => signer({ pin: WRONG }), 'PKCS11_PIN_INCORRECT', /PIN is incorrect: it differs/],
    [
      'wrong PIN (checked by the token)',
      () => signer({ token: { label: spare.label }, key: { label: 'spare' }, pin: WRONG }),
      'PKCS11_PIN_INCORRECT',
      /PIN is incorrect\. Few tries are left before the token locks/,
    ],
    ['missing key label', () => signer({ key: { label: 'no-such-key' } }), 'KEY_NOT_FOUND', /No private key labelled "no-such-key".*rsa2048/],
    ['missing key id', () => signer({ key: { id: 'ab:cd' } }), 'KEY_NOT_FOUND', /No private key with id abcd/],
    ['module that does not exist', () => signer({ module: '/usr/lib/nowhere/libnothing-pkcs11.so' }), 'PKCS11_MODULE_NOT_FOUND', /does not exist/],
    ['file that is not a PKCS#11 module', () => signer({ module: '/etc/hostname' }), 'PKCS11_MODULE_NOT_FOUND', /cannot be loaded/],
    ['token label that does not exist', () => signer({ token: { label: 'No Such Token' } }), 'PKCS11_TOKEN_NOT_FOUND', /No token with label "No Such Token".*Kyso Test Token/],
    ['token serial that does not exist', () => signer({ token: { serial: '0000000000000000' } }), 'PKCS11_TOKEN_NOT_FOUND', /serial "0000000000000000"/],
    ['EC key asked for PSS', () => signer({ key: { label: 'p256' }, scheme: 'RSA-PSS' }), 'SIGN_OPTIONS_INVALID', /needs an RSA key/],
    [
      'mechanism the token lacks',
      () => signer({ scheme: 'RSA-PSS', avoidMechanisms: [pkcs11js.CKM_RSA_PKCS_PSS, pkcs11js.CKM_SHA256_RSA_PKCS_PSS] }),
      'PKCS11_MECHANISM_UNSUPPORTED',
      /cannot make RSA-PSS signatures with SHA-256/,
    ],
    ['PIN variable not set', () => signer({ pin: undefined, pinEnv: 'KYSO_PIN_NOT_SET_ANYWHERE' }), 'SIGN_OPTIONS_INVALID', /KYSO_PIN_NOT_SET_ANYWHERE \(the token PIN\) is not set/],
    ['no PIN for a token that needs one', () => signer({ pin: undefined }), 'SIGN_OPTIONS_INVALID', /needs a PIN/],
    ['two PIN sources', () => signer({ pinEnv: 'X' }), 'SIGN_OPTIONS_INVALID', /one way only/],
  ];
  it.each(cases)('%s', async (_name, run, code, message) => {
    const e = await run().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(KysoError);
    const k = e as KysoError;
    expect(k.code).toBe(code);
    expect(k.message).toMatch(message);
    expect(k.messageVi.length).toBeGreaterThan(10);
    for (const text of [k.message, k.messageVi, JSON.stringify(k), inspect(k, { depth: 10 }), String(k.stack)]) {
      expect(text).not.toContain(PIN);
      expect(text).not.toContain(SPARE_PIN);
      expect(text).not.toContain(WRONG);
    }
  });

  it('a signer shows no PIN when printed or serialised', async () => {
    const s = await signer();
    for (const text of [inspect(s, { depth: 10, showHidden: true }), JSON.stringify(s)]) expect(text).not.toContain(PIN);
  });
});
