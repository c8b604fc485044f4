import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SoftwareSigner } from '@kyso/core';
import { createNssDb, createTestPki, loadTestPki, startTestServices, TEST_PKI_MANIFEST, writeTestPki, type TestPki, type TestServices } from '@kyso/core/testing';
import { generateApiKey, hashApiKey } from './api-keys.js';
import { ConfigError, type ServerConfigInput } from './config.js';

export const DEV_IDENTITY = 'test';
export const DEV_AGENCY = '000.00.00.H56';

export interface DevSetup {
  config: ServerConfigInput;
  /** The new key on first start only (print it once); undefined on later starts. */
  newApiKey?: string;
  /**
   * Keeps the new key (its hash in `dev-key.json`) for later starts. Call it
   * once the service is listening: a start that fails (the port is taken)
   * keeps nothing, so the next start shows a key again instead of keeping
   * one nobody saw. Absent when the key was kept before.
   */
  keep?: () => void;
  pki: TestPki;
  /** Where the TEST PKI is, in the `kyso test-pki` layout (`<dataDir>/test-pki` unless `pkiDir` said otherwise). */
  pkiDir: string;
  /** The loopback TEST TSA, OCSP responder and CRLs (when `services` asked for them). */
  services?: { tsaUrl: string; ocspUrl: string; crlUrl: string; baseUrl: string };
  /** Things the operator should know (the PKI's OCSP port was taken, no NSS database): print them. */
  warnings: string[];
  /** Stops the TEST services; call it after the server has stopped. */
  close: () => Promise<void>;
}

export interface DevModeOptions {
  /** A `kyso test-pki` output directory to sign with and trust instead of `<dataDir>/test-pki` (it must hold pki.json). */
  pkiDir?: string;
  /**
   * Run the loopback TEST TSA / OCSP / CRL services, so levels B-T, B-LT and
   * B-LTA work; they listen on 127.0.0.1 only. Opt-in (`kyso serve` asks for
   * them) because they are a listening port the caller must close().
   */
  services?: boolean;
}

/** The code of a KysoError from '@kyso/core/testing' (a separate bundle with its own KysoError class, so no instanceof). */
function codeOf(e: unknown): string | undefined {
  const code: unknown = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** The port of an http://127.0.0.1 (or localhost) base URL, where the TEST services can answer what the certificates point at. */
function loopbackPort(baseUrl: string): number | undefined {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' || (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost')) return undefined;
  return u.port === '' ? 80 : Number(u.port);
}

/**
 * The services for a PKI written earlier: on the port its certificates name,
 * so B-LT finds its OCSP responder and CRLs there. When that port is taken
 * (another process) or not a loopback one, the TSA still works on a free
 * port; revocation data then comes only from whatever answers those URLs.
 */
async function servicesFor(pki: TestPki, warnings: string[]): Promise<TestServices> {
  const port = loopbackPort(pki.baseUrl);
  if (port === undefined) {
    warnings.push(`the TEST PKI's certificates point at ${pki.baseUrl}, not at 127.0.0.1: B-LT and B-LTA collect revocation data only if something serves it there`);
  } else {
    try {
      return await startTestServices(pki, { port });
    } catch (e) {
      if (codeOf(e) !== 'IO_ERROR') throw e;
      warnings.push(`127.0.0.1:${port}, where the TEST PKI's certificates send OCSP and CRL requests, is taken: the TEST TSA runs on another port, and B-LT/B-LTA work only if the process on ${port} serves this PKI`);
    }
  }
  return startTestServices(pki);
}

/** A new PKI in the `kyso test-pki` layout, .p12 files (default TEST password) and NSS database included, so `kyso sign` and pdfsig can use it. */
async function writeDevPki(pki: TestPki, pkiDir: string, warnings: string[]): Promise<void> {
  await writeTestPki(pki, pkiDir);
  try {
    await createNssDb(join(pkiDir, 'nssdb'), pki.root.certDer, { nickname: 'kyso TEST Root CA' });
  } catch (e) {
    // The service does not need it; only pdfsig does.
    if (codeOf(e) !== 'TOOL_NOT_FOUND') throw e;
    warnings.push(`no NSS database for pdfsig in ${pkiDir}: ${(e as Error).message}`);
  }
}

/**
 * Development mode: a TEST PKI and an API key kept in the data directory
 * (`test-pki/`, `dev-key.json` with the key's hash only), so restarts reuse
 * them. The PKI is in the `kyso test-pki` layout: one made by
 * `kyso test-pki -o <dataDir>/test-pki` (or named by `pkiDir`) is used as it
 * is, so the CLI and the service sign under one TEST root. The identity signs
 * with the TEST organisation certificate, the TEST root is trusted by
 * /v1/verify, and with `services` (as `kyso serve` asks) loopback TEST
 * services (TSA, OCSP, CRL) make B-T, B-LT and B-LTA work. Never for production.
 */
export async function prepareDevMode(dataDir: string, options: DevModeOptions = {}): Promise<DevSetup> {
  const dir = resolve(dataDir);
  const pkiDir = options.pkiDir ? resolve(options.pkiDir) : join(dir, 'test-pki');
  const found = existsSync(join(pkiDir, TEST_PKI_MANIFEST));
  if (options.pkiDir && !found) throw new ConfigError([`${pkiDir} holds no TEST PKI (${TEST_PKI_MANIFEST}); make one with kyso test-pki -o ${pkiDir}`]);
  const warnings: string[] = [];
  let pki: TestPki | undefined = found ? await loadTestPki(pkiDir) : undefined;
  let services: TestServices | undefined;
  if (options.services) {
    if (pki) services = await servicesFor(pki, warnings);
    else {
      // A new PKI is made for the services' own free port, so its certificates' OCSP and CRL URLs reach them.
      services = await startTestServices((baseUrl) => createTestPki({ baseUrl }));
      pki = services.pki;
    }
  }
  pki ??= await createTestPki();
  try {
    return await finish(dir, pkiDir, pki, services, warnings);
  } catch (e) {
    // A start that fails leaves no listener behind.
    await services?.close();
    throw e;
  }
}

/** The rest of prepareDevMode around a ready PKI: files, the key, the signer and the configuration. */
async function finish(dir: string, pkiDir: string, pki: TestPki, services: TestServices | undefined, warnings: string[]): Promise<DevSetup> {
  if (!existsSync(join(pkiDir, TEST_PKI_MANIFEST))) await writeDevPki(pki, pkiDir, warnings);
  const keyFile = join(dir, 'dev-key.json');
  let newApiKey: string | undefined;
  let keep: (() => void) | undefined;
  let sha256: string;
  if (existsSync(keyFile)) sha256 = (JSON.parse(readFileSync(keyFile, 'utf8')) as { sha256: string }).sha256;
  else {
    newApiKey = generateApiKey();
    const hash = hashApiKey(newApiKey);
    sha256 = hash;
    keep = () => writeFileSync(keyFile, `${JSON.stringify({ id: 'dev', sha256: hash, note: 'TEST key hash; delete this file to get a new key' }, null, 2)}\n`, { mode: 0o600 });
  }
  const signer = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
  return {
    pki,
    pkiDir,
    ...(newApiKey ? { newApiKey } : {}),
    ...(keep ? { keep } : {}),
    ...(services ? { services: { tsaUrl: services.tsaUrl, ocspUrl: services.ocspUrl, crlUrl: services.crlUrl('issuing'), baseUrl: services.baseUrl } } : {}),
    warnings,
    close: async () => {
      await services?.close();
    },
    config: {
      dataDir: dir,
      identities: [{ name: DEV_IDENTITY, agency: DEV_AGENCY, signer }],
      apiKeys: [{ id: 'dev', sha256, identities: [DEV_IDENTITY], operations: ['sign', 'verify', 'codes', 'audit', 'ops', 'csc'] }],
      trust: { extraRoots: [pki.root.certPem] },
      ...(services ? { tsa: { url: services.tsaUrl } } : {}),
    },
  };
}
