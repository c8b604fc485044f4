import { readFile } from 'node:fs/promises';
import { SoftwareSigner, type Signer } from '@kyso/core';
import type { IdentityConfig, P12SignerConfig, Pkcs11SignerConfig } from './config.js';
import { ConfigError } from './config.js';

export interface Identity {
  name: string;
  agency: string;
  signer: Signer;
  /** The signature or seal image for visible signatures, if configured. */
  image?: Uint8Array;
  /** Closes a token session, if any. */
  close(): Promise<void>;
}

/** Reads a secret from an environment variable or the first line of a file; errors name the source, never the value. */
export async function readSecret(where: string, env: string | undefined, file: string | undefined): Promise<string> {
  if (env !== undefined) {
    const v = process.env[env];
    if (v === undefined) throw new ConfigError([`${where}: environment variable ${env} is not set`]);
    return v;
  }
  try {
    return (await readFile(file!, 'utf8')).split(/\r?\n/)[0] ?? '';
  } catch (e) {
    throw new ConfigError([`${where}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`]);
  }
}

/** Opens every identity's key once; the signers are reused for every request. */
export async function openIdentities(configs: IdentityConfig[]): Promise<Map<string, Identity>> {
  const out = new Map<string, Identity>();
  try {
    for (const c of configs) out.set(c.name, await openIdentity(c));
  } catch (e) {
    await Promise.all([...out.values()].map((i) => i.close().catch(() => undefined)));
    throw e;
  }
  return out;
}

async function openIdentity(c: IdentityConfig): Promise<Identity> {
  const id = await openSigner(c);
  if (c.image === undefined) return id;
  if (c.image instanceof Uint8Array) return { ...id, image: c.image };
  try {
    return { ...id, image: await readFile(c.image) };
  } catch (e) {
    throw new ConfigError([`identity ${c.name}: cannot read image ${c.image}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`]);
  }
}

async function openSigner(c: IdentityConfig): Promise<Identity> {
  const s = c.signer as unknown;
  if (typeof (s as Signer).sign === 'function') return { name: c.name, agency: c.agency, signer: s as Signer, close: async () => undefined };
  if ('p12' in (s as object)) {
    const p = s as P12SignerConfig;
    const password = await readSecret(`identity ${c.name}`, p.passwordEnv, p.passwordFile);
    let bytes: Buffer;
    try {
      bytes = await readFile(p.p12);
    } catch (e) {
      throw new ConfigError([`identity ${c.name}: cannot read ${p.p12}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`]);
    }
    const signer = SoftwareSigner.fromPkcs12(bytes, password);
    return { name: c.name, agency: c.agency, signer, close: async () => undefined };
  }
  const k = (s as Pkcs11SignerConfig).pkcs11;
  const { Pkcs11Signer } = await import('@kyso/pkcs11');
  const m = /^(label|id|subject):(.*)$/s.exec(k.key);
  const key = (m ? { [m[1]!]: m[2]! } : { label: k.key }) as { label: string };
  const signer = await Pkcs11Signer.open({
    module: k.module,
    token: k.tokenSerial !== undefined ? { serial: k.tokenSerial } : { label: k.token! },
    key,
    ...(k.pinEnv !== undefined ? { pinEnv: k.pinEnv } : {}),
    ...(k.pinFile !== undefined ? { pinFile: k.pinFile } : {}),
    ...(k.chain !== undefined ? { chain: await readFile(k.chain) } : {}),
    ...(k.sessions !== undefined ? { sessions: k.sessions } : {}),
  });
  return { name: c.name, agency: c.agency, signer, close: () => signer.close() };
}
