import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Signer } from '@kyso/core';
import { isScalar, LineCounter, parseDocument, visit, type YAMLError } from 'yaml';

/**
 * What an API key may do: `sign` (/v1/sign, two-step, certified copies,
 * /vgca), `verify`, `codes`, `audit` (read and check the audit log), `ops`
 * (/metrics and the detailed /readyz: no document, no code, but the
 * identities' names and the service's state), `csc` (remote signing of
 * hashes over the CSC API, /csc/v2/: any hash, so given on purpose only).
 */
export const OPERATIONS = ['sign', 'verify', 'codes', 'audit', 'ops', 'csc'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** A PKCS#12 file for development; the password comes from an environment variable or a file. */
export interface P12SignerConfig {
  p12: string;
  passwordEnv?: string;
  passwordFile?: string;
}

/** A key on a PKCS#11 token or HSM (production). */
export interface Pkcs11SignerConfig {
  pkcs11: {
    module: string;
    /** Token label (or give tokenSerial). */
    token?: string;
    tokenSerial?: string;
    /** Key label, or `id:<hex>` / `subject:<text>`. */
    key: string;
    pinEnv?: string;
    pinFile?: string;
    /** PEM file of the issuing CAs, if the token holds none. */
    chain?: string;
    sessions?: number;
  };
}

export interface IdentityConfig {
  /** The name clients use (`?identity=`). */
  name: string;
  /** The agency code (mã định danh cơ quan) whose codes this identity may issue. */
  agency: string;
  /** How to reach the key; or a ready `Signer` when embedding the server. */
  signer: P12SignerConfig | Pkcs11SignerConfig | Signer;
  /**
   * Transparent PNG drawn in visible signatures: an officer's handwritten
   * signature, or an agency's seal (file path, or bytes when embedding).
   */
  image?: string | Uint8Array;
  /**
   * The identity as a CSC credential (/csc/v2/, credentialID = name).
   * `enabled: false` keeps it out of the CSC API. A PIN (`pinEnv` or
   * `pinFile`) and/or a TOTP secret (RFC 6238, base32: `totpSecretEnv` or
   * `totpSecretFile`) make credentials/authorize ask for them (auth mode
   * explicit); never the values themselves in the file.
   */
  csc?: IdentityCscConfig;
}

export interface IdentityCscConfig {
  enabled?: boolean;
  pinEnv?: string;
  pinFile?: string;
  totpSecretEnv?: string;
  totpSecretFile?: string;
}

export interface ApiKeyConfig {
  id: string;
  /** Hex SHA-256 of the key (`kyso`'s `hashApiKey`, or `printf %s KEY | sha256sum`). */
  sha256: string;
  identities: string[];
  operations: Operation[];
}

export interface ServerConfig {
  /** Default 127.0.0.1. */
  host: string;
  /** Default 8080; 0 picks a free port. */
  port: number;
  /** SQLite files (codes, audit, keys) and dev-mode material. Default ./kyso-data. */
  dataDir: string;
  /** PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  /** PostgreSQL schema (default public). */
  databaseSchema?: string;
  /** Largest PDF accepted, bytes (default 50 MiB). */
  bodyLimit: number;
  /** Signatures and verifications run at once (default 8). */
  maxConcurrent: number;
  /** Requests allowed to wait beyond that before 429 (default 64). */
  maxQueue: number;
  /** A request (body upload included) that takes longer is cut off with 408, ms (default 120 000). */
  requestTimeoutMs: number;
  /**
   * Worker threads for the CPU-bound part of signing and verification
   * (parsing, hashing, CMS, modification analysis). Default: the number of
   * cores; 0 runs that work on the main thread.
   */
  workers: number;
  /** Two-step signing: how long a prepared session waits for its signature value, seconds (default 600). */
  twoStep: { sessionTtlSeconds: number };
  /** Anyone may call POST /v1/verify and use the page at / (default true). */
  publicVerify: boolean;
  /** Believe X-Forwarded-* from these proxies (true: any; default false): request logs then show the client's address. */
  trustProxy: boolean | string[];
  /**
   * A second listener for monitoring: /healthz, the detailed /readyz and
   * /metrics without a key, on an address only the monitoring network
   * reaches (default host 127.0.0.1). On the main listener they stay behind
   * an `ops` key.
   */
  opsListener?: { host: string; port: number };
  identities: IdentityConfig[];
  apiKeys: ApiKeyConfig[];
  trust: {
    /** Default policy of /v1/verify (default bcy). */
    policy: 'bcy' | 'vn';
    /** PEM text or files of further roots to trust (e.g. the dev TEST root). */
    extraRoots: string[];
  };
  /** RFC 3161 TSA for levels B-T and up. */
  tsa?: { url: string; timeoutMs?: number };
  /**
   * Long-term validation data (B-LT, B-LTA): a certificate that declares no
   * OCSP responder and no CRL is refused (`require`, default) or left
   * without a status (`if-declared`).
   */
  ltv: { revocation: 'require' | 'if-declared' };
  /**
   * The VGCA plugin-compatible endpoints (/vgca/<Endpoint>): off unless set.
   * Files are fetched from and posted to these hosts only (host[:port]).
   */
  vgca?: { allowHosts: string[]; identity?: string; maxBytes?: number; timeoutMs?: number };
  /** Remote signing over the Cloud Signature Consortium API v2 (/csc/v2/), for API keys with the `csc` operation. */
  csc: CscConfig;
}

export interface CscConfig {
  /** Lifetime of an access token from auth/login or oauth2/token, seconds (default 900; 60-86 400). */
  tokenTtlSeconds: number;
  /** Lifetime of a SAD from credentials/authorize, seconds (default 300; 10-3 600). */
  sadTtlSeconds: number;
  /** Most signatures one SAD may cover (numSignatures; default 1000). */
  maxSignaturesPerSad: number;
  /** Most hashes one signatures/signHash call may carry (the credentials' multisign; default 100, at most 1000). */
  multisign: number;
}

export type ServerConfigInput = Partial<Omit<ServerConfig, 'trust' | 'twoStep' | 'csc' | 'ltv'>> & { trust?: Partial<ServerConfig['trust']>; twoStep?: Partial<ServerConfig['twoStep']>; csc?: Partial<CscConfig>; ltv?: Partial<ServerConfig['ltv']> };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HEX64 = /^[0-9a-f]{64}$/;

function isSigner(v: unknown): v is Signer {
  return typeof v === 'object' && v !== null && typeof (v as Signer).sign === 'function';
}

/** Fills defaults and checks everything; throws ConfigError listing every problem. */
export function resolveConfig(input: ServerConfigInput): ServerConfig {
  const p: string[] = [];
  const known = new Set(['host', 'port', 'dataDir', 'databaseUrl', 'databaseSchema', 'bodyLimit', 'maxConcurrent', 'maxQueue', 'requestTimeoutMs', 'workers', 'twoStep', 'publicVerify', 'trustProxy', 'opsListener', 'identities', 'apiKeys', 'trust', 'tsa', 'ltv', 'vgca', 'csc']);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ConfigError(['the configuration must be an object']);
  for (const k of Object.keys(input)) if (!known.has(k)) p.push(`unknown setting "${k}"`);
  const int = (name: string, v: unknown, def: number, min: number, max: number): number => {
    if (v === undefined) return def;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      p.push(`${name} must be an integer from ${min} to ${max}`);
      return def;
    }
    return v;
  };
  const str = (name: string, v: unknown): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length === 0) {
      p.push(`${name} must be a non-empty string`);
      return undefined;
    }
    return v;
  };
  const cfg: ServerConfig = {
    host: str('host', input.host) ?? '127.0.0.1',
    port: int('port', input.port, 8080, 0, 65535),
    dataDir: resolve(str('dataDir', input.dataDir) ?? './kyso-data'),
    bodyLimit: int('bodyLimit', input.bodyLimit, 50 * 1024 * 1024, 1024, 2 ** 31 - 1),
    maxConcurrent: int('maxConcurrent', input.maxConcurrent, 8, 1, 1024),
    maxQueue: int('maxQueue', input.maxQueue, 64, 0, 100_000),
    requestTimeoutMs: int('requestTimeoutMs', input.requestTimeoutMs, 120_000, 1_000, 3_600_000),
    workers: int('workers', input.workers, availableParallelism(), 0, 256),
    twoStep: { sessionTtlSeconds: 600 },
    publicVerify: input.publicVerify === undefined ? true : input.publicVerify === true,
    trustProxy: false,
    identities: [],
    apiKeys: [],
    trust: { policy: 'bcy', extraRoots: [] },
    ltv: { revocation: 'require' },
    csc: { tokenTtlSeconds: 900, sadTtlSeconds: 300, maxSignaturesPerSad: 1000, multisign: 100 },
  };
  const onlyKeys = (where: string, v: unknown, allowed: readonly string[]) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) for (const k of Object.keys(v)) if (!allowed.includes(k)) p.push(`unknown setting "${where}.${k}"`);
  };
  onlyKeys('twoStep', input.twoStep, ['sessionTtlSeconds']);
  onlyKeys('trust', input.trust, ['policy', 'extraRoots']);
  onlyKeys('tsa', input.tsa, ['url', 'timeoutMs']);
  onlyKeys('ltv', input.ltv, ['revocation']);
  onlyKeys('vgca', input.vgca, ['allowHosts', 'identity', 'maxBytes', 'timeoutMs']);
  onlyKeys('opsListener', input.opsListener, ['host', 'port']);
  onlyKeys('csc', input.csc, ['tokenTtlSeconds', 'sadTtlSeconds', 'maxSignaturesPerSad', 'multisign']);
  if (input.csc !== undefined) {
    const c = input.csc as unknown;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) p.push('csc must be an object');
    else {
      const v = c as Partial<CscConfig>;
      cfg.csc = {
        tokenTtlSeconds: int('csc.tokenTtlSeconds', v.tokenTtlSeconds, 900, 60, 86_400),
        sadTtlSeconds: int('csc.sadTtlSeconds', v.sadTtlSeconds, 300, 10, 3_600),
        maxSignaturesPerSad: int('csc.maxSignaturesPerSad', v.maxSignaturesPerSad, 1000, 1, 1_000_000),
        multisign: int('csc.multisign', v.multisign, 100, 1, 1000),
      };
    }
  }
  if (input.opsListener !== undefined) {
    const o = input.opsListener as unknown;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) p.push('opsListener must be an object { host, port }');
    else {
      const v = o as { host?: unknown; port?: unknown };
      cfg.opsListener = { host: str('opsListener.host', v.host) ?? '127.0.0.1', port: int('opsListener.port', v.port ?? -1, 0, 0, 65535) };
    }
  }
  if (input.twoStep !== undefined) {
    if (typeof input.twoStep !== 'object' || input.twoStep === null || Array.isArray(input.twoStep)) p.push('twoStep must be an object');
    else cfg.twoStep.sessionTtlSeconds = int('twoStep.sessionTtlSeconds', input.twoStep.sessionTtlSeconds, 600, 10, 86_400);
  }
  if (input.publicVerify !== undefined && typeof input.publicVerify !== 'boolean') p.push('publicVerify must be true or false');
  if (input.trustProxy !== undefined) {
    const t = input.trustProxy as unknown;
    if (typeof t === 'boolean' || (Array.isArray(t) && t.length > 0 && t.every((a) => typeof a === 'string' && a.length > 0))) cfg.trustProxy = t as boolean | string[];
    else p.push('trustProxy must be true, false or a list of proxy addresses');
  }
  const db = str('databaseUrl', input.databaseUrl);
  if (db) {
    if (!/^postgres(ql)?:\/\//.test(db)) p.push('databaseUrl must start with postgres://');
    cfg.databaseUrl = db;
  }
  const schema = str('databaseSchema', input.databaseSchema);
  if (schema) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]{0,62}$/.test(schema)) p.push('databaseSchema must be a plain SQL identifier');
    cfg.databaseSchema = schema;
  }
  if (input.trust !== undefined) {
    const t = input.trust;
    if (t.policy !== undefined && t.policy !== 'bcy' && t.policy !== 'vn') p.push('trust.policy must be "bcy" or "vn"');
    else if (t.policy) cfg.trust.policy = t.policy;
    if (t.extraRoots !== undefined) {
      if (!Array.isArray(t.extraRoots) || t.extraRoots.some((r) => typeof r !== 'string')) p.push('trust.extraRoots must be a list of PEM files or PEM text');
      else cfg.trust.extraRoots = t.extraRoots;
    }
  }
  if (input.tsa !== undefined) {
    if (typeof input.tsa !== 'object' || input.tsa === null || typeof input.tsa.url !== 'string' || !/^https?:\/\//.test(input.tsa.url)) p.push('tsa.url must be an http(s) URL');
    else cfg.tsa = { url: input.tsa.url, ...(input.tsa.timeoutMs !== undefined ? { timeoutMs: int('tsa.timeoutMs', input.tsa.timeoutMs, 10_000, 100, 600_000) } : {}) };
  }
  if (input.ltv?.revocation !== undefined) {
    const r = input.ltv.revocation as unknown;
    if (r === 'require' || r === 'if-declared') cfg.ltv.revocation = r;
    else p.push('ltv.revocation must be require or if-declared');
  }
  if (input.vgca !== undefined) {
    const v = input.vgca as ServerConfig['vgca'];
    if (typeof v !== 'object' || v === null || !Array.isArray(v.allowHosts) || v.allowHosts.some((h) => typeof h !== 'string' || !/^[a-z0-9.-]+(:\d+)?$/i.test(h))) {
      p.push('vgca.allowHosts must be a list of host[:port] names');
    } else {
      cfg.vgca = {
        allowHosts: v.allowHosts.map((h) => h.toLowerCase()),
        ...(v.identity !== undefined ? { identity: str('vgca.identity', v.identity)! } : {}),
        ...(v.maxBytes !== undefined ? { maxBytes: int('vgca.maxBytes', v.maxBytes, 50 * 1024 * 1024, 1024, 2 ** 31 - 1) } : {}),
        ...(v.timeoutMs !== undefined ? { timeoutMs: int('vgca.timeoutMs', v.timeoutMs, 15_000, 100, 600_000) } : {}),
      };
    }
  }

  const ids = input.identities ?? [];
  if (!Array.isArray(ids)) p.push('identities must be a list');
  const names = new Set<string>();
  for (const [i, id] of (Array.isArray(ids) ? ids : []).entries()) {
    const where = `identities[${i}]`;
    if (typeof id !== 'object' || id === null) {
      p.push(`${where} must be an object`);
      continue;
    }
    if (typeof id.name !== 'string' || !NAME.test(id.name)) p.push(`${where}.name must be 1-64 letters, digits, ".", "_" or "-"`);
    else if (names.has(id.name)) p.push(`${where}.name "${id.name}" is used twice`);
    else names.add(id.name);
    if (typeof id.agency !== 'string' || id.agency.length === 0 || id.agency.length > 64) p.push(`${where}.agency must be an agency code`);
    if (id.image !== undefined && typeof id.image !== 'string' && !(id.image instanceof Uint8Array)) p.push(`${where}.image must be the path of a PNG`);
    if (id.csc !== undefined) {
      const c = id.csc as unknown;
      if (typeof c !== 'object' || c === null || Array.isArray(c)) p.push(`${where}.csc must be an object`);
      else {
        onlyKeys(`${where}.csc`, c, ['enabled', 'pinEnv', 'pinFile', 'totpSecretEnv', 'totpSecretFile']);
        const v = c as IdentityCscConfig & Record<string, unknown>;
        if (v.enabled !== undefined && typeof v.enabled !== 'boolean') p.push(`${where}.csc.enabled must be true or false`);
        if (v.pinEnv !== undefined && v.pinFile !== undefined) p.push(`${where}.csc needs at most one of pinEnv, pinFile`);
        if (v.totpSecretEnv !== undefined && v.totpSecretFile !== undefined) p.push(`${where}.csc needs at most one of totpSecretEnv, totpSecretFile`);
        for (const f of ['pinEnv', 'pinFile', 'totpSecretEnv', 'totpSecretFile'] as const) if (v[f] !== undefined && (typeof v[f] !== 'string' || v[f] === '')) p.push(`${where}.csc.${f} must be a non-empty string`);
        if ('pin' in v || 'totpSecret' in v || 'otp' in v) p.push(`${where}.csc takes pinEnv/pinFile and totpSecretEnv/totpSecretFile, never the values themselves`);
      }
    }
    const s = id.signer as unknown;
    if (isSigner(s)) {
      /* embedded use */
    } else if (typeof s === 'object' && s !== null && 'p12' in s) {
      const c = s as P12SignerConfig;
      if (typeof c.p12 !== 'string' || !c.p12) p.push(`${where}.signer.p12 must be a file path`);
      if ((c.passwordEnv === undefined) === (c.passwordFile === undefined)) p.push(`${where}.signer needs exactly one of passwordEnv, passwordFile (never the password itself)`);
      if ('password' in (s as object)) p.push(`${where}.signer.password is not accepted: use passwordEnv or passwordFile`);
    } else if (typeof s === 'object' && s !== null && 'pkcs11' in s) {
      const c = (s as Pkcs11SignerConfig).pkcs11;
      if (typeof c !== 'object' || c === null) p.push(`${where}.signer.pkcs11 must be an object`);
      else {
        if (typeof c.module !== 'string' || !c.module) p.push(`${where}.signer.pkcs11.module must be the path of the PKCS#11 library`);
        if ((c.token === undefined) === (c.tokenSerial === undefined)) p.push(`${where}.signer.pkcs11 needs exactly one of token, tokenSerial`);
        if (typeof c.key !== 'string' || !c.key) p.push(`${where}.signer.pkcs11.key must be a key label (or id:<hex>, subject:<text>)`);
        if ((c.pinEnv === undefined) === (c.pinFile === undefined)) p.push(`${where}.signer.pkcs11 needs exactly one of pinEnv, pinFile (never the PIN itself)`);
        if ('pin' in c) p.push(`${where}.signer.pkcs11.pin is not accepted: use pinEnv or pinFile`);
      }
    } else p.push(`${where}.signer must be { p12, passwordEnv } or { pkcs11: { module, token, key, pinEnv } }`);
    cfg.identities.push(id);
  }

  const keys = input.apiKeys ?? [];
  if (!Array.isArray(keys)) p.push('apiKeys must be a list');
  const keyIds = new Set<string>();
  const hashes = new Set<string>();
  for (const [i, k] of (Array.isArray(keys) ? keys : []).entries()) {
    const where = `apiKeys[${i}]`;
    if (typeof k !== 'object' || k === null) {
      p.push(`${where} must be an object`);
      continue;
    }
    if ('key' in k) p.push(`${where}.key is not accepted: store only sha256 (the SHA-256 of the key, hex)`);
    if (typeof k.id !== 'string' || !NAME.test(k.id)) p.push(`${where}.id must be 1-64 letters, digits, ".", "_" or "-"`);
    else if (keyIds.has(k.id)) p.push(`${where}.id "${k.id}" is used twice`);
    else keyIds.add(k.id);
    if (typeof k.sha256 !== 'string' || !HEX64.test(k.sha256)) p.push(`${where}.sha256 must be 64 lower-case hex digits`);
    else if (hashes.has(k.sha256)) p.push(`${where} has the same key as another`);
    else hashes.add(k.sha256);
    if (!Array.isArray(k.identities) || k.identities.some((n) => typeof n !== 'string')) p.push(`${where}.identities must be a list of identity names`);
    else for (const n of k.identities) if (!names.has(n)) p.push(`${where}.identities names "${n}", which is not an identity`);
    if (!Array.isArray(k.operations) || k.operations.some((o) => !(OPERATIONS as readonly string[]).includes(o))) p.push(`${where}.operations must be a list of ${OPERATIONS.join(', ')}`);
    cfg.apiKeys.push(k);
  }
  if (p.length) throw new ConfigError(p);
  return cfg;
}

/**
 * Reads a configuration file — YAML if it is named *.yaml or *.yml, JSON
 * otherwise — resolves its relative paths against the file's directory, then
 * applies the environment: KYSO_HOST, KYSO_PORT, KYSO_DATA_DIR, DATABASE_URL,
 * KYSO_DATABASE_SCHEMA.
 */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): ServerConfigInput {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError([`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
  const yaml = /\.ya?ml$/i.test(file);
  let raw: unknown;
  if (yaml) raw = parseYamlConfig(file, text);
  else {
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new ConfigError([`${file} is not valid JSON: ${(e as Error).message}`]);
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError([`${file} must hold a ${yaml ? 'YAML mapping (key: value lines)' : 'JSON object'}`]);
  const base = dirname(resolve(file));
  const abs = (f: string) => (isAbsolute(f) ? f : resolve(base, f));
  const c = raw as ServerConfigInput;
  if (typeof c.dataDir === 'string') c.dataDir = abs(c.dataDir);
  for (const id of Array.isArray(c.identities) ? c.identities : []) {
    if (id && typeof id.image === 'string') id.image = abs(id.image);
    const s = id?.signer as unknown as Record<string, unknown> | undefined;
    if (s && typeof s.p12 === 'string') s.p12 = abs(s.p12);
    if (s && typeof s.passwordFile === 'string') s.passwordFile = abs(s.passwordFile);
    const k = s?.pkcs11 as Record<string, unknown> | undefined;
    if (k && typeof k.pinFile === 'string') k.pinFile = abs(k.pinFile);
    if (k && typeof k.chain === 'string') k.chain = abs(k.chain);
    const csc = id?.csc as unknown as Record<string, unknown> | undefined;
    if (csc && typeof csc.pinFile === 'string') csc.pinFile = abs(csc.pinFile);
    if (csc && typeof csc.totpSecretFile === 'string') csc.totpSecretFile = abs(csc.totpSecretFile);
  }
  if (c.trust && Array.isArray(c.trust.extraRoots)) c.trust.extraRoots = c.trust.extraRoots.map((r) => (typeof r === 'string' && !r.includes('-----BEGIN') ? abs(r) : r));
  return applyEnv(c, env);
}

export function applyEnv(c: ServerConfigInput, env: NodeJS.ProcessEnv = process.env): ServerConfigInput {
  const out = { ...c };
  if (env.KYSO_HOST) out.host = env.KYSO_HOST;
  if (env.KYSO_PORT) {
    const n = Number(env.KYSO_PORT);
    if (!Number.isInteger(n)) throw new ConfigError([`KYSO_PORT "${env.KYSO_PORT}" is not a port number`]);
    out.port = n;
  }
  if (env.KYSO_DATA_DIR) out.dataDir = resolve(env.KYSO_DATA_DIR);
  if (env.DATABASE_URL) out.databaseUrl = env.DATABASE_URL;
  if (env.KYSO_DATABASE_SCHEMA) out.databaseSchema = env.KYSO_DATABASE_SCHEMA;
  return out;
}

/** A plain decimal integer: the only way a number is written in a configuration. */
const PLAIN_INTEGER = /^-?(0|[1-9][0-9]*)$/;
const MAX_YAML_PROBLEMS = 20;

/**
 * YAML, reduced to what a reviewer of a signing service's configuration can
 * read at a glance. The YAML 1.2 core schema only, whatever the file's
 * %YAML directive says, so `no`, `on` or `2024-01-01` stay text (YAML 1.1
 * would make them booleans and dates). No tags beyond the core ones, so no
 * !!binary, !!set, !!timestamp or application tags. No duplicate keys: the
 * second `apiKeys:` would otherwise silently replace the first. No aliases or
 * merge keys: an API key's permissions must be written where the key is, not
 * borrowed from an anchor elsewhere in the file (and aliases are also the way
 * to blow up a parser's memory). Numbers only as plain decimal integers:
 * YAML reads `0123` as 123 and `0x1F`, `1e3` or `.inf` as numbers too, which
 * silently changes a token serial or a key label that was meant as text.
 */
function parseYamlConfig(file: string, text: string): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.2',
    schema: 'core',
    customTags: [],
    resolveKnownTags: false,
    merge: false,
    uniqueKeys: true,
    stringKeys: true,
    strict: true,
    prettyErrors: false,
    // Not 'silent': that level also drops the error for a second document.
    logLevel: 'error',
    lineCounter: lines,
  });
  const at = (offset: number | undefined) => {
    const { line, col } = lines.linePos(offset ?? 0);
    return `${file}, line ${line}, column ${col}`;
  };
  const problems: string[] = [];
  const keyAt = (offset: number): string => {
    let name = 'a key';
    visit(doc, {
      Pair(_key, pair) {
        if (isScalar(pair.key) && pair.key.range?.[0] === offset) {
          name = `"${String(pair.key.value)}"`;
          return visit.BREAK;
        }
        return undefined;
      },
    });
    return name;
  };
  const describe = (e: YAMLError): string => {
    if (e.code === 'DUPLICATE_KEY') return `${keyAt(e.pos[0])} is set twice in the same mapping`;
    if (e.code === 'TAG_RESOLVE_FAILED') return `${e.message.replace(/^Unresolved tag: /, 'the tag ')} is not accepted: write plain values (quote text)`;
    if (e.code === 'NON_STRING_KEY') return 'a key must be plain text, not a list or a mapping';
    if (e.code === 'MULTIPLE_DOCS') return 'more than one YAML document (a second ---): a configuration is one document';
    return `invalid YAML: ${e.message}`;
  };
  for (const e of [...doc.errors, ...doc.warnings]) problems.push(`${at(e.pos[0])}: ${describe(e)}`);
  if (problems.length === 0) {
    const directive = doc.directives?.yaml;
    if (directive?.explicit && directive.version !== '1.2') problems.push(`${file}: %YAML ${directive.version} is not accepted: the configuration is read as YAML 1.2 (remove the directive)`);
    visit(doc, {
      Alias(_key, node) {
        problems.push(`${at(node.range?.[0])}: aliases (*${node.source}) are not accepted: write the value out in full`);
      },
      Pair(_key, pair) {
        if (isScalar(pair.key) && pair.key.value === '<<') problems.push(`${at(pair.key.range?.[0])}: merge keys (<<) are not accepted: write the settings out in full`);
      },
      Scalar(_key, node) {
        if (typeof node.value !== 'number') return;
        const src = node.source ?? String(node.value);
        if (!PLAIN_INTEGER.test(src) || !Number.isSafeInteger(node.value)) {
          problems.push(`${at(node.range?.[0])}: ${src} would be read as the number ${node.value}: put it in quotes if it is text, or write a plain decimal integer`);
        }
      },
    });
  }
  if (problems.length > MAX_YAML_PROBLEMS) problems.splice(MAX_YAML_PROBLEMS, Infinity, `… and ${problems.length - MAX_YAML_PROBLEMS} more`);
  if (problems.length) throw new ConfigError(problems);
  try {
    return doc.toJS({ maxAliasCount: 0 });
  } catch (e) {
    throw new ConfigError([`${file} is not valid YAML: ${(e as Error).message}`]);
  }
}
